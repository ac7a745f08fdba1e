import { describe, expect, it } from 'vitest';
import type { PushHostResult } from '../../shared/domain/managed-files';
import { summarizePush } from './push-summary';

const h = (host: string, outcome: PushHostResult['outcome'], message?: string, notes: string[] = []): PushHostResult => ({
  host,
  outcome,
  files: [],
  drained: false,
  notes,
  error: message ? { code: 'NOT_CONFIRMED', message } : null,
  durationMs: 1,
});

describe('summarizePush', () => {
  it('ok, unchanged', () => {
    expect(summarizePush('rolling', [h('node1', 'done'), h('node2', 'unchanged'), h('node3', 'done')])).toEqual({ outcome: 'ok', message: 'pushed to node1 and node3; node2 already in sync' });
    expect(summarizePush('all-at-once', [h('node1', 'unchanged'), h('node2', 'unchanged')])).toEqual({ outcome: 'unchanged', message: 'nothing to push: node1 and node2 already have the desired files' });
  });

  it('a rolling run stopped at a failed host lists what was done and what was not started', () => {
    const r = summarizePush('rolling', [
      h('node1', 'done'),
      h('node2', 'restored', 'reload failed on node2: the app rejected it; node2 was restored to its previous file and reloaded', ['drained on lb1 and lb2', 'the previous file is in place and port 8080 answers: made ready again on lb1 and lb2']),
      h('node3', 'not-started'),
    ]);
    expect(r.outcome).toBe('stopped');
    expect(r.message).toBe(
      'stopped at node2: reload failed on node2: the app rejected it; node2 was restored to its previous file and reloaded; the previous file is in place and port 8080 answers: made ready again on lb1 and lb2; pushed to node1; not started: node3',
    );
  });

  it('all at once: partial when some hosts failed, failed when none went through; cancelled', () => {
    expect(summarizePush('all-at-once', [h('node1', 'done'), h('node2', 'refused', 'node2 refused the new file: line 2')])).toEqual({
      outcome: 'partial',
      message: 'failed on node2 (node2 refused the new file: line 2); pushed to node1',
    });
    expect(summarizePush('all-at-once', [h('node1', 'failed', 'x')]).outcome).toBe('failed');
    expect(summarizePush('rolling', [h('node1', 'done'), h('node2', 'not-started')], true)).toEqual({ outcome: 'stopped', message: 'cancelled; pushed to node1; not started: node2' });
  });
});
