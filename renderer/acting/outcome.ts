import type { ActionResult, LbActionResult } from '../../shared/domain/action';
import { explainError } from '../errors/explain';
import type { ToastItem } from '../state/toasts-slice';
import { sessionsWord } from './acting-view';

export type OutcomeView =
  | { kind: 'toast'; toast: Omit<ToastItem, 'id'> }
  | { kind: 'deadline' }
  | { kind: 'split' };

/** "lb1 DRAIN, 0 sessions; lb2 DRAIN, 0 sessions" */
export function perLbSummary(lbs: LbActionResult[]): string {
  return lbs
    .map((l) => {
      if (l.outcome === 'applied') return `${l.lb} ${l.statusAfter ?? '?'}, ${sessionsWord(l.sessions)}`;
      if (l.outcome === 'failed') return `${l.lb} FAILED`;
      return `${l.lb} not sent`;
    })
    .join('; ');
}

export interface FailedLb {
  lb: string;
  title: string;
  detail: string;
  next: string;
}

/** Each failed LB with why, in words to act on. */
export function failedLbs(r: ActionResult): FailedLb[] {
  return r.lbs
    .filter((l) => l.outcome === 'failed')
    .map((l) => {
      const e = explainError(l.error ?? { code: 'INTERNAL', message: 'failed without an error message' }, l.lb);
      return { lb: l.lb, title: e.title, detail: e.detail, next: e.next };
    });
}

/** What the UI does with an action's result: a toast, the deadline choice, or the split-result card. */
export function outcomeView(r: ActionResult): OutcomeView {
  switch (r.outcome) {
    case 'ok':
      return { kind: 'toast', toast: { tone: 'ok', title: r.message, body: perLbSummary(r.lbs), sticky: false } };
    case 'timeout':
      return { kind: 'deadline' };
    case 'partial':
      return { kind: 'split' };
    case 'refused': {
      const code = r.error?.code ?? 'GATE_REFUSED';
      if (code === 'HOST_KEY_CHANGED' || code === 'HOST_KEY_REVOKED') {
        const d = r.error?.details ?? {};
        const names = Array.isArray(d.names) && d.names.length ? ` (${d.names.join(', ')})` : '';
        const who = typeof d.host === 'string' ? `${d.host}${names}` : 'A host';
        const what = code === 'HOST_KEY_CHANGED' ? 'presented a different SSH host key than the one pinned' : 'presented a revoked SSH host key';
        return {
          kind: 'toast',
          toast: {
            tone: 'error',
            title: `Nothing was sent to any LB: ${r.node} was not changed`,
            body: `${who} ${what}. ClusterDeck refused it before logging in, and refuses any action that involves it.`,
            next: 'Review the key ("Host keys: … to review" in the top bar) to see both fingerprints; do not work around it. Once the change is confirmed as legitimate, clear the old pin as it explains (clusterdeck host-keys forget, or the known_hosts line).',
            sticky: true,
          },
        };
      }
      return {
        kind: 'toast',
        toast: {
          tone: 'warn',
          title: `Refused by the safety gate: ${r.node} was not changed`,
          body: r.gate.reasons.join('; ') || r.message,
          next: 'The cluster changed since the preview. Click the action again to see the gate with the current state.',
          sticky: true,
        },
      };
    }
    case 'failed': {
      const fails = failedLbs(r);
      return {
        kind: 'toast',
        toast: {
          tone: 'error',
          title: `${r.node} was not changed on any LB`,
          body: fails.length ? fails.map((f) => `${f.title}: ${f.detail}`).join('\n') : r.message,
          next: fails[0]?.next ?? explainError(r.error ?? { message: r.message }).next,
          sticky: true,
        },
      };
    }
  }
}
