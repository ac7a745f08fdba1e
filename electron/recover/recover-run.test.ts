import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { ActionResult } from '../../shared/domain/action';
import { DEFAULT_CLUSTER_SETTINGS, type ClusterSettings, type ClusterSpec } from '../../shared/domain/cluster';
import type { JournalEntry, JournalTarget } from '../../shared/domain/journal';
import type { ConfigTarget } from '../config/config-change';
import { backupPathFor } from '../config/remote-scripts';
import { localLink } from '../config/config-test-support';
import type { Connections } from '../core/connections';
import { createCommandLog } from '../files/command-recorder';
import { createJournalHandle } from '../journal/journal-handle';
import { newEntry } from '../journal/journal-records';
import { probeTargets } from './recover-probe';
import { runRecovery, type RecoverRunDeps } from './recover-run';

// Finish and restore against local directories standing in for hosts (the same shell scripts as
// over SSH): what ends up on disk, which reloads ran, what the journal says, which nodes are ready.
const root = mkdtempSync(join(tmpdir(), 'cd-recover-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
const OLD = 'greeting = old\n';
const NEW = 'greeting = new\n';
let dir: Record<string, string>;
let n = 0;
beforeEach(() => {
  n++;
  dir = Object.fromEntries(['node1', 'node2', 'lb1', 'lb2'].map((h) => [h, join(root, `${n}-${h}`)]));
  for (const d of Object.values(dir)) mkdirSync(d);
});
const path = (h: string, name = 'app.conf'): string => join(dir[h]!, name);
const reloads = (h: string): string[] => (existsSync(path(h, 'reloads.log')) ? readFileSync(path(h, 'reloads.log'), 'utf8').trim().split('\n') : []);
const cluster = { name: 'demo', nodes: [], lbs: [], settings: DEFAULT_CLUSTER_SETTINGS, source: { kind: 'manual' } } as unknown as ClusterSpec;

/** A host left by a killed push: `state` is what it holds now; the backup of OLD is beside it. */
function host(h: string, state: 'new' | 'old' | 'other' | 'absent', t: Partial<JournalTarget> = {}): Partial<JournalTarget> & { host: string } {
  const backup = backupPathFor(path(h), new Date(Date.UTC(2026, 0, 1)));
  writeFileSync(backup, OLD);
  if (state !== 'absent') writeFileSync(path(h), state === 'new' ? NEW : state === 'old' ? OLD : 'greeting = someone else\n');
  return { host: h, backup, done: 'replace', lastOk: true, doing: 'reload', reloads: [{ startedAt: 1, endedAt: null, ok: null, oldPid: null, newPid: null }], ...t };
}

function entryOf(kind: JournalEntry['kind'], targets: Array<Partial<JournalTarget> & { host: string }>, over: Partial<JournalEntry> = {}): JournalEntry {
  const e = newEntry(
    {
      id: 'c1',
      cluster: 'demo',
      kind,
      summary: 'a change',
      owner: { pid: 1, startTime: null, machine: 'x', actor: { via: 'cli', user: 'root', machine: 'x' } },
      targets: targets.map((t) => ({ host: t.host, role: t.host.startsWith('lb') ? ('lb' as const) : ('node' as const), path: path(t.host), file: 'app.conf', reload: { kind: 'command' as const, command: `echo reloaded >> ${path(t.host, 'reloads.log')}` } })),
    },
    1,
  );
  e.targets = e.targets.map((t, i) => ({ ...t, shaBefore: sha(OLD), shaNew: sha(NEW), prepared: true, ...targets[i] }));
  return { ...e, ...over };
}

async function run(e: JournalEntry, action: 'finish' | 'restore', extra: Partial<RecoverRunDeps> = {}) {
  const written: JournalEntry[] = [];
  const handle = await createJournalHandle(e, async (x) => void written.push(x));
  const ready: string[] = [];
  const link = (h: string) => localLink(h);
  const deps: RecoverRunDeps = {
    cluster,
    conns: {} as Connections,
    entry: e,
    handle,
    probes: await probeTargets({} as Connections, cluster, e, link),
    log: createCommandLog(),
    link,
    recordReload: async () => undefined,
    nodeReady: async (node, lbs) => {
      ready.push(`${node} on ${lbs.join(',')}`);
      return { outcome: 'ok', message: 'ok', lbs: [] } as unknown as ActionResult;
    },
    ...extra,
  };
  const r = await runRecovery(deps, action);
  return { r, journal: handle.entry(), ready };
}

describe('finishing an interrupted change', () => {
  it('reloads and checks the host left with the new file, leaves the finished one alone, makes the drained node ready', async () => {
    const e = entryOf('push', [host('node1', 'new'), host('node2', 'new', { done: 'verify', doing: null, reloads: [] })], { drained: [{ node: 'node1', lbs: ['lb1', 'lb2'], state: 'drained' }] });
    const { r, journal, ready } = await run(e, 'finish');
    expect(r.outcome).toBe('ok');
    expect(r.targets.map((t) => [t.host, t.outcome])).toEqual([['node1', 'done'], ['node2', 'nothing-to-do']]);
    expect(r.targets[0]!.message).toMatch(/^node1: reloaded: .*; checked: .* on disk is the new file/);
    expect([reloads('node1'), reloads('node2')]).toEqual([['reloaded'], []]);
    expect(ready).toEqual(['node1 on lb1,lb2']);
    expect(journal.targets[0]).toMatchObject({ done: 'verify', doing: null, lastOk: true });
    expect(journal.targets[0]!.reloads).toHaveLength(2);
    expect(journal.drained).toEqual([]);
  });

  it('a host that holds something else is left alone and its node stays drained', async () => {
    const e = entryOf('push', [host('node1', 'other')], { drained: [{ node: 'node1', lbs: ['lb1'], state: 'drained' }] });
    const { r, ready } = await run(e, 'finish');
    expect(r.outcome).toBe('failed');
    expect(r.targets[0]).toMatchObject({ outcome: 'left-alone', message: expect.stringContaining('changed by someone else since: left as it is') });
    expect(r.nodes).toEqual([{ node: 'node1', outcome: 'left-drained', message: expect.stringContaining('node1 stays drained on lb1') }]);
    expect(ready).toEqual([]);
    expect(readFileSync(path('node1'), 'utf8')).toBe('greeting = someone else\n');
  });
});

describe('restoring the state before an interrupted change', () => {
  it('renames the backup back (byte-identical) and reloads, since the reload had started', async () => {
    const { r, journal } = await run(entryOf('push', [host('node1', 'new')]), 'restore');
    expect(r.outcome).toBe('ok');
    expect(readFileSync(path('node1'), 'utf8')).toBe(OLD);
    expect(r.targets[0]!.message).toContain('(byte-identical to the file before the change); reloaded:');
    expect(reloads('node1')).toEqual(['reloaded']);
    expect(journal.targets[0]).toMatchObject({ done: 'reload', lastOk: true });
  });

  it('does not reload a file that was never loaded, and removes a file the change created', async () => {
    const { r } = await run(entryOf('push', [host('node1', 'new', { doing: null, reloads: [] }), host('node2', 'new', { shaBefore: null, backup: null, doing: null, reloads: [] })]), 'restore');
    expect(r.outcome).toBe('ok');
    expect(reloads('node1')).toEqual([]);
    expect(readFileSync(path('node1'), 'utf8')).toBe(OLD);
    expect(existsSync(path('node2'))).toBe(false);
    expect(r.targets[1]!.message).toContain('removed');
  });
});

describe('failover settings', () => {
  const settings = (ms: number): ClusterSettings => ({ ...DEFAULT_CLUSTER_SETTINGS, heartbeatIntervalMs: ms });
  const setup = () => {
    const calls: string[] = [];
    let onFile = settings(1000);
    const failover = {
      targets: async (): Promise<ConfigTarget[]> =>
        ['lb1', 'lb2'].map((lb) => ({
          target: lb,
          link: localLink(lb),
          path: path(lb),
          render: () => NEW,
          reload: async () => {
            calls.push(`reload ${lb} ${readFileSync(path(lb), 'utf8') === NEW ? 'new' : 'old'}`);
            return { detail: 'worker 1 → 2', oldPid: 1, newPid: 2 };
          },
          verify: async () => 'show stat agrees',
        })),
      current: async () => onFile,
      save: async (s: ClusterSettings) => void (onFile = s),
    };
    return { calls, failover, onFile: () => onFile };
  };
  const lbs = () =>
    entryOf('failover-settings', [host('lb1', 'new'), host('lb2', 'old', { done: null, doing: null, lastOk: null, reloads: [], backup: null, prepared: true })], {
      before: { settings: settings(1000) },
      after: { settings: settings(500) },
    });

  it('finish: reloads lb1, applies the settings to lb2 that never got them, then saves them', async () => {
    const f = setup();
    const { r } = await run(lbs(), 'finish', { failover: f.failover });
    expect(r.outcome, r.message).toBe('ok');
    expect(f.calls).toEqual(['reload lb1 new', 'reload lb2 new']);
    expect(readFileSync(path('lb2'), 'utf8')).toBe(NEW);
    expect(r.settings).toBe('saved');
    expect(f.onFile().heartbeatIntervalMs).toBe(500);
  });

  it('restore: lb1 gets its file back and is reloaded; the previous settings stay on file', async () => {
    const f = setup();
    const { r } = await run(lbs(), 'restore', { failover: f.failover });
    expect(r.outcome, r.message).toBe('ok');
    expect([readFileSync(path('lb1'), 'utf8'), readFileSync(path('lb2'), 'utf8')]).toEqual([OLD, OLD]);
    expect(f.calls).toEqual(['reload lb1 old']);
    expect(r.settings).toBe('unchanged');
  });
});
