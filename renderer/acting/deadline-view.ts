import type { ActionResult } from '../../shared/domain/action';
import { sessionsWord } from './acting-view';

/** What the deadline dialog says about a drain that timed out, and what each choice would do. */
export interface DeadlineView {
  title: string;
  situation: string;
  stillOpen: string;
  /** Seconds proposed for "Keep draining". */
  keepDefault: number;
  choices: { force: string; keep: string; revert: string };
}

const joinAnd = (xs: string[]): string => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

export function deadlineView(r: ActionResult): DeadlineView {
  const waited = r.wait?.seconds ?? 0;
  const applied = r.lbs.filter((l) => l.outcome === 'applied').map((l) => l.lb);
  const open = r.wait ? Object.entries(r.wait.sessions).filter(([, n]) => n !== 0) : [];
  return {
    title: `${r.node} still has sessions after ${waited} s`,
    situation: `${r.node} was left draining on ${joinAnd(applied) || 'no LB'}: it gets no new sessions, and the ones still open continue. Choose what happens now; closing this dialog leaves it draining.`,
    stillOpen: open.length ? `Still open: ${open.map(([lb, n]) => `${sessionsWord(n)} on ${lb}`).join(', ')}` : 'Still open: none reported',
    // The same wait would most likely run out again: propose at least 30 s.
    keepDefault: Math.max(30, waited),
    choices: {
      force: `Takes ${r.node} out of service now: checks stop and it gets no new traffic; HAProxy does not wait for the open sessions (they finish or time out). The safety gate is checked first.`,
      keep: `Waits again for the sessions on ${r.node} to finish, with a new deadline; it stays draining meanwhile.`,
      revert: `Makes ${r.node} ready again: it takes new sessions once its checks pass.`,
    },
  };
}
