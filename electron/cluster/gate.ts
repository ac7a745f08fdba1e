import type { GateVerdict, NodeAction } from '../../shared/domain/action';
import type { NodeSpec } from '../../shared/domain/cluster';
import { countsAsUp } from '../haproxy/parse/status-text';
import type { LbRead } from './lb-read';

/**
 * The safety gate: refuse a drain or maint that would leave a backend with fewer than `minActive`
 * UP non-backup servers on any LB we could read. "UP n/m" (failing), NOLB, DRAIN and "no check"
 * don't count as UP. Unreadable LBs are not judged here: for the action they are failed LBs, and
 * they must not block the LBs that can be read.
 *
 * An action that takes away no UP server (the node is already DOWN, say) cannot make things worse,
 * so it is never refused: during an outage the admin must be able to park a broken node.
 */
export function evaluateGate(args: { action: NodeAction; node: NodeSpec; reads: LbRead[]; minActive: number }): GateVerdict {
  const { action, node, minActive } = args;
  const verdict: GateVerdict = { allowed: true, reasons: [], remaining: {}, minActive };
  for (const r of args.reads) {
    if (!r.ok) continue;
    const pool = r.servers.filter((s) => s.backend === node.backend);
    const target = pool.find((s) => s.server === node.server);
    if (!target) continue;
    const upActive = pool.filter((s) => !s.backup && countsAsUp(s.status));
    const targetCounts = !target.backup && countsAsUp(target.status);
    const remaining = action === 'ready' ? upActive.length : upActive.filter((s) => s.server !== node.server).length;
    verdict.remaining[r.lb] = remaining;
    if (action !== 'ready' && targetCounts && remaining < minActive) {
      verdict.allowed = false;
      const others = pool
        .filter((s) => s.server !== node.server)
        .map((s) => `${s.server}: ${s.status}${s.backup ? ' (backup)' : ''}`);
      verdict.reasons.push(
        remaining === 0
          ? `${r.lb}: ${node.server} is the last UP active server of backend ${node.backend}${others.length ? ` (${others.join(', ')})` : ''}`
          : `${r.lb}: only ${remaining} UP active server${remaining === 1 ? '' : 's'} would be left in backend ${node.backend}, below the minimum of ${minActive}`,
      );
    }
  }
  return verdict;
}
