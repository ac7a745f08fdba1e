import type { ClusterStatus, LinkStatus } from '../../shared/domain/status';
import { table } from './table';

const rtt = (l: LinkStatus): string => (l.rttMs === null ? '-' : `${l.rttMs < 10 ? l.rttMs.toFixed(1) : Math.round(l.rttMs)} ms`);

export function linkCell(l: LinkStatus): string {
  return l.state === 'up' ? `up ${rtt(l)}` : l.state;
}

export function formatStatus(s: ClusterStatus): string {
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
  const rows = s.nodes.map((n) => [
    n.node,
    n.merged + (n.disagree ? ' !' : '') + (n.sync && n.sync.state !== 'in-sync' ? `, ${n.sync.state}` : ''),
    n.role,
    ...lbNames.map((lb) => {
      const v = n.perLb.find((x) => x.lb === lb);
      if (!v?.stat) return v?.error ? `? (${v.error.code})` : '?';
      const st = v.stat;
      const chk = st.checkStatus ? ` ${st.checkStatus}` : '';
      return `${st.status}${st.backup ? ' bck' : ''} ${st.sessions} sess${chk}`;
    }),
    linkCell(n.link),
  ]);
  out.push(table(['NODE', 'STATE', 'ROLE', ...lbNames.map((l) => l.toUpperCase()), 'SSH'], rows));
  out.push('');
  for (const n of s.nodes) {
    out.push(`  ${n.node}: ${n.reason}`);
    if (n.disagreement) out.push(`  ${' '.repeat(n.node.length)}  LBs disagree: ${n.disagreement}`);
    if (n.sync && n.sync.state !== 'in-sync') out.push(`  ${' '.repeat(n.node.length)}  managed files ${n.sync.state}: ${n.sync.files.join(', ')} (see \`clusterdeck sync ${s.cluster}\`)`);
  }
  out.push('');
  out.push(
    table(
      ['LB', 'ADDRESS', 'SOCKET', 'RUNTIME', 'SSH'],
      s.lbs.map((l) => [
        l.lb,
        l.address,
        l.socket,
        l.runtime.ok ? `ok ${l.runtime.version ?? ''} pid ${l.runtime.pid ?? '?'}`.trim() : `FAILED: ${l.runtime.error?.message ?? 'unknown'}`,
        linkCell(l.link),
      ]),
    ),
  );
  const linkErrors = [...s.nodes.map((n) => n.link), ...s.lbs.map((l) => l.link)].filter((l) => l.state !== 'up' && l.lastError);
  if (linkErrors.length) {
    out.push('');
    for (const l of linkErrors) out.push(`  ${l.host} (${l.target}) ${l.state}: ${l.lastError!.message}`);
  }
  return out.join('\n');
}
