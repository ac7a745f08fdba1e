import { describe, expect, it } from 'vitest';
import { CdError } from '../../shared/errors';
import { resolveRoles } from './roles';
import { node } from './test-support';

const nodes = ['node1', 'node2', 'node3'].map((n) => node(n));

describe('active and standby roles', () => {
  it('takes named standby nodes', () => {
    expect(resolveRoles(nodes, { activeNodes: null, standbyNodes: ['node3'] })).toEqual({ active: ['node1', 'node2'], standby: ['node3'] });
    expect(resolveRoles(nodes, { activeNodes: 2, standbyNodes: ['node3'] })).toEqual({ active: ['node1', 'node2'], standby: ['node3'] });
  });

  it('HA mode: one active, the others standby, in inventory order', () => {
    expect(resolveRoles(nodes, { activeNodes: 1, standbyNodes: [] })).toEqual({ active: ['node1'], standby: ['node2', 'node3'] });
  });

  it('keeps what the LBs run when the settings say nothing about roles', () => {
    expect(resolveRoles(nodes, { activeNodes: null, standbyNodes: [] }, { active: ['node1', 'node2'], standby: ['node3'] })).toEqual({
      active: ['node1', 'node2'],
      standby: ['node3'],
    });
    expect(resolveRoles(nodes, { activeNodes: null, standbyNodes: [] })).toEqual({ active: ['node1', 'node2', 'node3'], standby: [] });
  });

  it('refuses contradictions and impossible counts, naming them', () => {
    const e1 = resolveRoles(nodes, { activeNodes: 1, standbyNodes: ['node3'] });
    expect(e1).toBeInstanceOf(CdError);
    expect((e1 as CdError).message).toBe('3 nodes with 1 standby (node3) leave 2 active, not the 1 asked for');
    expect((resolveRoles(nodes, { activeNodes: 4, standbyNodes: [] }) as CdError).message).toMatch(/only 3/);
    expect((resolveRoles(nodes, { activeNodes: null, standbyNodes: ['node9'] }) as CdError).message).toMatch(/node9 not in this cluster/);
    expect((resolveRoles(nodes, { activeNodes: null, standbyNodes: ['node1', 'node2', 'node3'] }) as CdError).message).toMatch(/at least one node/);
  });
});
