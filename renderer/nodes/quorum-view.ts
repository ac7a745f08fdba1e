import { quorumOf, type Quorum } from '../../shared/domain/quorum';
import type { ClusterStatus, NodeStatus } from '../../shared/domain/status';
import { STATE_WORD } from './node-view';

export interface QuorumWhatIf {
  node: string;
  /** Healthy nodes left if this node is drained or put in maintenance. */
  left: number;
  kept: boolean;
  text: string;
}

const nodesWord = (n: number): string => `${n} healthy node${n === 1 ? '' : 's'}`;

/**
 * "If you drain node1: 2 healthy left, quorum kept (majority 2)". A node that is not healthy now
 * (down, draining...) is not counted, so taking it out changes nothing.
 */
export function drainWhatIf(q: Quorum, node: Pick<NodeStatus, 'node' | 'healthy' | 'merged'>): QuorumWhatIf {
  const left = node.healthy ? q.healthy - 1 : q.healthy;
  const after = quorumOf(q.size, left);
  const verdict = after.hasQuorum ? `quorum kept (majority ${q.majority})` : `quorum LOST (majority ${q.majority})`;
  const text = node.healthy
    ? `If you drain ${node.node}: ${left} healthy left, ${verdict}`
    : `If you drain ${node.node}: it is ${STATE_WORD[node.merged]} and not counted now; ${left} healthy left, ${verdict}`;
  return { node: node.node, left, kept: after.hasQuorum, text };
}

/** The panel's headline facts and the general what-if when no node is selected. */
export function quorumFacts(q: Quorum): { state: 'ok' | 'thin' | 'lost'; headline: string; spare: string } {
  if (!q.hasQuorum) {
    return { state: 'lost', headline: `No quorum: ${nodesWord(q.healthy)} of ${q.size}, majority is ${q.majority}`, spare: `${q.majority - q.healthy} more must come back` };
  }
  if (q.spare === 0) {
    return { state: 'thin', headline: `Quorum held with no spare: ${q.healthy} of ${q.size} healthy`, spare: 'draining any healthy node loses quorum' };
  }
  return {
    state: 'ok',
    headline: `Quorum held: ${q.healthy} of ${q.size} healthy`,
    spare: `${q.spare} more may fail or be drained`,
  };
}

/** The node the what-if is about: the open side panel's, else the table's focused row. */
export function whatIfNode(st: ClusterStatus, panelNode: string | null, focusedNode: string | null): NodeStatus | null {
  const name = panelNode ?? focusedNode;
  return (name && st.nodes.find((n) => n.node === name)) || null;
}
