import { describe, expect, it } from 'vitest';
import type { InventoryPreview } from '../../shared/domain/inventory';
import { canImport, clusterNameError, IMPORT_DEFAULTS, importOptions, previewHeadline, sortProblems, where } from './import-view';

describe('import form', () => {
  it('requires a valid cluster name', () => {
    expect(clusterNameError('')).toMatch(/required/);
    expect(clusterNameError('bad name')).toBeDefined();
    expect(clusterNameError('prod-1')).toBeUndefined();
    expect(importOptions({ ...IMPORT_DEFAULTS, cluster: '' })).toBeNull();
  });

  it("falls back to the CLI's defaults and omits an empty nodes group", () => {
    expect(importOptions({ cluster: 'p', lbGroup: ' ', nodesGroup: '', backendVar: '', serverVar: 'srv' })).toEqual({
      cluster: 'p',
      lbGroup: 'lbservers',
      backendVar: 'lb_backend',
      serverVar: 'srv',
    });
    expect(importOptions({ ...IMPORT_DEFAULTS, cluster: 'p', nodesGroup: 'app' })?.nodesGroup).toBe('app');
  });
});

describe('import preview', () => {
  const preview = (problems: InventoryPreview['problems'], withCluster: boolean): InventoryPreview => ({
    file: 'inv.yml',
    format: 'yaml',
    problems,
    filesRead: [],
    ...(withCluster ? { cluster: { name: 'p', nodes: [{} as never], lbs: [{} as never, {} as never], settings: { heartbeatIntervalMs: 1000, failoverHeartbeats: 3, minActive: 1 }, source: { kind: 'manual' } } } : {}),
  });

  it('lists errors before warnings, by line', () => {
    const ps = sortProblems([
      { file: 'a', line: 9, severity: 'warning', message: 'w' },
      { file: 'a', line: 5, severity: 'error', message: 'e2' },
      { file: 'a', line: 2, severity: 'error', message: 'e1' },
    ]);
    expect(ps.map((p) => p.message)).toEqual(['e1', 'e2', 'w']);
    expect(where({ file: 'a', line: 0, severity: 'error', message: '' })).toBe('a');
    expect(where(ps[0]!)).toBe('a:2');
  });

  it('allows the import only without errors', () => {
    expect(canImport(null)).toBe(false);
    expect(canImport(preview([{ file: 'a', line: 1, severity: 'warning', message: 'w' }], true))).toBe(true);
    expect(canImport(preview([{ file: 'a', line: 1, severity: 'error', message: 'e' }], false))).toBe(false);
  });

  it('sums it up in one line', () => {
    expect(previewHeadline(preview([], true))).toBe('inv.yml (YAML): 1 node, 2 load balancers');
    expect(previewHeadline(preview([{ file: 'a', line: 1, severity: 'error', message: 'e' }], false))).toBe('inv.yml (YAML): nothing can be imported; 1 error');
  });
});
