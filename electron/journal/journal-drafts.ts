/**
 * The journal entries of today's multi-step changes, as drafts written before anything touches a
 * host: failover settings (haproxy.cfg on every LB), a push of managed files, a rollback. Pure.
 */
import type { ClusterSettings, ClusterSpec } from '../../shared/domain/cluster';
import type { JournalOwner } from '../../shared/domain/journal';
import type { ManagedFile } from '../../shared/domain/managed-files';
import { names } from '../config/config-report';
import type { PushPlan } from '../files/push-plan';
import type { JournalHandle } from './journal-handle';
import type { JournalDraft, TargetDraft } from './journal-records';

const fileTarget = (host: string, role: 'node' | 'lb', f: ManagedFile): TargetDraft => ({
  host,
  role,
  path: f.path,
  file: f.id,
  reload: f.reload,
  check: f.check,
  servicePort: f.servicePort,
});

export function failoverDraft(o: { id: string; cluster: ClusterSpec; before: ClusterSettings; after: ClusterSettings; owner: JournalOwner }): JournalDraft {
  const lbs = o.cluster.lbs;
  return {
    id: o.id,
    cluster: o.cluster.name,
    kind: 'failover-settings',
    summary: `apply failover settings to ${names(lbs.map((l) => l.name))}`,
    owner: o.owner,
    before: { settings: o.before },
    after: { settings: o.after },
    targets: lbs.map((lb) => ({ host: lb.name, role: 'lb', path: lb.configPath, file: null, reload: { kind: 'haproxy' } })),
  };
}

export function pushDraft(o: { id: string; plan: PushPlan; owner: JournalOwner }): JournalDraft {
  const { plan } = o;
  return {
    id: o.id,
    cluster: plan.cluster,
    kind: 'push',
    summary: `push ${names(plan.files.map((f) => f.id))} to ${names(plan.hosts.map((h) => h.host))} (${plan.mode})`,
    owner: o.owner,
    targets: plan.hosts.flatMap((h) => h.files.map((f) => fileTarget(h.host, h.role, f))),
  };
}

export function rollbackDraft(o: { id: string; cluster: ClusterSpec; host: string; file: ManagedFile; backup: string; owner: JournalOwner }): JournalDraft {
  const role = o.cluster.lbs.some((l) => l.name === o.host) ? 'lb' : 'node';
  return {
    id: o.id,
    cluster: o.cluster.name,
    kind: 'rollback',
    summary: `roll back ${o.file.id} on ${o.host} to ${o.backup}`,
    owner: o.owner,
    targets: [fileTarget(o.host, role, o.file)],
  };
}

/**
 * The change ended in this process: done, unless it threw part-way after touching a host (then it
 * is left to be recovered, shown as interrupted at once).
 */
export async function endJournal(h: JournalHandle | null, threw: boolean): Promise<void> {
  if (!h) return;
  const touched = h.entry().targets.some((t) => t.doing !== null || (t.done !== null && t.done !== 'backup'));
  if (threw && touched) await h.abandon();
  else await h.done();
}
