import { describe, expect, it } from 'vitest';
import type { JournalEntry, JournalTarget } from '../../shared/domain/journal';
import { newEntry } from '../journal/journal-records';
import { ownerVerdict, ownerWords, type Here } from './liveness';
import { describeChange, holdsOf, offers, pending, stoppedAt, stoppedWords, targetKey, type Probe } from './recover-plan';

const OLD = 'a'.repeat(64);
const NEW = 'b'.repeat(64);
const owner = { pid: 4242, startTime: 777, machine: 'desk', actor: { via: 'cli' as const, user: 'root', machine: 'desk' } };

function entry(targets: Array<Partial<JournalTarget>>, over: Partial<JournalEntry> = {}): JournalEntry {
  const e = newEntry(
    {
      id: 'c1',
      cluster: 'demo',
      kind: 'push',
      summary: 'push app.conf to node1 (all-at-once)',
      owner,
      targets: targets.map((_, i) => ({ host: `node${i + 1}`, role: 'node' as const, path: '/srv/app/app.conf', file: 'app.conf', reload: { kind: 'command' as const, command: '/srv/app/reload' } })),
    },
    1,
  );
  e.targets = e.targets.map((t, i) => ({ ...t, shaBefore: OLD, shaNew: NEW, prepared: true, ...targets[i] }));
  return { ...e, ...over };
}
const reload = (ended: boolean) => ({ startedAt: 5, endedAt: ended ? 6 : null, ok: ended ? true : null, oldPid: null, newPid: null });

describe('who owns a running change', () => {
  const here = (alive: Record<number, number | null>): Here => ({
    machine: 'desk',
    identity: (pid) => (pid in alive ? { alive: true, startTime: alive[pid]! } : { alive: false, startTime: null }),
  });
  const e = entry([{}]);

  it('running while its pid lives with the same start time; interrupted when gone or reused', () => {
    expect(ownerVerdict(e, here({ 4242: 777 }))).toEqual({ state: 'running', why: 'pid 4242 is still running' });
    expect(ownerVerdict(e, here({}))).toEqual({ state: 'interrupted', why: 'pid 4242 is gone' });
    expect(ownerVerdict(e, here({ 4242: 999 }))?.state).toBe('interrupted');
    expect(ownerVerdict(e, here({ 4242: null }))?.state).toBe('running');
    expect(ownerVerdict({ ...e, owner: { ...owner, startTime: null } }, here({ 4242: 999 }))?.state).toBe('running');
  });

  it('another machine cannot be checked (running); abandoned is interrupted at once; finished is not unfinished', () => {
    expect(ownerVerdict({ ...e, owner: { ...owner, machine: 'laptop' } }, here({}))).toMatchObject({ state: 'running', why: expect.stringContaining('on laptop') });
    expect(ownerVerdict({ ...e, abandoned: true }, here({ 4242: 777 }))?.state).toBe('interrupted');
    expect(ownerVerdict({ ...e, state: 'done' }, here({}))).toBeNull();
    expect(ownerVerdict({ ...e, state: 'resolved' }, here({}))).toBeNull();
    expect(ownerWords(e, { state: 'interrupted', why: '' })).toBe('cli root@desk, pid 4242 (gone)');
  });
});

describe('where a change stopped, and what the host holds', () => {
  it('names the last step done and the first not done', () => {
    const t = (p: Partial<JournalTarget>) => entry([p]).targets[0]!;
    expect(stoppedAt(t({ done: 'replace', lastOk: true, doing: 'reload', reloads: [reload(false)] }))).toBe('replace done, reload not');
    expect(stoppedWords(t({ done: 'replace', lastOk: true, doing: 'reload' }))).toBe('stopped after replace, before reload');
    expect(stoppedAt(t({ done: 'replace', lastOk: true }))).toBe('replace done, reload not');
    expect(stoppedAt(t({ done: 'backup', lastOk: true, doing: 'replace' }))).toBe('backup done, replace not');
    expect(stoppedAt(t({ done: 'reload', lastOk: true, doing: 'verify', reloads: [reload(true)] }))).toBe('reload done, verify not');
    expect(stoppedAt(t({ done: 'verify', lastOk: true }))).toBe('done');
    expect(stoppedAt(t({}))).toBe('not started');
    expect(stoppedAt(t({ done: 'backup', lastOk: true }))).toBe('backed up, not replaced');
    expect(stoppedAt(t({ unchanged: true }))).toBe('already had it');
    expect(stoppedAt(t({ done: 'reload', lastOk: false, reloads: [reload(true)] }))).toBe('failed reload done, restore not');
    expect(stoppedAt(t({ done: 'restore', lastOk: true, reloads: [reload(true)] }))).toBe('restore done, reload not');
    expect(stoppedAt(t({ done: 'replace', lastOk: true, reload: { kind: 'none' } }))).toBe('replace done, verify not');
  });

  it('what the host holds, from its sha256 now', () => {
    const t = entry([{ done: 'replace', lastOk: true }]).targets[0]!;
    expect(holdsOf(t, { sha: NEW })).toBe('new');
    expect(holdsOf(t, { sha: OLD })).toBe('old');
    expect(holdsOf(t, { sha: 'c'.repeat(64) })).toBe('other');
    expect(holdsOf(t, { sha: null })).toBe('other');
    expect(holdsOf({ ...t, shaBefore: null }, { sha: null })).toBe('absent');
    expect(holdsOf(t, { error: 'connection refused' })).toBe('unknown');
    expect(holdsOf(t, undefined)).toBe('unknown');
    expect(pending(t)).toBe(true);
    expect(pending({ ...t, done: 'verify', lastOk: false })).toBe(true);
    expect(pending({ ...t, done: 'verify', lastOk: true })).toBe(false);
    expect(pending({ ...t, done: 'backup' })).toBe(false);
  });
});

describe('the ways out of an interrupted change', () => {
  const v = { state: 'interrupted' as const, why: 'pid 4242 is gone' };
  const probe = (e: JournalEntry, shas: Array<string | null | Error>): Map<string, Probe> =>
    new Map(e.targets.map((t, i) => [targetKey(t), shas[i] instanceof Error ? { error: (shas[i] as Error).message } : { sha: shas[i] as string | null }]));

  it('new file, not reloaded: finish reloads and checks it; restore puts the backup back (no reload: never loaded)', () => {
    const e = entry([{ done: 'replace', lastOk: true, doing: 'reload', backup: '/srv/app/app.conf.clusterdeck-1.bak' }, { done: 'verify', lastOk: true, reloads: [reload(true)] }]);
    const c = describeChange(e, v, 'cli root@desk, pid 4242 (gone)', probe(e, [NEW, NEW]));
    expect(c.message).toBe('node1 /srv/app/app.conf stopped after replace, before reload');
    expect(c.targets.map((t) => [t.host, t.stoppedAt, t.holdsText, t.pending])).toEqual([
      ['node1', 'replace done, reload not', 'node1 has the new file, not reloaded', true],
      ['node2', 'done', 'node2 has the new file, reloaded and checked', false],
    ]);
    expect(c.offers.finish).toEqual({ available: true, what: 'reload and check node1', why: null });
    expect(c.offers.restore).toEqual({ available: true, what: 'put the backup of /srv/app/app.conf back on node1', why: null });
  });

  it('a reload under way may have loaded the new file: restore reloads; drained nodes are made ready either way', () => {
    const e = entry([{ done: 'replace', lastOk: true, doing: 'reload', reloads: [reload(false)] }], { drained: [{ node: 'node1', lbs: ['lb1', 'lb2'], state: 'drained' }] });
    const o = offers(e, new Map([[targetKey(e.targets[0]!), 'new']]), true);
    expect(o.restore.what).toBe('put the backup of /srv/app/app.conf back on node1 and reload; make node1 ready on lb1 and lb2');
    expect(o.finish.what).toBe('reload and check node1; make node1 ready on lb1 and lb2');
    const back = offers(e, new Map([[targetKey(e.targets[0]!), 'old']]), true);
    expect(back.finish).toMatchObject({ available: true, what: 'nothing left on the hosts; make node1 ready on lb1 and lb2' });
    expect(back.restore.what).toBe('/srv/app/app.conf is back on node1 and reload; make node1 ready on lb1 and lb2');
  });

  it('a created file is removed by restore; a host that cannot be read blocks both; one changed since is left alone', () => {
    const e = entry([{ shaBefore: null, done: 'replace', lastOk: true }, { done: 'replace', lastOk: true }]);
    expect(offers(e, new Map([[targetKey(e.targets[0]!), 'new'], [targetKey(e.targets[1]!), 'other']]), true)).toEqual({
      finish: { available: true, what: 'reload and check node1; leave node2 /srv/app/app.conf alone (changed since: check by hand)', why: null },
      restore: { available: true, what: 'remove /srv/app/app.conf from node1; leave node2 /srv/app/app.conf alone (changed since: check by hand)', why: null },
    });
    const blocked = offers(e, new Map([[targetKey(e.targets[0]!), 'new'], [targetKey(e.targets[1]!), 'unknown']]), true);
    expect(blocked.finish).toMatchObject({ available: false, why: 'node2 could not be read: try again when it answers' });
    expect(blocked.restore.available).toBe(false);
  });

  it('nothing replaced: nothing to finish or restore; failover settings always offer saving or keeping them', () => {
    const e = entry([{ done: 'backup', lastOk: true }]);
    const c = describeChange(e, v, '', probe(e, [OLD]));
    expect(c.message).toBe('stopped before any file was replaced');
    expect(c.offers.finish).toMatchObject({ available: false, why: 'no host holds the new file: there is nothing to finish' });
    const f = entry([{ done: 'verify', lastOk: true }, {}], { kind: 'failover-settings' });
    const o = offers(f, new Map([[targetKey(f.targets[0]!), 'new'], [targetKey(f.targets[1]!), 'old']]), true);
    expect(o.finish).toMatchObject({ available: true, what: 'apply the new settings on node2, save the new settings' });
    expect(o.restore).toMatchObject({ available: true, what: 'every host already has its file from before; keep the previous settings' });
  });

  it('a running change offers nothing', () => {
    const c = describeChange(entry([{ done: 'replace', lastOk: true }]), { state: 'running', why: 'pid 4242 is still running' }, '', null);
    expect(c.state).toBe('running');
    expect(c.message).toBe('running: pid 4242 is still running');
    expect(c.offers.finish.available || c.offers.restore.available).toBe(false);
  });
});
