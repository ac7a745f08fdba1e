import type { GateVerdict, NodeAction } from '../../shared/domain/action';
import type { NodeSpec } from '../../shared/domain/cluster';
import { countsAsUp } from '../haproxy/parse/status-text';
import { findServer, type LbRead } from './lb-read';

const joinNames = (xs: string[]): string => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/**
 * The confirm dialog's one line, computed from what the LBs say now, e.g. "node1 stops getting new
 * sessions on lb1 and lb2; 1 active node (node2) and 1 standby remain; sessions now: 14".
 */
export function describeConsequence(action: NodeAction, node: NodeSpec, reads: LbRead[], gate: GateVerdict): string {
  const readable = reads.filter((r) => r.ok);
  const lbs = joinNames(readable.map((r) => r.lb));
  const unreadable = reads.filter((r) => !r.ok).map((r) => r.lb);
  const sessions = readable.reduce((n, r) => n + (findServer(r, node.backend, node.server)?.sessions ?? 0), 0);
  const first = readable[0];
  const pool = first && first.ok ? first.servers.filter((s) => s.backend === node.backend && s.server !== node.server) : [];
  const active = pool.filter((s) => !s.backup && countsAsUp(s.status)).map((s) => s.server);
  const standby = pool.filter((s) => s.backup && countsAsUp(s.status)).length;
  const left = `${active.length} active node${active.length === 1 ? '' : 's'}${active.length ? ` (${active.join(', ')})` : ''} and ${standby} standby remain`;
  const skip = unreadable.length ? `; ${joinNames(unreadable)} cannot be read and will be reported as failed` : '';
  const refused = gate.allowed ? '' : `; refused by the safety gate: ${gate.reasons.join('; ')}`;
  if (!readable.length) return `no load balancer can be read: nothing would be changed${skip}`;
  switch (action) {
    case 'drain':
      return `${node.name} stops getting new sessions on ${lbs}; ${left}; sessions now: ${sessions}${skip}${refused}`;
    case 'maint':
      return `${node.name} is taken out of service on ${lbs} (checks stop, no new sessions); ${left}; sessions now: ${sessions}${skip}${refused}`;
    case 'ready':
      return `${node.name} takes new sessions again on ${lbs} once its checks pass${skip}`;
  }
}
