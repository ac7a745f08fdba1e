import type { ClusterDeckContract } from '../../shared/contract';
import { CdError } from '../../shared/errors';
import type { Handlers } from '../../shared/rpc/server';
import type { CoreContext } from './create-core';

type H = Handlers<ClusterDeckContract>;
export type Serialized = <T>(cluster: string, what: string, fn: () => Promise<T>) => Promise<T>;

const pending = (m: string) => async (): Promise<never> => {
  throw new CdError('INTERNAL', `${m} is not built yet`);
};

/** Managed files, the sync matrix, cell diffs and backups on a host. */
export function fileHandlers(_ctx: CoreContext, _serialized: Serialized): Pick<H, 'files.list' | 'files.put' | 'files.remove' | 'sync.get' | 'sync.diff' | 'files.backups'> {
  return {
    'files.list': pending('files.list'),
    'files.put': pending('files.put'),
    'files.remove': pending('files.remove'),
    'sync.get': pending('sync.get'),
    'sync.diff': pending('sync.diff'),
    'files.backups': pending('files.backups'),
  };
}
