import { describe, expect, it } from 'vitest';
import { quorumOf } from '../../shared/domain/quorum';
import type { ClusterStatus, NodeStatus } from '../../shared/domain/status';
import { drainWhatIf, quorumFacts, whatIfNode } from './quorum-view';

const node = (name: string, healthy: boolean, merged: NodeStatus['merged'] = healthy ? 'active' : 'down') => ({ node: name, healthy, merged }) as NodeStatus;

describe('quorum panel', () => {
  it('draining a healthy node of 3: 2 left, kept', () => {
    expect(drainWhatIf(quorumOf(3, 3), node('node1', true))).toEqual({ node: 'node1', left: 2, kept: true, text: 'If you drain node1: 2 healthy left, quorum kept (majority 2)' });
  });

  it('draining with no spare loses quorum', () => {
    const w = drainWhatIf(quorumOf(3, 2), node('node2', true));
    expect(w).toMatchObject({ left: 1, kept: false });
    expect(w.text).toBe('If you drain node2: 1 healthy left, quorum LOST (majority 2)');
  });

  it('a node that is not healthy is not counted', () => {
    expect(drainWhatIf(quorumOf(3, 2), node('node3', false)).text).toBe('If you drain node3: it is down and not counted now; 2 healthy left, quorum kept (majority 2)');
  });

  it('headline per situation', () => {
    expect(quorumFacts(quorumOf(3, 3))).toMatchObject({ state: 'ok', spare: '1 more may fail or be drained' });
    expect(quorumFacts(quorumOf(3, 2))).toMatchObject({ state: 'thin' });
    expect(quorumFacts(quorumOf(5, 2))).toMatchObject({ state: 'lost', headline: 'No quorum: 2 healthy nodes of 5, majority is 3', spare: '1 more must come back' });
  });

  it('the what-if follows the side panel, else the focused row', () => {
    const st = { nodes: [node('node1', true), node('node2', true)] } as ClusterStatus;
    expect(whatIfNode(st, 'node2', 'node1')?.node).toBe('node2');
    expect(whatIfNode(st, null, 'node1')?.node).toBe('node1');
    expect(whatIfNode(st, null, null)).toBeNull();
    expect(whatIfNode(st, 'gone', null)).toBeNull();
  });
});
