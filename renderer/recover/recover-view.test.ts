import { describe, expect, it } from 'vitest';
import type { RecoveryResult, UnfinishedChange } from '../../shared/contract/recover';
import { bannerView, confirmView, disabledWhy, resultTitle, resultTone, targetRows } from './recover-view';

const change = (over: Partial<UnfinishedChange> = {}): UnfinishedChange => ({
  id: 'c1',
  cluster: 'demo',
  kind: 'push',
  summary: 'push app.conf to node1 (all-at-once)',
  state: 'interrupted',
  owner: { pid: 4242, machine: 'desk', actor: { via: 'cli', user: 'root', machine: 'desk' } },
  ownerText: 'cli root@desk, pid 4242 (gone)',
  startedAt: 1,
  updatedAt: 2,
  message: 'node1 /srv/app/app.conf stopped after replace, before reload',
  targets: [
    { host: 'node1', role: 'node', path: '/srv/app/app.conf', file: 'app.conf', stoppedAt: 'replace done, reload not', done: 'replace', doing: 'reload', holds: 'new', holdsText: 'node1 has the new file, not reloaded', pending: true, backup: '/srv/app/app.conf.clusterdeck-1.bak', reload: { kind: 'command', command: '/srv/app/reload' } },
    { host: 'node2', role: 'node', path: '/srv/app/app.conf', file: 'app.conf', stoppedAt: 'done', done: 'verify', doing: null, holds: 'unknown', holdsText: 'not read', pending: false, backup: null, reload: { kind: 'command', command: '/srv/app/reload' } },
  ],
  drained: [],
  offers: {
    finish: { available: true, what: 'reload and check node1', why: null },
    restore: { available: false, what: '', why: 'node1 could not be read: try again when it answers' },
  },
  ...over,
});

describe('the interrupted-change banner', () => {
  it('warns about interrupted changes, notes running ones, and is hidden otherwise', () => {
    expect(bannerView('demo', { running: 0, interrupted: 1 })).toMatchObject({ show: true, tone: 'warn', title: '1 change on demo was interrupted' });
    expect(bannerView('demo', { running: 1, interrupted: 2 }).title).toBe('2 changes on demo were interrupted');
    expect(bannerView('demo', { running: 1, interrupted: 0 })).toMatchObject({ show: true, tone: 'info', title: '1 change running on demo' });
    expect(bannerView('demo', { running: 0, interrupted: 0 }).show).toBe(false);
    expect(bannerView('demo', undefined).show).toBe(false);
  });

  it('lists only the hosts left part-way, with what they hold', () => {
    expect(targetRows(change())).toEqual([
      { key: 'node1:/srv/app/app.conf', host: 'node1', path: '/srv/app/app.conf', stoppedAt: 'replace done, reload not', holds: 'node1 has the new file, not reloaded', tone: 'warn' },
    ]);
  });

  it('asks before acting, naming what will be done; a way out not offered says why', () => {
    expect(confirmView(change(), 'finish')).toEqual({ title: 'Finish "push app.conf to node1 (all-at-once)"?', body: 'This will reload and check node1.', button: 'Finish (reload)', danger: false });
    expect(confirmView(change(), 'restore')).toMatchObject({ button: 'Restore the backup', danger: true });
    expect(disabledWhy(change(), 'finish')).toBeNull();
    expect(disabledWhy(change(), 'restore')).toBe('node1 could not be read: try again when it answers');
  });

  it('says how a resolution went', () => {
    const r = (outcome: RecoveryResult['outcome'], action: RecoveryResult['action'] = 'finish'): RecoveryResult => ({ id: 'c1', cluster: 'demo', action, outcome, message: '', targets: [], nodes: [], settings: null, commands: [] });
    expect([resultTone(r('ok')), resultTitle(r('ok'))]).toEqual(['ok', 'Finished the interrupted change']);
    expect([resultTone(r('partial', 'restore')), resultTitle(r('partial', 'restore'))]).toEqual(['warn', 'Restored in part']);
    expect([resultTone(r('failed', 'restore')), resultTitle(r('failed', 'restore'))]).toEqual(['error', 'Could not restore the interrupted change']);
  });
});
