/** The words of a push's result: what an admin reads to know where each host stands. Pure. */
import type { PushHostResult, PushResult } from '../../shared/domain/managed-files';
import { names } from '../config/config-report';

const OUTCOME_WORDS: Record<PushHostResult['outcome'], string> = {
  done: 'pushed',
  unchanged: 'already in sync',
  refused: 'refused (nothing written)',
  restored: 'failed, previous file restored',
  failed: 'failed',
  'not-started': 'not started',
};

export function hostOutcomeWords(o: PushHostResult['outcome']): string {
  return OUTCOME_WORDS[o];
}

export function summarizePush(mode: PushResult['mode'], hosts: PushHostResult[], cancelled = false): Pick<PushResult, 'outcome' | 'message'> {
  const of = (...o: Array<PushHostResult['outcome']>): string[] => hosts.filter((h) => o.includes(h.outcome)).map((h) => h.host);
  const done = of('done');
  const unchanged = of('unchanged');
  const bad = hosts.filter((h) => h.outcome === 'refused' || h.outcome === 'restored' || h.outcome === 'failed');
  const notStarted = of('not-started');
  const tail = [
    done.length ? `pushed to ${names(done)}` : '',
    unchanged.length ? `${names(unchanged)} already in sync` : '',
    notStarted.length ? `not started: ${names(notStarted)}` : '',
  ].filter((s) => s !== '');

  if (bad.length === 0 && !cancelled) {
    if (done.length === 0) return { outcome: 'unchanged', message: `nothing to push: ${names(unchanged)} already ${unchanged.length > 1 ? 'have' : 'has'} the desired files` };
    return { outcome: 'ok', message: tail.join('; ') };
  }
  const why = (h: PushHostResult): string => h.error?.message ?? hostOutcomeWords(h.outcome);
  if (mode === 'rolling') {
    const first = bad[0];
    const head = first ? `stopped at ${first.host}: ${why(first)}` : 'cancelled';
    const extra = first ? first.notes.filter((n) => /made ready again|left drained/.test(n)) : [];
    return { outcome: 'stopped', message: [head, ...extra, ...tail].join('; ') };
  }
  const failed = `failed on ${bad.map((h) => `${h.host} (${why(h)})`).join('; ')}`;
  const head = cancelled ? `cancelled; ${failed}` : failed;
  return { outcome: done.length + unchanged.length === 0 ? 'failed' : 'partial', message: [bad.length ? head : 'cancelled', ...tail].join('; ') };
}
