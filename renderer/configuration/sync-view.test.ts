import { describe, expect, it } from 'vitest';
import type { SyncCell, SyncMatrix } from '../../shared/domain/managed-files';
import { cellOf, checkedAgo, formatStamp, hostsWords, matrixHosts, matrixSummary, nodeSyncView, resolveHosts, shortSha, worstSync } from './sync-view';

const sha = (c: string) => c.repeat(64);
const cell = (host: string, state: SyncCell['state'], file = 'app-conf'): SyncCell => ({
  host,
  file,
  path: '/srv/app/app.conf',
  state,
  desiredSha256: sha('a'),
  sha256: state === 'missing' ? null : state === 'in-sync' ? sha('a') : sha('b'),
  size: 10,
  mtime: 0,
  detail: '',
  checkedAt: 1000,
});
const matrix = (cells: SyncCell[]): SyncMatrix => ({ cluster: 'demo', files: [], hosts: ['node1', 'node2', 'node3'], cells, checkedAt: 1000, durationMs: 40 });

describe('sync view', () => {
  it('names the worst state of several, and says none for nothing', () => {
    expect(worstSync(['in-sync', 'pending-restart', 'out-of-sync'])).toBe('out-of-sync');
    expect(worstSync(['in-sync', 'unknown'])).toBe('unknown');
    expect(worstSync([])).toBeNull();
  });

  it('shortens fingerprints and shows a dash for none', () => {
    expect(shortSha(sha('c'))).toBe('cccccccc');
    expect(shortSha(null)).toBe('—');
  });

  it('finds cells, filters hosts, and counts states worst first', () => {
    const m = matrix([cell('node1', 'in-sync'), cell('node2', 'out-of-sync'), cell('node3', 'in-sync')]);
    expect(cellOf(m, 'node2', 'app-conf')?.state).toBe('out-of-sync');
    expect(cellOf(m, 'node2', 'other')).toBeNull();
    expect(matrixHosts(m, null)).toEqual(['node1', 'node2', 'node3']);
    expect(matrixHosts(m, 'node2')).toEqual(['node2']);
    expect(matrixHosts(m, 'lb9')).toEqual([]);
    expect(matrixSummary(m, m.hosts)).toBe('1 out of sync, 2 in sync');
    expect(matrixSummary(m, ['node1'])).toBe('1 in sync');
  });

  it('says how long ago the matrix was checked', () => {
    expect(checkedAgo(null, 0)).toBe('never checked');
    expect(checkedAgo(10_000, 14_400)).toBe('checked 4 s ago');
    expect(checkedAgo(0, 185_000)).toBe('checked 3 min ago');
    expect(checkedAgo(0, 3_900_000)).toBe('checked 1 h 5 min ago');
    // a clock a little behind the core's never says "-1 s"
    expect(checkedAgo(2000, 1000)).toBe('checked 0 s ago');
  });

  it('resolves and words the hosts a file goes to', () => {
    expect(hostsWords('nodes')).toBe('all nodes');
    expect(hostsWords('lbs')).toBe('all LBs');
    expect(hostsWords(['node1', 'lb2'])).toBe('node1, lb2');
    expect(resolveHosts('nodes', ['n1', 'n2'], ['l1'])).toEqual(['n1', 'n2']);
    expect(resolveHosts('lbs', ['n1'], ['l1', 'l2'])).toEqual(['l1', 'l2']);
    expect(resolveHosts(['x'], ['n1'], ['l1'])).toEqual(['x']);
  });

  it("words the node table's Sync cell, with the files behind an out-of-sync state", () => {
    expect(nodeSyncView(null)).toMatchObject({ word: '—', cls: 'sync-none' });
    expect(nodeSyncView({ state: 'in-sync', files: [], checkedAt: 0 })).toMatchObject({ word: 'in sync', cls: 'sync-in-sync' });
    const out = nodeSyncView({ state: 'out-of-sync', files: ['app-conf', 'logrotate'], checkedAt: 0 });
    expect(out.word).toBe('out of sync');
    expect(out.cls).toBe('sync-out-of-sync');
    expect(out.tip).toBe('Out of sync: app-conf, logrotate: open Configuration to see the diff and push');
    expect(nodeSyncView({ state: 'pending-restart', files: ['app-conf'], checkedAt: 0 }).tip).toContain('the service has not reloaded');
  });

  it('formats stamps as local 24 h time', () => {
    const at = new Date(2026, 10, 22, 14, 3, 9).getTime();
    expect(formatStamp(at)).toBe('2026-11-22 14:03:09');
    expect(formatStamp(new Date(2026, 0, 2, 0, 5, 0).getTime())).toBe('2026-01-02 00:05:00');
  });
});
