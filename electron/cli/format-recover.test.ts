import { describe, expect, it } from 'vitest';
import type { UnfinishedChange } from '../../shared/contract/recover';
import { formatUnfinished, interruptedWarning } from './format-recover';

const change = (state: UnfinishedChange['state'], message: string, id = 'c1'): UnfinishedChange => ({
  id,
  cluster: 'demo',
  kind: 'push',
  summary: 'push app.conf to node1 (all-at-once)',
  state,
  owner: { pid: 4242, machine: 'desk', actor: { via: 'cli', user: 'root', machine: 'desk' } },
  ownerText: `cli root@desk, pid 4242 (${state === 'running' ? 'running' : 'gone'})`,
  startedAt: Date.UTC(2026, 5, 11, 10, 15, 30),
  updatedAt: Date.UTC(2026, 5, 11, 10, 15, 31),
  message,
  targets: [],
  drained: [],
  offers: { finish: { available: state === 'interrupted', what: 'reload and check node1', why: null }, restore: { available: false, what: '', why: 'every host already has its file from before' } },
});

describe('recover words', () => {
  it('one warning line naming each interrupted change, none for running ones', () => {
    expect(interruptedWarning('demo', [change('interrupted', 'node1 /srv/app/app.conf stopped after replace, before reload'), change('running', 'running: pid 1 is still running', 'c2')])).toBe(
      'WARNING: 1 interrupted change on demo: node1 /srv/app/app.conf stopped after replace, before reload; run `clusterdeck recover demo`',
    );
    expect(interruptedWarning('demo', [change('running', 'x')])).toBeNull();
    expect(interruptedWarning('demo', [])).toBeNull();
  });

  it('lists running changes as running, interrupted ones with their ways out', () => {
    expect(formatUnfinished('demo', [])).toBe('Cluster demo: no unfinished changes.');
    const text = formatUnfinished('demo', [change('running', 'running: pid 4242 is still running', 'c2'), change('interrupted', 'node1 /srv/app/app.conf stopped after replace, before reload')], ['/d/journal/demo/torn.json']);
    expect(text.split('\n')).toEqual([
      'Cluster demo: 1 interrupted change, 1 running',
      '',
      'RUNNING c2: push app.conf to node1 (all-at-once)',
      '  started 2026-06-11 10:15:30Z by cli root@desk, pid 4242 (running); last step 2026-06-11 10:15:31Z',
      '  running: pid 4242 is still running: not to be recovered while it runs',
      '',
      'INTERRUPTED c1: push app.conf to node1 (all-at-once)',
      '  started 2026-06-11 10:15:30Z by cli root@desk, pid 4242 (gone); last step 2026-06-11 10:15:31Z',
      '  node1 /srv/app/app.conf stopped after replace, before reload',
      '',
      '  finish   reload and check node1: clusterdeck recover demo --finish c1',
      '  restore  not offered: every host already has its file from before',
      '',
      'UNREADABLE journal file /d/journal/demo/torn.json: left as it is; check it by hand',
    ]);
  });
});
