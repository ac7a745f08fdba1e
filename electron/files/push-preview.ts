/** What a push would do, host by host, without changing anything (the engine's preview per host). */
import type { ClusterSpec } from '../../shared/domain/cluster';
import type { ManagedFile, PushPreview, PushRequest } from '../../shared/domain/managed-files';
import { CdError } from '../../shared/errors';
import { previewConfigChange } from '../config/config-change';
import type { Connections } from '../core/connections';
import { hostLink } from './file-hosts';
import { planPush } from './push-plan';
import { fileTarget } from './push-target';

export interface PreviewPushOptions {
  cluster: ClusterSpec;
  files: ManagedFile[];
  request: PushRequest;
  conns: Connections;
  content(file: ManagedFile): Promise<string>;
}

export async function previewPush(o: PreviewPushOptions): Promise<PushPreview> {
  const plan = planPush(o.cluster, o.files, o.request);
  const base = { cluster: o.cluster.name, mode: o.request.mode };
  if (plan.refusal) return { ...base, hosts: [], items: [], refusal: plan.refusal };
  const contents = new Map<string, string>();
  for (const f of plan.files) contents.set(f.id, await o.content(f));

  const perHost = await Promise.all(
    plan.hosts.map(async (h) => {
      const link = hostLink(o.conns, o.cluster, h.host);
      const say = (m: string): string => (h.note ? `${h.note}; ${m}` : m);
      try {
        await link.connect();
      } catch (e) {
        const msg = `could not connect to ${h.host}: ${e instanceof CdError ? e.message : String(e)}`;
        return h.files.map((f) => ({ host: h.host, file: f.id, path: f.path, diff: '', changed: false, valid: false, message: say(msg) }));
      }
      const targets = h.files.map((file) => fileTarget({ cluster: o.cluster, host: h.host, file, content: contents.get(file.id)!, link, conns: o.conns, portWaitSec: o.request.portWaitSec }));
      const entries = await previewConfigChange(targets);
      return entries.map((e, i) => ({ host: h.host, file: h.files[i]!.id, path: e.path, diff: e.diff, changed: e.changed, valid: e.valid, message: say(e.message) }));
    }),
  );
  return { ...base, hosts: plan.hosts.map((h) => h.host), items: perHost.flat(), refusal: null };
}
