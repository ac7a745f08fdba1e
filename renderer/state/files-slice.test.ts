import { beforeEach, describe, expect, it } from 'vitest';
import type { PushProgress, SyncMatrix } from '../../shared/domain/managed-files';
import { filesOf } from './files-slice';
import { app, useApp } from './store';

const initial = useApp.getState();
beforeEach(() => useApp.setState(initial, true));

const matrix = (checkedAt: number | null): SyncMatrix => ({ cluster: 'demo', files: [], hosts: ['node1'], cells: [], checkedAt, durationMs: null });
const prog = (p: Partial<PushProgress>): PushProgress => ({ id: 'p1', cluster: 'demo', host: 'node1', phase: 'push', percent: 40, detail: '', ...p });

describe('files slice', () => {
  it('keeps the newest matrix when a sync.changed and a sync.get cross', () => {
    app().setMatrix(matrix(20));
    app().setMatrix(matrix(10));
    expect(filesOf(app(), 'demo').matrix?.checkedAt).toBe(20);
    app().setMatrix(matrix(30));
    expect(filesOf(app(), 'demo').matrix?.checkedAt).toBe(30);
  });

  it('follows one push per cluster: bars and logs per host; a new id starts fresh', () => {
    app().patchFiles('demo', { live: { id: null, hosts: {} } });
    app().applyPushProgress(prog({ phase: 'drain', percent: 10, detail: 'node1 DRAIN on lb1 and lb2' }));
    app().applyPushProgress(prog({ phase: 'push', percent: 40 }));
    app().applyPushProgress(prog({ phase: 'push', percent: 40 }));
    app().applyPushProgress(prog({ host: 'node2', phase: 'waiting', percent: 0 }));
    let live = filesOf(app(), 'demo').live!;
    expect(live.id).toBe('p1');
    expect(live.hosts.node1).toMatchObject({ phase: 'push', percent: 40, log: ['node1 DRAIN on lb1 and lb2', 'pushing'] });
    expect(live.hosts.node2?.phase).toBe('waiting');

    // config.progress goes into the host's log only while our run is going
    app().applyPushConfigStep({ id: 'c1', cluster: 'demo', target: 'node1', step: 'validate', ok: true, detail: 'ok: 3 keys' });
    expect(filesOf(app(), 'demo').live!.hosts.node1!.log).toHaveLength(2);
    app().patchFiles('demo', (cur) => ({ wizard: { ...cur.wizard, run: { request: { mode: 'rolling', drainWaitSec: 1, portWaitSec: 1 }, running: true, startedAt: 0, result: null, error: null } } }));
    app().applyPushConfigStep({ id: 'c1', cluster: 'demo', target: 'node1', step: 'validate', ok: false, detail: 'line 2: bad' });
    expect(filesOf(app(), 'demo').live!.hosts.node1!.log.at(-1)).toBe('validate FAILED: line 2: bad');

    app().applyPushProgress(prog({ id: 'p2', phase: 'waiting', percent: 0 }));
    live = filesOf(app(), 'demo').live!;
    expect(live.id).toBe('p2');
    expect(Object.keys(live.hosts)).toEqual(['node1']);
    expect(filesOf(app(), 'other').wizard.open).toBe(false);
  });
});
