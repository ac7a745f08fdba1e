import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { journalEntrySchema, type JournalEntry } from '../../shared/domain/journal';
import { KEEP_FINISHED, createJournalStore, journalDir } from './journal-store';
import { newEntry, type JournalDraft } from './journal-records';
import { procIdentity, selfOwner } from './process-identity';

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));
const fresh = () => {
  const r = mkdtempSync(join(tmpdir(), 'cd-journal-'));
  roots.push(r);
  return r;
};
const actor = { via: 'test' as const, user: 't', machine: 'here' };
let n = 0;
const draft = (over: Partial<JournalDraft> = {}): JournalDraft => ({
  id: `c${++n}`,
  cluster: 'demo',
  kind: 'push',
  summary: 'push app.conf to node1 and lb1',
  owner: selfOwner(actor),
  targets: [
    { host: 'node1', role: 'node', path: '/srv/app/app.conf', file: 'app.conf', reload: { kind: 'command', command: '/srv/app/reload' }, check: null, servicePort: 8080 },
    { host: 'lb1', role: 'lb', path: '/etc/haproxy/haproxy.cfg', file: 'haproxy', reload: { kind: 'haproxy' } },
  ],
  ...over,
});
const onDisk = (root: string, id: string): JournalEntry => journalEntrySchema.parse(JSON.parse(readFileSync(join(journalDir(root), 'demo', `${id}.json`), 'utf8')));
const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);

describe('the intent journal store', () => {
  it('round-trips an entry through its schema', () => {
    const e = newEntry(draft({ before: { settings: undefined } }), 1000);
    const back = journalEntrySchema.parse(JSON.parse(JSON.stringify(e)));
    expect(back).toEqual(e);
    expect(journalEntrySchema.safeParse({ ...e, state: 'maybe' }).success).toBe(false);
    expect(journalEntrySchema.safeParse({ ...e, targets: [{ ...e.targets[0]!, shaNew: 'nope' }] }).success).toBe(false);
  });

  it('writes the entry before open returns, then every step as it happens, then done', async () => {
    const root = fresh();
    const j = createJournalStore(root);
    const changed: string[] = [];
    j.onChange((c) => changed.push(c));
    const h = await j.open(draft());
    expect(onDisk(root, h.id)).toMatchObject({ state: 'running', owner: { pid: process.pid }, targets: [{ done: null, doing: null }, { done: null }] });
    await h.engine.prepared([{ target: 'node1', path: '/srv/app/app.conf', shaBefore: SHA_A, shaNew: SHA_B, unchanged: false }]);
    await h.engine.starting('node1', '/srv/app/app.conf', 'backup');
    await h.engine.ended('node1', '/srv/app/app.conf', 'backup', { ok: true, backup: '/srv/app/app.conf.clusterdeck-x.bak' });
    await h.engine.starting('node1', '/srv/app/app.conf', 'replace');
    await h.engine.ended('node1', '/srv/app/app.conf', 'replace', { ok: true, sha256: SHA_B });
    await h.engine.starting('node1', '/srv/app/app.conf', 'reload');
    const mid = onDisk(root, h.id).targets[0]!;
    expect(mid).toMatchObject({ shaBefore: SHA_A, shaNew: SHA_B, prepared: true, backup: '/srv/app/app.conf.clusterdeck-x.bak', done: 'replace', doing: 'reload', lastOk: true });
    expect(mid.reloads).toEqual([{ startedAt: expect.any(Number), endedAt: null, ok: null, oldPid: null, newPid: null }]);
    await h.done();
    expect(onDisk(root, h.id).state).toBe('done');
    expect(changed.length).toBeGreaterThanOrEqual(7);
    expect(readdirSync(join(journalDir(root), 'demo')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('events arriving together share writes, and each resolves once its event is on disk', async () => {
    const root = fresh();
    const j = createJournalStore(root);
    const h = await j.open(draft());
    await Promise.all([h.draining('node1', ['lb1', 'lb2']), h.engine.starting('lb1', '/etc/haproxy/haproxy.cfg', 'backup'), h.engine.starting('node1', '/srv/app/app.conf', 'backup')]);
    const e = onDisk(root, h.id);
    expect(e.drained).toEqual([{ node: 'node1', lbs: ['lb1', 'lb2'], state: 'draining' }]);
    expect(e.targets.map((t) => t.doing)).toEqual(['backup', 'backup']);
    await expect(h.engine.starting('node9', '/x', 'backup')).rejects.toThrow('has no target node9 /x');
  });

  it("ownReloads: an LB's HAProxy reloads by any process, newest first, including one under way", async () => {
    const root = fresh();
    const j = createJournalStore(root);
    const a = await j.open(draft());
    await a.engine.starting('lb1', '/etc/haproxy/haproxy.cfg', 'reload');
    await a.engine.ended('lb1', '/etc/haproxy/haproxy.cfg', 'reload', { ok: true, oldPid: 100, newPid: 200 });
    await a.engine.starting('node1', '/srv/app/app.conf', 'reload');
    await a.done();
    await new Promise((r) => setTimeout(r, 5));
    // Another process's store, same data directory: it sees the first one's reloads too.
    const b = await createJournalStore(root).open(draft());
    await b.engine.starting('lb1', '/etc/haproxy/haproxy.cfg', 'reload');
    const got = await j.ownReloads('demo', 'lb1');
    expect(got).toEqual([
      { startedAt: expect.any(Number), endedAt: null, oldPid: null, newPid: null },
      { startedAt: expect.any(Number), endedAt: expect.any(Number), oldPid: 100, newPid: 200 },
    ]);
    expect(got[0]!.startedAt).toBeGreaterThan(got[1]!.startedAt);
    expect(await j.ownReloads('demo', 'node1')).toEqual([]);
    expect(await j.ownReloads('demo', 'lb2')).toEqual([]);
    expect(await j.ownReloads('demo', 'lb1', 0)).toHaveLength(0);
    expect(await j.ownReloads('demo', 'lb1', 60_000)).toHaveLength(2);
    expect(await j.ownReloads('other', 'lb1')).toEqual([]);
  });

  it('keeps the newest finished entries, drops week-old ones, never a running one', async () => {
    const root = fresh();
    const j = createJournalStore(root);
    const running = await j.open(draft({ id: 'still-running' }));
    const old = await j.open(draft({ id: 'week-old' }));
    await old.done();
    const f = join(journalDir(root), 'demo', 'week-old.json');
    const e = JSON.parse(readFileSync(f, 'utf8'));
    writeFileSync(f, JSON.stringify({ ...e, updatedAt: Date.now() - 8 * 24 * 3600_000 }));
    utimesSync(f, new Date(Date.now() - 1000), new Date(Date.now() - 1000));
    for (let i = 0; i < KEEP_FINISHED + 3; i++) await (await j.open(draft({ id: `f${i}` }))).done();
    await j.open(draft({ id: 'last' }));
    const names = readdirSync(join(journalDir(root), 'demo'));
    expect(names).toContain(`${running.id}.json`);
    expect(names).not.toContain('week-old.json');
    const { entries } = await j.list('demo');
    expect(entries.filter((x) => x.state === 'done')).toHaveLength(KEEP_FINISHED);
  });

  it('names unreadable files, and update/adopt work on what is on disk under a lock', async () => {
    const root = fresh();
    const j = createJournalStore(root);
    const h = await j.open(draft());
    writeFileSync(join(journalDir(root), 'demo', 'torn.json'), '{"version":1,');
    const { entries, unreadable } = await j.list('demo');
    expect(entries.map((x) => x.id)).toEqual([h.id]);
    expect(unreadable).toEqual([join(journalDir(root), 'demo', 'torn.json')]);

    const marked = await j.update('demo', h.id, async (cur) => ({ ...cur, reportedAt: 42 }));
    expect(marked?.reportedAt).toBe(42);
    expect(await j.update('demo', h.id, () => null)).toMatchObject({ reportedAt: 42 });
    expect(await j.update('demo', 'nope', () => null)).toBeNull();
    await expect(j.get('demo', '../../etc/passwd')).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const me = { ...selfOwner({ ...actor, via: 'cli' }), pid: 1 };
    expect(await j.adopt('demo', h.id, me, () => false)).toBeNull();
    const taken = await j.adopt('demo', h.id, me, () => true);
    expect(taken?.entry()).toMatchObject({ owner: { pid: 1, actor: { via: 'cli' } }, reportedAt: 42, state: 'running' });
    expect(onDisk(root, h.id).owner.pid).toBe(1);
    expect(existsSync(join(root, 'locks', `journal-demo-${h.id}.lock`))).toBe(false);
  });

  it('knows this process by pid and start time', () => {
    const me = procIdentity(process.pid);
    expect(me.alive).toBe(true);
    if (process.platform === 'linux') expect(me.startTime).toBeGreaterThan(0);
    expect(procIdentity(2 ** 22 + 12345).alive).toBe(false);
  });
});
