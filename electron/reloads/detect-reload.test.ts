import { describe, expect, it } from 'vitest';
import { CdError } from '../../shared/errors';
import { read, stat } from '../cluster/test-support';
import { isOwnReload, outsideReload, seenChanged, seenOf, type LbSeen } from './detect-reload';

const T0 = Date.UTC(2026, 11, 4, 10, 0, 0);
const nodeOf = (_b: string, s: string) => (s.startsWith('node') ? s : null);

function seen(pid: number, startedAt: number, servers: Record<string, [string, LbSeen['servers'][string]['admin']]>): LbSeen {
  return {
    pid,
    startedAt,
    seenAt: startedAt + 5_000,
    servers: Object.fromEntries(Object.entries(servers).map(([k, [status, admin]]) => [`app/${k}`, { status, admin }])),
  };
}

describe('seenOf', () => {
  it("takes the worker and each server's status and admin state from a read", () => {
    const base = read('lb1', [stat('node1', 'DOWN', { adminState: 0x08 }), stat('node2', 'UP', { adminState: 0 })]);
    if (!base.ok) throw new Error('read() builds an ok read');
    const r = { ...base, info: { version: '2.6', pid: 42, uptimeSec: 3 }, at: T0 };
    expect(seenOf(r)).toEqual({
      pid: 42,
      startedAt: T0 - 3_000,
      seenAt: T0,
      servers: { 'app/node1': { status: 'DOWN', admin: 'drain' }, 'app/node2': { status: 'UP', admin: 'ready' } },
    });
  });

  it('has nothing to compare for a failed read or one without a pid', () => {
    expect(seenOf({ lb: 'lb1', ok: false, error: new CdError('HAPROXY_TIMEOUT', 'x') })).toBeNull();
    expect(seenOf(read('lb1', []))).toBeNull();
  });
});

describe('outsideReload', () => {
  const before = seen(3781, T0, { node1: ['DRAIN', 'drain'], node2: ['UP', 'ready'] });

  it('says what a reload without saved state lost: node1 was DRAIN, is now UP', () => {
    const after = seen(6467, T0 + 60_000, { node1: ['UP', 'ready'], node2: ['UP', 'ready'] });
    const r = outsideReload('lb1', before, after, [], T0 + 61_000, nodeOf);
    expect(r).toMatchObject({ lb: 'lb1', oldPid: 3781, newPid: 6467, at: T0 + 60_000, detectedAt: T0 + 61_000 });
    expect(r!.changed).toEqual([{ backend: 'app', server: 'node1', node: 'node1', was: 'DRAIN', now: 'UP' }]);
    expect(r!.message).toMatch(/^lb1 was reloaded outside ClusterDeck at \d\d:\d\d:\d\d \(pid 3781 → 6467\); runtime state may have been lost: node1 was DRAIN, is now UP$/);
  });

  it('says the state was kept when the new worker loaded it', () => {
    const after = seen(6467, T0 + 60_000, { node1: ['DRAIN', 'drain'], node2: ['UP', 'ready'] });
    const r = outsideReload('lb1', before, after, [], T0 + 61_000, nodeOf);
    expect(r!.changed).toEqual([]);
    expect(r!.message).toMatch(/runtime state was kept: node1 still DRAIN$/);
  });

  it('names a server the new configuration no longer has', () => {
    const after = seen(6467, T0 + 60_000, { node2: ['UP', 'ready'] });
    expect(outsideReload('lb1', before, after, [], T0 + 61_000, nodeOf)!.changed).toEqual([
      { backend: 'app', server: 'node1', node: 'node1', was: 'DRAIN', now: 'not in the new configuration' },
    ]);
  });

  it('is nothing for the same worker, a first sighting, or one of our own reloads', () => {
    const after = seen(6467, T0 + 60_000, { node1: ['UP', 'ready'] });
    expect(outsideReload('lb1', before, { ...before, seenAt: T0 + 9_000 }, [], T0, nodeOf)).toBeNull();
    expect(outsideReload('lb1', null, after, [], T0, nodeOf)).toBeNull();
    expect(outsideReload('lb1', before, after, [{ startedAt: T0 + 59_500, endedAt: T0 + 60_300, oldPid: 3781, newPid: 6467 }], T0 + 61_000, nodeOf)).toBeNull();
  });
});

describe('isOwnReload', () => {
  const before = seen(100, T0, {});
  const after = seen(200, T0 + 10_000, {});

  it('matches by the new pid when the journal has it', () => {
    expect(isOwnReload(before, after, [{ startedAt: 0, endedAt: 1, oldPid: 100, newPid: 200 }], T0 + 11_000)).toBe(true);
    expect(isOwnReload(before, after, [{ startedAt: T0 + 9_900, endedAt: T0 + 10_100, oldPid: 100, newPid: 300 }], T0 + 11_000)).toBe(false);
  });

  it('matches a reload under way by its window around the new worker’s start', () => {
    expect(isOwnReload(before, after, [{ startedAt: T0 + 9_800, endedAt: null, oldPid: 100, newPid: null }], T0 + 10_500)).toBe(true);
    // one that ended long before the new worker started is not it
    expect(isOwnReload(before, after, [{ startedAt: T0 + 1_000, endedAt: T0 + 2_000, oldPid: null, newPid: null }], T0 + 10_500)).toBe(false);
    // one from another worker lineage is not it either
    expect(isOwnReload(before, after, [{ startedAt: T0 + 9_800, endedAt: null, oldPid: 999, newPid: null }], T0 + 10_500)).toBe(false);
  });
});

describe('seenChanged', () => {
  it('is true for a new worker or a server whose status or admin state moved, false otherwise', () => {
    const a = seen(1, T0, { node1: ['UP', 'ready'] });
    expect(seenChanged(null, a)).toBe(true);
    expect(seenChanged(a, { ...a, seenAt: a.seenAt + 1_000 })).toBe(false);
    expect(seenChanged(a, seen(2, T0, { node1: ['UP', 'ready'] }))).toBe(true);
    expect(seenChanged(a, seen(1, T0, { node1: ['DRAIN', 'drain'] }))).toBe(true);
    expect(seenChanged(a, seen(1, T0, { node1: ['UP', 'ready'], node2: ['UP', 'ready'] }))).toBe(true);
  });
});
