/** How the CLI prints a push: progress lines, the preview, the result, a rollback and the backups. Pure. */
import type { ConfigChangeResult } from '../../shared/domain/config-change';
import type { FileBackup, PushPreview, PushProgress, PushResult } from '../../shared/domain/managed-files';
import { table } from './table';

const short = (sha: string | null): string => (sha ? `${sha.slice(0, 12)}…` : '-');

/** One line per phase change of a host: "node1  drain          10%  draining node1 on every LB". */
export function progressLine(p: PushProgress): string {
  return `${p.host.padEnd(12)} ${p.phase.padEnd(13)} ${String(Math.round(p.percent)).padStart(3)}%  ${p.detail.split('\n')[0]!.slice(0, 160)}`;
}

export function formatPushPreview(p: PushPreview): string {
  if (p.refusal) return `REFUSED: ${p.refusal}`;
  const lines = [`Push to ${p.hosts.join(', ')} (${p.mode}${p.mode === 'rolling' ? ': each node drained on every LB around its update' : ''}):`];
  for (const i of p.items) {
    const verdict = !i.changed ? 'unchanged' : i.valid === false ? 'REFUSED by its validate command' : i.valid === true ? 'would change (passes validation)' : 'would change';
    lines.push('', `${i.host} ${i.path} [${i.file}]: ${verdict}`, `  ${i.message}`);
    if (i.diff) lines.push(i.diff.trimEnd());
  }
  lines.push('', 'Preview only: run again without --dry-run to push.');
  return lines.join('\n');
}

const HEAD: Record<PushResult['outcome'], string> = { ok: 'PUSHED', unchanged: 'UNCHANGED', partial: 'PARTIAL', stopped: 'STOPPED', failed: 'FAILED' };

export function formatPushResult(r: PushResult): string {
  const lines = [`${HEAD[r.outcome]}: ${r.message}`, ''];
  lines.push(
    table(
      ['HOST', 'OUTCOME', 'DRAINED', 'TIME', 'DETAIL'],
      r.hosts.map((h) => [h.host, h.outcome, h.drained ? 'yes' : 'no', `${(h.durationMs / 1000).toFixed(1)} s`, h.error?.message.split('\n')[0] ?? '']),
    ),
  );
  for (const h of r.hosts) {
    if (h.outcome === 'not-started') continue;
    lines.push('', `${h.host}:`);
    for (const n of h.notes) lines.push(`  ${n}`);
    for (const f of h.files) {
      for (const s of f.steps) lines.push(`  ${s.ok ? 'ok  ' : 'FAIL'} ${f.file.padEnd(16)} ${s.step.padEnd(8)} ${s.detail.split('\n')[0]} (${Math.round(s.ms)} ms)`);
    }
  }
  if (r.verify.length) {
    lines.push('', 'Read back:');
    lines.push(table(['HOST', 'FILE', 'STATE', 'SHA256', 'DETAIL'], r.verify.map((c) => [c.host, c.file, c.state, short(c.sha256), c.detail])));
  }
  return lines.join('\n');
}

export function formatBackups(host: string, file: string, backups: FileBackup[]): string {
  if (backups.length === 0) return `${host} keeps no backups of ${file} (a push or a rollback makes one)`;
  return [
    `Backups of ${file} on ${host}, newest first (restore one with --backup ID):`,
    table(
      ['ID', 'SHA256', 'SIZE', 'DATE (UTC)', 'VERSION'],
      backups.map((b) => [b.id, short(b.sha256), String(b.size), new Date(b.at).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ''), b.version === null ? '-' : `v${b.version}`]),
    ),
  ].join('\n');
}

export function formatRollback(r: ConfigChangeResult): string {
  const head = { ok: 'RESTORED', unchanged: 'UNCHANGED', refused: 'REFUSED', 'rolled-back': 'ROLLED BACK', failed: 'FAILED' }[r.outcome];
  const lines = [`${head}: ${r.message}`];
  for (const t of r.targets) {
    lines.push('', `${t.target} ${t.path}${t.backup ? ` (the file it replaced is kept at ${t.backup})` : ''}:`);
    for (const s of t.steps) lines.push(`  ${s.ok ? 'ok  ' : 'FAIL'} ${s.step.padEnd(8)} ${s.detail.split('\n')[0]} (${Math.round(s.ms)} ms)`);
  }
  return lines.join('\n');
}
