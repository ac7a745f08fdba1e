import { withAdminWords } from '../../shared/domain/admin-state';
import { ageWords, durationWords, isStale } from '../../shared/domain/age';
import type { ClusterStatus, LbStatus, LinkStatus } from '../../shared/domain/status';
import { table } from './table';

const rtt = (l: LinkStatus): string => (l.rttMs === null ? '-' : `${l.rttMs < 10 ? l.rttMs.toFixed(1) : Math.round(l.rttMs)} ms`);

export function linkCell(l: LinkStatus): string {
  return l.state === 'up' ? `up ${rtt(l)}` : l.state;
}

/** "just now, read 3 ms" / "as of 2.4 s ago, read 1.9 s": how old an LB's data is and how long reading it took. */
export function lbDataCell(l: LbStatus, now: number): string {
  const r = l.runtime;
  if (!r.ok || r.readAt === null) return '-';
  const took = r.readMs === null ? '' : `, read ${r.readMs < 1000 ? `${Math.round(r.readMs)} ms` : durationWords(r.readMs)}`;
  return `${ageWords(r.readAt, now)}${took}`;
}

/**
 * `now` is when the ages are measured (the snapshot's own time unless told), `intervalMs` the
 * cluster's heartbeat interval: a node row older than about two of them says how old it is.
 */
export function formatStatus(s: ClusterStatus, o: { now?: number; intervalMs?: number } = {}): string {
  const now = o.now ?? s.at;
  const intervalMs = o.intervalMs ?? 1000;
  const lbNames = s.lbs.map((l) => l.lb);
  const out: string[] = [];
  const up = [...s.nodes.map((n) => n.link), ...s.lbs.map((l) => l.link)].filter((l) => l.state === 'up').length;
  out.push(
    `Cluster ${s.cluster}: ${s.counts.active}/${s.counts.total} active, ${s.counts.standby} standby; worst state: ${s.worst}; ${up}/${s.nodes.length + s.lbs.length} SSH links up`,
  );
  out.push(`Quorum: ${s.quorum.healthy}/${s.quorum.size} healthy, majority ${s.quorum.majority}, tolerates ${s.quorum.faultTolerance} failure${s.quorum.faultTolerance === 1 ? '' : 's'}${s.quorum.hasQuorum ? '' : ' — QUORUM LOST'}`);
  if (s.vip) {
    const h = s.vip.holders;
    out.push(`VIP ${s.vip.address}: ${h.length === 1 ? `on ${h[0]}` : h.length === 0 ? 'held by NO load balancer' : `held by ${h.join(' and ')} at once`}${s.vip.error ? ` (${s.vip.error})` : ''}`);
  }
  out.push('');
  // Only when some row is old: a slow LB shows as slow, and a healthy cluster's table stays as it was.
  const staleRows = s.nodes.some((n) => n.asOf !== null && isStale(n.asOf, now, intervalMs));
  const rows = s.nodes.map((n) => [
    n.node,
    withAdminWords(n.merged, n.admin) + (n.disagree ? ' !' : '') + (n.sync && n.sync.state !== 'in-sync' ? `, ${n.sync.state}` : ''),
    n.role,
    ...lbNames.map((lb) => {
      const v = n.perLb.find((x) => x.lb === lb);
      if (!v?.stat) return v?.error ? `? (${v.error.code})` : '?';
      const st = v.stat;
      const chk = st.checkStatus ? ` ${st.checkStatus}` : '';
      return `${withAdminWords(st.status, v.admin)}${st.backup ? ' bck' : ''} ${st.sessions} sess${chk}`;
    }),
    linkCell(n.link),
    ...(staleRows ? [n.asOf !== null && isStale(n.asOf, now, intervalMs) ? ageWords(n.asOf, now) : ''] : []),
  ]);
  out.push(table(['NODE', 'STATE', 'ROLE', ...lbNames.map((l) => l.toUpperCase()), 'SSH', ...(staleRows ? ['DATA'] : [])], rows));
  out.push('');
  for (const n of s.nodes) {
    out.push(`  ${n.node}: ${n.reason}`);
    if (n.disagreement) out.push(`  ${' '.repeat(n.node.length)}  LBs disagree: ${n.disagreement}`);
    if (n.sync && n.sync.state !== 'in-sync') out.push(`  ${' '.repeat(n.node.length)}  managed files ${n.sync.state}: ${n.sync.files.join(', ')} (see \`clusterdeck sync ${s.cluster}\`)`);
  }
  out.push('');
  out.push(
    table(
      ['LB', 'ADDRESS', 'SOCKET', 'RUNTIME', 'DATA', 'SSH'],
      s.lbs.map((l) => [
        l.lb,
        l.address,
        l.runtime.level ? `${l.socket} (${l.runtime.level})` : l.socket,
        l.runtime.ok ? `ok ${l.runtime.version ?? ''} pid ${l.runtime.pid ?? '?'}`.trim() : `FAILED: ${l.runtime.error?.message ?? 'unknown'}`,
        lbDataCell(l, now),
        linkCell(l.link),
      ]),
    ),
  );
  const notes = [
    ...s.lbs.flatMap((l) => l.warnings.map((w) => `  WARNING ${w.message}. Fix: ${w.fix}`)),
    ...s.lbs.filter((l) => l.reload).map((l) => `  RELOADED ${l.reload!.message} (seen: \`clusterdeck reloads ${s.cluster} --ack ${l.lb}\`)`),
    ...(s.actions.allowed ? [] : [`  ACTIONS DISABLED: ${s.actions.reason ?? "a socket below level admin"}`]),
  ];
  if (notes.length) out.push('', ...notes);
  const linkErrors = [...s.nodes.map((n) => n.link), ...s.lbs.map((l) => l.link)].filter((l) => l.state !== 'up' && l.lastError);
  if (linkErrors.length) {
    out.push('');
    for (const l of linkErrors) out.push(`  ${l.host} (${l.target}) ${l.state}: ${l.lastError!.message}`);
  }
  return out.join('\n');
}
