import type { ClusterSpec, NodeSpec } from '../../shared/domain/cluster';
import {
  NODE_STATES,
  type ClusterStatus,
  type LbNodeView,
  type LinkStatus,
  type NodeState,
  type NodeStatus,
  type LbWarning,
  type ServerStat,
} from '../../shared/domain/status';
import type { CliLevel } from '../../shared/domain/reloads';
import { socketLabel } from '../haproxy/runtime-client';
import { quorumOf } from '../../shared/domain/quorum';
import { ADMIN_STATE_WORDS, adminStateOf, strictestAdmin } from '../../shared/domain/admin-state';
import { classifyStatus } from '../haproxy/parse/status-text';
import { findServer, type LbRead } from './lb-read';

const rank = (s: NodeState): number => NODE_STATES.indexOf(s);
export const worstOf = (states: NodeState[]): NodeState =>
  states.reduce<NodeState>((w, s) => (rank(s) > rank(w) ? s : w), 'active');

/** One LB's opinion of one server, in the merged vocabulary. */
export function lbViewState(stat: ServerStat): NodeState {
  const c = classifyStatus(stat.status);
  switch (c.kind) {
    case 'maint':
      return 'maintenance';
    case 'down':
      return 'down';
    case 'drain':
    case 'nolb':
      return 'draining';
    case 'up':
    case 'nocheck':
      return stat.backup ? 'standby' : 'active';
    default:
      return 'unknown';
  }
}

export function nodeViews(node: NodeSpec, reads: LbRead[]): LbNodeView[] {
  return reads.map((r): LbNodeView => {
    if (!r.ok) return { lb: r.lb, stat: null, state: 'unknown', admin: null, at: null, error: r.error.toData() };
    const stat = findServer(r, node.backend, node.server);
    if (!stat) {
      return {
        lb: r.lb,
        stat: null,
        state: 'unknown',
        admin: null,
        at: r.at,
        error: { code: 'SERVER_NOT_FOUND', message: `${r.lb} has no server ${node.backend}/${node.server}` },
      };
    }
    return { lb: r.lb, stat, state: lbViewState(stat), admin: adminStateOf(stat.adminState), at: r.at, error: null };
  });
}

const joinNames = (xs: string[]): string => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

function forSeconds(sec: number | null): string {
  if (sec === null) return '';
  if (sec < 120) return ` for ${sec} s`;
  if (sec < 7200) return ` for ${Math.round(sec / 60)} min`;
  return ` for ${Math.round(sec / 3600)} h`;
}

function checkNote(s: ServerStat): string {
  const uniq = [...new Set([s.checkStatus, s.lastCheck].filter(Boolean))];
  return uniq.length ? `: ${uniq.join(', ')}` : '';
}

/** The one-line reason behind a merged state, e.g. "DOWN on lb1 for 12 s: L4CON". */
export function explain(merged: NodeState, views: LbNodeView[], link: LinkStatus): string {
  if (merged === 'unreachable') {
    const why = link.lastError?.message ?? `${link.missedBeats} heartbeats missed`;
    return `SSH to the node is lost: ${why}`;
  }
  const withStat = views.filter((v) => v.stat);
  if (withStat.length === 0) {
    const errs = views.map((v) => `${v.lb}: ${v.error?.message ?? 'no data'}`);
    return errs.length ? `no LB could report it (${errs.join('; ')})` : 'no load balancer configured';
  }
  const culprits = withStat.filter((v) => v.state === merged);
  const names = joinNames(culprits.map((v) => v.lb));
  const first = culprits[0]!.stat!;
  const unreadable = views.filter((v) => !v.stat).map((v) => v.lb);
  const tail = unreadable.length ? `; ${joinNames(unreadable)} unreadable` : '';
  switch (merged) {
    case 'down': {
      // A server drained (or parked) while its checks fail reads DOWN: say what the admin asked too.
      const held = culprits.filter((v) => v.admin === 'drain' || v.admin === 'maint');
      const admin = held.length ? `; ${ADMIN_STATE_WORDS[held[0]!.admin!]} on ${joinNames(held.map((v) => v.lb))}` : '';
      return `${first.status} on ${names}${forSeconds(first.lastChangeSec)}${checkNote(first)}${admin}${tail}`;
    }
    case 'draining': {
      const sessions = culprits.reduce((n, v) => n + (v.stat?.sessions ?? 0), 0);
      return `${first.status} on ${names}; ${sessions} session${sessions === 1 ? '' : 's'} left${tail}`;
    }
    case 'maintenance':
      return `${first.status} on ${names}${tail}`;
    case 'standby':
      return `backup server, ${first.status} on ${names}${tail}`;
    case 'active': {
      const going = culprits.find((v) => classifyStatus(v.stat!.status).transition);
      if (going) return `${going.stat!.status} on ${going.lb}: failing checks${checkNote(going.stat!)}${tail}`;
      return `${first.status} on ${names}${first.checkStatus ? ` (${first.checkStatus})` : ''}${tail}`;
    }
    default:
      return `status "${first.status}" on ${names} is not one ClusterDeck knows${tail}`;
  }
}

/** Where LBs disagree about a server: state, backup flag or check settings. */
export function disagreement(views: LbNodeView[]): string | null {
  const seen = views.filter((v) => v.stat);
  if (seen.length < 2) return null;
  const diffs: string[] = [];
  const distinct = <T>(f: (s: ServerStat) => T): boolean => new Set(seen.map((v) => JSON.stringify(f(v.stat!)))).size > 1;
  if (distinct((s) => classifyStatus(s.status).kind)) diffs.push(seen.map((v) => `${v.lb}: ${v.stat!.status}`).join(', '));
  if (distinct((s) => s.backup)) diffs.push(`backup on ${seen.filter((v) => v.stat!.backup).map((v) => v.lb).join(', ')} only`);
  if (distinct((s) => [s.checkRise, s.checkFall, s.checkInterMs])) {
    diffs.push(`check settings differ (${seen.map((v) => `${v.lb}: rise ${v.stat!.checkRise} fall ${v.stat!.checkFall}`).join(', ')})`);
  }
  return diffs.length ? diffs.join('; ') : null;
}

/** The oldest LB answer behind a row (null when no LB answered): a row is only as fresh as that. */
function oldestAnswer(views: LbNodeView[]): number | null {
  const ats = views.map((v) => v.at).filter((a): a is number => a !== null);
  return ats.length ? Math.min(...ats) : null;
}

export function deriveNodeStatus(node: NodeSpec, reads: LbRead[], link: LinkStatus): NodeStatus {
  const perLb = nodeViews(node, reads);
  const known = perLb.filter((v) => v.stat).map((v) => v.state);
  // Only the node's own SSH link can say "unreachable": an LB that can't reach it says DOWN.
  const merged: NodeState = link.state === 'unreachable' ? 'unreachable' : known.length ? worstOf(known) : 'unknown';
  const diff = disagreement(perLb);
  const backup = perLb.some((v) => v.stat?.backup);
  return {
    node: node.name,
    address: `${node.ssh.host}:${node.ssh.port}`,
    backend: node.backend,
    server: node.server,
    perLb,
    merged,
    reason: explain(merged, perLb, link),
    disagree: diff !== null,
    disagreement: diff,
    role: backup ? 'standby' : 'active',
    link,
    healthy: merged === 'active' || merged === 'standby',
    // Filled in by the sync service, which knows the managed files.
    sync: null,
    admin: strictestAdmin(perLb.map((v) => v.admin)),
    asOf: oldestAnswer(perLb),
  };
}

/**
 * With a number of active nodes set (1 = HA mode), healthy nodes beyond that count are standby,
 * in inventory order, even where HAProxy still sends them traffic (until the settings are applied).
 */
export function applyActiveCount(nodes: NodeStatus[], activeNodes: number | null): NodeStatus[] {
  if (activeNodes === null) return nodes;
  let seen = 0;
  return nodes.map((n) => {
    if (n.merged !== 'active') return n;
    seen++;
    if (seen <= activeNodes) return n;
    const routed = n.perLb.some((v) => v.stat && !v.stat.backup);
    return {
      ...n,
      merged: 'standby',
      role: 'standby',
      reason: `healthy, beyond the ${activeNodes} active node${activeNodes === 1 ? '' : 's'} of this cluster${routed ? ' (HAProxy still sends it traffic: apply the failover settings)' : ''}`,
    };
  });
}

export interface VipObservation {
  holders: string[];
  checkedAt: number | null;
  error: string | null;
}

export function deriveClusterStatus(
  cluster: ClusterSpec,
  reads: LbRead[],
  links: (host: string) => LinkStatus,
  now: number,
  vip: VipObservation | null = null,
): ClusterStatus {
  const nodes = applyActiveCount(
    cluster.nodes.map((n) => deriveNodeStatus(n, reads, links(n.name))),
    cluster.settings.activeNodes,
  );
  const lbs = cluster.lbs.map((lb) => {
    const r = reads.find((x) => x.lb === lb.name);
    return {
      lb: lb.name,
      address: `${lb.ssh.host}:${lb.ssh.port}`,
      socket: lb.socket.kind === 'unix' ? lb.socket.path : `${lb.socket.host}:${lb.socket.port}`,
      link: links(lb.name),
      runtime:
        r && r.ok
          ? {
              ok: true,
              version: r.info?.version ?? null,
              pid: r.info?.pid ?? null,
              uptimeSec: r.info?.uptimeSec ?? null,
              readMs: r.readMs,
              readAt: r.at,
              startedAt: r.info?.uptimeSec !== null && r.info?.uptimeSec !== undefined ? r.at - r.info.uptimeSec * 1000 : null,
              level: r.level,
              error: null,
            }
          : { ok: false, version: null, pid: null, uptimeSec: null, readMs: null, readAt: null, startedAt: null, level: null, error: r && !r.ok ? r.error.toData() : null },
      backends: r && r.ok ? r.backends : {},
      warnings: r && r.ok ? levelWarnings(lb.name, socketLabel(lb.socket), r.level) : [],
      reload: null,
    };
  });
  return {
    cluster: cluster.name,
    at: now,
    nodes,
    lbs,
    worst: nodes.length ? worstOf(nodes.map((n) => n.merged)) : 'unknown',
    counts: {
      active: nodes.filter((n) => n.merged === 'active').length,
      standby: nodes.filter((n) => n.merged === 'standby').length,
      total: nodes.length,
    },
    quorum: quorumOf(nodes.length, nodes.filter((n) => n.healthy).length),
    actions: actionsAllowed(lbs),
    changes: { running: 0, interrupted: 0 },
    vip: cluster.settings.vip ? { address: cluster.settings.vip, holders: vip?.holders ?? [], checkedAt: vip?.checkedAt ?? null, error: vip?.error ?? null } : null,
  };
}

/** A socket below level admin can read but not drain: one LB refusing would split the pair. */
export function levelWarnings(lb: string, socket: string, level: CliLevel | null): LbWarning[] {
  if (level === null || level === 'admin') return [];
  return [
    {
      code: 'socket-level',
      message: `${lb}'s runtime socket ${socket} is at level ${level}: ClusterDeck can read it but not drain, put in maintenance or make ready`,
      fix: `give that socket "level admin" in ${lb}'s haproxy.cfg (stats socket ... level admin), or point haproxy_socket at one that has it`,
    },
  ];
}

/** Actions go to every LB, so one LB that cannot take them blocks them for the whole cluster. */
export function actionsAllowed(lbs: Array<{ warnings: LbWarning[] }>): { allowed: boolean; reason: string | null } {
  const blocking = lbs.flatMap((l) => l.warnings.filter((w) => w.code === 'socket-level'));
  if (blocking.length === 0) return { allowed: true, reason: null };
  return { allowed: false, reason: `${blocking.map((w) => w.message).join('; ')}. Drain, maint and ready are disabled for this cluster until every LB's socket is at level admin.` };
}
