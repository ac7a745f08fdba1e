import type { ClusterDeckContract } from '../../shared/contract';
import { CdError } from '../../shared/errors';
import type { Handlers } from '../../shared/rpc/server';
import type { CoreContext } from './create-core';
import type { Serialized } from './files-handlers';

type H = Handlers<ClusterDeckContract>;

const pending = (m: string) => async (): Promise<never> => {
  throw new CdError('INTERNAL', `${m} is not built yet`);
};

/** Pushing managed files (all at once or rolling) and rolling one back on a host. */
export function pushHandlers(_ctx: CoreContext, _serialized: Serialized): Pick<H, 'push.preview' | 'push.run' | 'files.rollback'> {
  return {
    'push.preview': pending('push.preview'),
    'push.run': pending('push.run'),
    'files.rollback': pending('files.rollback'),
  };
}
