import { describe, expect, it } from 'vitest';
import type { NodeStatus } from '../../shared/domain/status';
import { adminWords, filterNodes, formatMs, formatUptime, opWord, sparkPoints, stateOfStatus, stateRank } from './node-view';

const n = (node: string, merged: NodeStatus['merged'], lbStatus = 'UP'): NodeStatus =>
  ({
    node,
    address: `10.0.0.${node.slice(-1)}:22`,
    backend: 'app',
    server: node,
    merged,
    role: 'active',
    perLb: [{ lb: 'lb1', stat: { status: lbStatus }, state: merged, error: null }],
  }) as unknown as NodeStatus;

describe('node view', () => {
  it('formats round trips and uptimes compactly', () => {
    expect(formatMs(null)).toBe('—');
    expect(formatMs(0.84)).toBe('0.8 ms');
    expect(formatMs(42.4)).toBe('42 ms');
    expect(formatMs(1500)).toBe('1.50 s');
    expect(formatUptime(59)).toBe('59 s');
    expect(formatUptime(3 * 3600)).toBe('3 h');
  });

  it('decodes admin and op state', () => {
    expect(adminWords(0)).toBe('ready (0)');
    expect(adminWords(8)).toBe('forced drain (8)');
    expect(adminWords(9)).toBe('forced maintenance, forced drain (9)');
    expect(adminWords(null)).toBe('unknown');
    expect(opWord(2)).toBe('running');
  });

  it('filters on every word: name, address, state, LB status', () => {
    const nodes = [n('node1', 'draining', 'DRAIN'), n('node2', 'active'), n('node3', 'standby')];
    expect(filterNodes(nodes, '').length).toBe(3);
    expect(filterNodes(nodes, 'node2').map((x) => x.node)).toEqual(['node2']);
    expect(filterNodes(nodes, 'drain lb1').map((x) => x.node)).toEqual(['node1']);
    expect(filterNodes(nodes, '10.0.0.3').map((x) => x.node)).toEqual(['node3']);
    expect(filterNodes(nodes, 'nothing')).toEqual([]);
  });

  it('ranks states best to worst', () => {
    expect(stateRank('active')).toBeLessThan(stateRank('down'));
    expect(stateRank('down')).toBeLessThan(stateRank('unreachable'));
  });

  it('draws a sparkline inside its box', () => {
    expect(sparkPoints([1], 60, 16)).toBe('');
    const pts = sparkPoints([1, 2, 3], 60, 16).split(' ').map((p) => p.split(',').map(Number));
    expect(pts[0]).toEqual([0, 15]);
    expect(pts[2]).toEqual([60, 1]);
  });
});

describe('stateOfStatus', () => {
  it('reads HAProxy status text in the state vocabulary', () => {
    expect(stateOfStatus('DRAIN', false)).toBe('draining');
    expect(stateOfStatus('DRAIN 1/3', false)).toBe('draining');
    expect(stateOfStatus('NOLB', false)).toBe('draining');
    expect(stateOfStatus('MAINT', false)).toBe('maintenance');
    expect(stateOfStatus('DOWN 1/2', false)).toBe('down');
    expect(stateOfStatus('UP 1/3', true)).toBe('standby');
    expect(stateOfStatus('no check', false)).toBe('active');
    expect(stateOfStatus('???', false)).toBe('unknown');
  });
});
