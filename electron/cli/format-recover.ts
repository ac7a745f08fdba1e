/** The words of `clusterdeck recover`: unfinished changes, their targets and the ways out; a resolution's result. Pure. */
import type { RecoveryResult, UnfinishedChange } from '../../shared/contract/recover';
import { table } from './table';

const when = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');

/** The one line `status`, `sync` and `push` print when something was interrupted; null when nothing was. */
export function interruptedWarning(cluster: string, changes: UnfinishedChange[]): string | null {
  const bad = changes.filter((c) => c.state === 'interrupted');
  if (!bad.length) return null;
  return `WARNING: ${bad.length} interrupted change${bad.length === 1 ? '' : 's'} on ${cluster}: ${bad.map((c) => c.message).join('; ')}; run \`clusterdeck recover ${cluster}\``;
}

export function formatUnfinished(cluster: string, changes: UnfinishedChange[], unreadable: string[] = []): string {
  const lines: string[] = [];
  const bad = changes.filter((c) => c.state === 'interrupted');
  const running = changes.filter((c) => c.state === 'running');
  if (!changes.length) lines.push(`Cluster ${cluster}: no unfinished changes.`);
  else
    lines.push(
      `Cluster ${cluster}: ${[bad.length ? `${bad.length} interrupted change${bad.length === 1 ? '' : 's'}` : '', running.length ? `${running.length} running` : ''].filter(Boolean).join(', ')}`,
    );
  for (const c of changes) {
    lines.push('', `${c.state === 'interrupted' ? 'INTERRUPTED' : 'RUNNING'} ${c.id}: ${c.summary}`);
    lines.push(`  started ${when(c.startedAt)} by ${c.ownerText}; last step ${when(c.updatedAt)}`);
    if (c.state === 'running') {
      lines.push(`  ${c.message}: not to be recovered while it runs`);
      continue;
    }
    lines.push(`  ${c.message}`);
    const rows = c.targets.filter((t) => t.pending || t.holds !== 'unknown').map((t) => [t.host, t.path, t.stoppedAt, t.holdsText]);
    if (rows.length) lines.push('', table(['HOST', 'FILE', 'STOPPED AT', 'ON THE HOST NOW'], rows, '  '));
    if (c.drained.length) lines.push(`  drained by this change: ${c.drained.map((d) => `${d.node} on ${d.lbs.join(', ')}`).join('; ')}`);
    lines.push('');
    for (const [action, o] of [['finish', c.offers.finish], ['restore', c.offers.restore]] as const) {
      lines.push(o.available ? `  ${action.padEnd(7)}  ${o.what}: clusterdeck recover ${cluster} --${action} ${c.id}` : `  ${action.padEnd(7)}  not offered: ${o.why ?? 'nothing to do'}`);
    }
  }
  for (const f of unreadable) lines.push('', `UNREADABLE journal file ${f}: left as it is; check it by hand`);
  return lines.join('\n');
}

export function formatRecovery(r: RecoveryResult): string {
  const head = r.outcome === 'ok' ? 'OK' : r.outcome === 'partial' ? 'PARTIAL' : 'FAILED';
  const lines = [`${head}: ${r.action} of ${r.id} on ${r.cluster}: ${r.message}`, ''];
  lines.push(table(['HOST', 'FILE', 'OUTCOME', 'DETAIL'], r.targets.map((t) => [t.host, t.path, t.outcome, t.message]), '  '));
  for (const n of r.nodes) lines.push(`  ${n.node}: ${n.outcome}: ${n.message}`);
  if (r.settings) lines.push(`  settings on file: ${r.settings}`);
  if (r.commands.length) {
    lines.push('', 'Commands:');
    for (const c of r.commands) lines.push(`  ${c.host}$ ${c.command}${c.ok ? '' : '  (failed)'}`);
  }
  return lines.join('\n');
}
