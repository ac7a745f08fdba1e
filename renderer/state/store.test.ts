import { beforeEach, describe, expect, it } from 'vitest';
import type { ActionProgress } from '../../shared/domain/action';
import type { ClusterStatus } from '../../shared/domain/status';
import { MAX_COMMANDS } from './command-log-slice';
import { app, useApp } from './store';

const initial = useApp.getState();
beforeEach(() => useApp.setState(initial, true));

const progress = (phase: ActionProgress['phase'], node = 'node1'): ActionProgress => ({
  id: 'a',
  cluster: 'demo',
  node,
  action: 'drain',
  phase,
  lbs: { lb1: { phase: 'applying', status: null, sessions: null } },
  deadline: null,
});

describe('store slices', () => {
  it('keeps the newest status snapshot when pushes arrive out of order', () => {
    const st = (at: number) => ({ cluster: 'demo', at, nodes: [], lbs: [], worst: 'active', counts: { active: 0, standby: 0, total: 0 } }) as ClusterStatus;
    app().setStatus(st(20));
    app().setStatus(st(10));
    expect(app().status.demo?.at).toBe(20);
    app().setStatusError('demo', { code: 'X', title: 't', detail: 'd', next: 'n' });
    app().setStatus(st(30));
    expect(app().statusError.demo).toBeNull();
  });

  it('tracks progress of our action until its result, and of others until done', () => {
    app().startRunning({ cluster: 'demo', node: 'node1', action: 'drain', ours: true, progress: null, startedAt: 0, waitSeconds: null });
    app().applyProgress(progress('applying'));
    app().applyProgress(progress('done'));
    expect(app().running['demo/node1']?.progress?.phase).toBe('done');
    app().stopRunning('demo', 'node1');
    expect(app().running).toEqual({});

    // an action started elsewhere (the CLI) shows up, and goes with its "done"
    app().applyProgress(progress('reading', 'node2'));
    expect(app().running['demo/node2']?.ours).toBe(false);
    app().applyProgress(progress('done', 'node2'));
    expect(app().running['demo/node2']).toBeUndefined();
  });

  it('bounds the command log, oldest dropped first', () => {
    const line = (i: number) => ({ at: i, cluster: 'demo', target: 'lb1', kind: 'runtime' as const, command: `c${i}`, reply: '', ms: 1, error: null });
    app().appendCommands(Array.from({ length: MAX_COMMANDS + 10 }, (_, i) => line(i)));
    const log = app().commandLog;
    expect(log).toHaveLength(MAX_COMMANDS);
    expect(log[0]?.command).toBe('c10');
    expect(log[log.length - 1]?.seq).toBe(MAX_COMMANDS + 10);
  });

  it('bounds toasts, dropping confirmations before errors', () => {
    const err = app().pushToast({ tone: 'error', title: 'keep me', sticky: true });
    for (let i = 0; i < 10; i++) app().pushToast({ tone: 'ok', title: `ok ${i}`, sticky: false });
    const ts = app().toasts;
    expect(ts.length).toBeLessThanOrEqual(6);
    expect(ts.some((t) => t.id === err)).toBe(true);
    expect(ts[ts.length - 1]?.title).toBe('ok 9');
  });

  it('one split card per node: a new split replaces the old one', () => {
    const r = { id: 'r1', cluster: 'demo', node: 'node1' } as never;
    app().addSplit(r);
    app().addSplit({ ...(r as object), id: 'r2' } as never);
    expect(app().splits.map((s) => s.result.id)).toEqual(['r2']);
  });

  it('opening another cluster resets what belonged to the previous one', () => {
    app().selectCluster('a');
    app().setSearch('node1');
    app().setPanelNode('node1');
    app().setTab('activity');
    app().selectCluster('b');
    expect(app()).toMatchObject({ selectedCluster: 'b', search: '', panelNode: null, tab: 'overview' });
  });

  it('remembers refused host keys until reopened', () => {
    app().dismissKey('k1');
    app().dismissKey('k1');
    expect(app().dismissedKeys).toEqual(['k1']);
    app().reopenKeys();
    expect(app().dismissedKeys).toEqual([]);
  });
});
