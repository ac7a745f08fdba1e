import { describe, expect, it } from 'vitest';
import type { SyncCell, SyncState } from '../../shared/domain/managed-files';
import { cellsDiffer, summarize } from './sync-service';

const cell = (host: string, file: string, state: SyncState, sha: string | null = 'a', at = 1): SyncCell => ({
  host,
  file,
  path: `/x/${file}`,
  state,
  desiredSha256: 'a',
  sha256: sha,
  size: null,
  mtime: null,
  detail: '',
  checkedAt: at,
});

describe('node sync summary', () => {
  it('is the worst state of the node, listing the files not in sync; hosts without files are absent', () => {
    const m = summarize([
      cell('node1', 'app', 'in-sync', 'a', 5),
      cell('node1', 'env', 'pending-restart', 'a', 7),
      cell('node2', 'app', 'out-of-sync', 'b'),
      cell('node2', 'env', 'unknown', null),
      cell('node3', 'app', 'in-sync'),
    ]);
    expect(m.get('node1')).toEqual({ state: 'pending-restart', files: ['env'], checkedAt: 7 });
    expect(m.get('node2')).toEqual({ state: 'out-of-sync', files: ['app', 'env'], checkedAt: 1 });
    expect(m.get('node3')).toEqual({ state: 'in-sync', files: [], checkedAt: 1 });
    expect(m.has('node4')).toBe(false);
  });
  it('a change is a new or gone cell, or a new state or fingerprint; the check time alone is not', () => {
    const a = [cell('n1', 'app', 'in-sync'), cell('n2', 'app', 'in-sync')];
    expect(cellsDiffer(a, a.map((c) => ({ ...c, checkedAt: 99, detail: 'x' })))).toBe(false);
    expect(cellsDiffer(a, [a[0]!, cell('n2', 'app', 'out-of-sync', 'b')])).toBe(true);
    expect(cellsDiffer(a, [a[0]!, cell('n2', 'app', 'in-sync', 'c')])).toBe(true);
    expect(cellsDiffer(a, [a[0]!])).toBe(true);
    expect(cellsDiffer(a, [a[0]!, cell('n3', 'app', 'in-sync')])).toBe(true);
  });
});
