import type { ActionProgress, NodeAction } from '../../shared/domain/action';
import type { NodeStatus } from '../../shared/domain/status';

export type Mode = NodeAction;

// srv_admin_state bits (HAProxy src/server.h): forced/inherited/config/resolution/health maint, forced/inherited drain.
const MAINT_BITS = 0x01 | 0x02 | 0x04 | 0x20 | 0x40;
const DRAIN_BITS = 0x08 | 0x10;

/** What one LB has this server set to, by admin bits when HAProxy gave them, else by its status text. */
export function lbMode(stat: { adminState: number | null; status: string } | null): Mode | null {
  if (!stat) return null;
  if (stat.adminState !== null) {
    if (stat.adminState & MAINT_BITS) return 'maint';
    if (stat.adminState & DRAIN_BITS) return 'drain';
    return 'ready';
  }
  const s = stat.status.toUpperCase();
  if (s.startsWith('MAINT')) return 'maint';
  if (s.startsWith('DRAIN')) return 'drain';
  return 'ready';
}

/**
 * The segment shown pressed: the admin setting every readable LB agrees on. Null when LBs disagree
 * (a half-done action) or none can be read: pressing nothing is the honest answer then.
 */
export function currentMode(node: Pick<NodeStatus, 'perLb'>): Mode | null {
  const modes = node.perLb.map((v) => lbMode(v.stat)).filter((m): m is Mode => m !== null);
  if (!modes.length) return null;
  return modes.every((m) => m === modes[0]) ? modes[0]! : null;
}

export const ACTION_WORD: Record<NodeAction, string> = { ready: 'Ready', drain: 'Drain', maint: 'Maint' };

/** The primary button: names the action and the node, never "OK". */
export function actionLabel(action: NodeAction, node: string): string {
  switch (action) {
    case 'drain':
      return `Drain ${node}`;
    case 'maint':
      return `Put ${node} in maintenance`;
    case 'ready':
      return `Make ${node} ready`;
  }
}

export function overrideLabel(action: NodeAction): string {
  return { drain: 'Drain anyway', maint: 'Maintenance anyway', ready: 'Ready anyway' }[action];
}

export function dialogTitle(action: NodeAction, node: string): string {
  return { drain: `Drain ${node}?`, maint: `Put ${node} in maintenance?`, ready: `Make ${node} ready?` }[action];
}

/** "draining", "in maintenance", "ready": for progress and toasts. */
export function actionGerund(action: NodeAction): string {
  return { drain: 'Draining', maint: 'Putting in maintenance', ready: 'Making ready' }[action];
}

/** Why a segment can't be clicked now, or null when it can. */
export function controlBlock(o: { node: string; runningHere: { node: string; action: NodeAction } | null; connected: boolean }): string | null {
  if (!o.connected) return 'Not connected to ClusterDeck';
  if (o.runningHere) {
    const { node, action } = o.runningHere;
    const what = `${actionGerund(action).toLowerCase()} ${node}`;
    return node === o.node
      ? `Wait: ${what} is running`
      : `Wait: ${what} is running (actions on a cluster run one at a time)`;
  }
  return null;
}

/** The consequence line without the gate's refusal, which the dialog shows apart as reasons. */
export function consequenceMain(consequence: string): string {
  const i = consequence.indexOf('; refused by the safety gate');
  return i >= 0 ? consequence.slice(0, i) : consequence;
}

/** The optional drain wait: empty is "don't wait"; otherwise whole seconds 1..86400. */
export function parseWaitSeconds(raw: string): { ok: true; value: number | undefined } | { ok: false; error: string } {
  const t = raw.trim();
  if (!t) return { ok: true, value: undefined };
  if (!/^\d+$/.test(t)) return { ok: false, error: 'whole seconds, e.g. 30' };
  const n = Number(t);
  if (n < 1 || n > 86_400) return { ok: false, error: 'between 1 and 86400 seconds' };
  return { ok: true, value: n };
}

/** "18 s left", "2 min 5 s left", "deadline passed". */
export function timeLeft(deadline: number, now: number): string {
  const s = Math.max(0, Math.ceil((deadline - now) / 1000));
  if (s === 0) return 'deadline passed';
  if (s < 60) return `${s} s left`;
  return `${Math.floor(s / 60)} min ${s % 60} s left`;
}

const PHASE_WORD: Record<string, string> = {
  connecting: 'connecting',
  reading: 'reading',
  read: 'read',
  gate: 'checking the gate',
  applying: 'applying',
  applied: 'applied',
  confirming: 'confirming',
  waiting: 'waiting for sessions',
  failed: 'failed',
  done: 'done',
};

export interface LbProgressLine {
  lb: string;
  phase: string;
  /** One or two words for the row's chip, where space is short. */
  short: string;
  status: string | null;
  sessions: number | null;
  failed: boolean;
}

/** One line per LB for the row and the toast: "lb1: applied, DRAIN, 1 session". */
export function progressLines(p: ActionProgress): LbProgressLine[] {
  return Object.entries(p.lbs).map(([lb, v]) => {
    const waiting = p.phase === 'waiting' && v.phase === 'applied';
    const phase = waiting ? (v.sessions === 0 ? 'drained' : 'waiting for sessions') : (PHASE_WORD[v.phase] ?? v.phase);
    return {
      lb,
      phase,
      short: waiting ? (v.sessions === 0 ? 'drained' : 'waiting') : phase === 'checking the gate' ? 'gate' : phase,
      status: v.status,
      sessions: v.sessions,
      failed: v.phase === 'failed',
    };
  });
}

export function sessionsWord(n: number | null): string {
  if (n === null) return '? sessions';
  return `${n} session${n === 1 ? '' : 's'}`;
}
