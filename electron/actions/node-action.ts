import { randomUUID } from 'node:crypto';
import type { ActionProgress, ActionResult, CommandRecord, LbActionResult, NodeAction } from '../../shared/domain/action';
import type { ClusterSpec, LbSpec, NodeSpec } from '../../shared/domain/cluster';
import { CdError, fromErrorData } from '../../shared/errors';
import { describeConsequence } from '../cluster/consequence';
import { evaluateGate } from '../cluster/gate';
import { findServer, type LbRead } from '../cluster/lb-read';
import { confirms, runtimeCommand } from './admin-state';

/** What an action needs from the connections, so the orchestration can be driven in tests. */
export interface LbPort {
  /** Connects the LB's SSH link; rejects with a typed error (a changed host key among them). */
  connect(lb: LbSpec): Promise<void>;
  /** Sends commands on the LB's runtime channel in one round trip. */
  run(lb: LbSpec, commands: string[]): Promise<CommandRecord[]>;
  /** Parses the replies of readCommands() into an LbRead. */
  parse(lb: LbSpec, records: CommandRecord[]): LbRead;
  readCommands(backend: string): string[];
}

export interface ActionRequest {
  node: string;
  action: NodeAction;
  waitSeconds?: number | undefined;
  forceGate?: string | undefined;
  lbs?: string[] | undefined;
}

export interface ActionEnv {
  port: LbPort;
  onProgress?: (p: ActionProgress) => void;
  signal?: AbortSignal;
  /** Poll interval while waiting for sessions to drain. */
  pollMs?: number;
}

const joinNames = (xs: string[]): string => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

export function resolveNode(cluster: ClusterSpec, name: string): NodeSpec {
  const n = cluster.nodes.find((x) => x.name === name || x.server === name);
  if (!n) throw new CdError('NOT_FOUND', `cluster ${cluster.name} has no node "${name}" (nodes: ${cluster.nodes.map((x) => x.name).join(', ')})`);
  return n;
}

function pickLbs(cluster: ClusterSpec, only: string[] | undefined): LbSpec[] {
  if (!only) return cluster.lbs;
  const unknown = only.filter((n) => !cluster.lbs.some((l) => l.name === n));
  if (unknown.length) throw new CdError('NOT_FOUND', `cluster ${cluster.name} has no LB ${unknown.join(', ')}`);
  return cluster.lbs.filter((l) => only.includes(l.name));
}

/** Reads every LB (connect + one read each, in parallel); never throws for one LB's failure. */
export async function readAll(port: LbPort, lbs: LbSpec[], backend: string): Promise<{ reads: LbRead[]; records: Map<string, CommandRecord[]> }> {
  const records = new Map<string, CommandRecord[]>();
  const reads = await Promise.all(
    lbs.map(async (lb): Promise<LbRead> => {
      try {
        await port.connect(lb);
        const recs = await port.run(lb, port.readCommands(backend));
        records.set(lb.name, recs);
        return port.parse(lb, recs);
      } catch (e) {
        return { lb: lb.name, ok: false, error: e instanceof CdError ? e : new CdError('INTERNAL', (e as Error).message) };
      }
    }),
  );
  return { reads, records };
}

/**
 * Drain / maint / ready one node on every LB: read (the gate's input), gate, send in parallel,
 * confirm by re-reading on each LB in the same round trip, optionally wait for sessions to reach 0.
 * An LB that fails never undoes the others; the result says exactly what happened where.
 */
export async function runNodeAction(cluster: ClusterSpec, req: ActionRequest, env: ActionEnv): Promise<ActionResult> {
  const startedAt = Date.now();
  const id = randomUUID();
  const node = resolveNode(cluster, req.node);
  const lbs = pickLbs(cluster, req.lbs);
  const backend = node.backend;
  const forced = req.forceGate !== undefined;
  if (forced && req.forceGate !== node.name) {
    throw new CdError('GATE_OVERRIDE_MISMATCH', `to override the safety gate, type the node's name exactly: "${node.name}" (got "${req.forceGate}")`);
  }
  const progress: ActionProgress = {
    id,
    cluster: cluster.name,
    node: node.name,
    action: req.action,
    phase: 'connecting',
    lbs: Object.fromEntries(lbs.map((l) => [l.name, { phase: 'connecting', status: null, sessions: null }])),
    deadline: null,
  };
  const emit = (patch: Partial<ActionProgress>): void => {
    Object.assign(progress, patch);
    env.onProgress?.(structuredClone(progress));
  };
  const setLb = (lb: string, p: Partial<ActionProgress['lbs'][string]>): void => {
    progress.lbs[lb] = { ...progress.lbs[lb]!, ...p };
  };
  const results = new Map<string, LbActionResult>(
    lbs.map((l) => [l.name, { lb: l.name, outcome: 'not-sent', statusAfter: null, sessions: null, error: null, commands: [] }]),
  );
  const finish = (outcome: ActionResult['outcome'], message: string, extra: Partial<ActionResult> = {}): ActionResult => {
    emit({ phase: 'done' });
    return {
      id,
      cluster: cluster.name,
      node: node.name,
      action: req.action,
      outcome,
      message,
      gate: { allowed: true, reasons: [], remaining: {}, minActive: cluster.settings.minActive },
      forced,
      lbs: [...results.values()],
      wait: null,
      startedAt,
      durationMs: Date.now() - startedAt,
      error: null,
      ...extra,
    };
  };

  emit({ phase: 'reading' });
  const { reads, records } = await readAll(env.port, lbs, backend);
  for (const r of reads) {
    const res = results.get(r.lb)!;
    res.commands.push(...(records.get(r.lb) ?? []));
    setLb(r.lb, { phase: r.ok ? 'read' : 'failed' });
  }

  // A socket below level admin would refuse the change on its LB while the others take it, leaving
  // the LBs split: refuse the action everywhere before anything is sent.
  const weak = reads.filter((r) => r.ok && r.level !== null && r.level !== 'admin');
  if (weak.length) {
    const err = new CdError(
      'HAPROXY_PERMISSION',
      `refused: ${weak.map((r) => (r.ok ? `${r.lb}'s runtime socket is at level ${r.level}` : r.lb)).join('; ')}, and drain, maint and ready need level admin; nothing was sent to any LB. ` +
        `Give that socket "level admin" in haproxy.cfg (stats socket ... level admin), or point haproxy_socket at one that has it.`,
      { lbs: weak.map((r) => r.lb) },
    );
    return finish('refused', err.message, { error: err.toData() });
  }

  // A changed host key may be a man in the middle: send nothing anywhere, not just skip that LB.
  const keyProblem = reads.find((r) => !r.ok && (r.error.code === 'HOST_KEY_CHANGED' || r.error.code === 'HOST_KEY_REVOKED'));
  if (keyProblem && !keyProblem.ok) {
    for (const r of reads) if (!r.ok) results.get(r.lb)!.error = r.error.toData();
    return finish('refused', `refused: ${keyProblem.error.message}; nothing was sent to any LB`, { error: keyProblem.error.toData() });
  }

  const usable: LbRead[] = [];
  for (const r of reads) {
    const res = results.get(r.lb)!;
    if (!r.ok) {
      res.outcome = 'failed';
      res.error = r.error.toData();
      continue;
    }
    const s = findServer(r, backend, node.server);
    if (!s) {
      res.outcome = 'failed';
      res.error = { code: 'SERVER_NOT_FOUND', message: `${r.lb} has no server ${backend}/${node.server}` };
      continue;
    }
    res.statusAfter = s.status;
    res.sessions = s.sessions;
    usable.push(r);
  }

  emit({ phase: 'gate' });
  const gate = evaluateGate({ action: req.action, node, reads: usable, minActive: cluster.settings.minActive });
  if (!gate.allowed && !forced) {
    for (const r of usable) results.get(r.lb)!.outcome = 'not-sent';
    const consequence = describeConsequence(req.action, node, usable, gate);
    const err = new CdError('GATE_REFUSED', `refused by the safety gate: ${gate.reasons.join('; ')}. To do it anyway, type the node's name to override.`, {
      reasons: gate.reasons,
      consequence,
    });
    return finish('refused', err.message, { gate, error: err.toData() });
  }
  if (usable.length === 0) {
    const err = new CdError('ACTION_PARTIAL', `no LB could be read; nothing was sent (${[...results.values()].map((r) => `${r.lb}: ${r.error?.message}`).join('; ')})`);
    return finish('failed', err.message, { gate, error: err.toData() });
  }

  emit({ phase: 'applying' });
  const command = runtimeCommand(req.action, backend, node.server);
  await Promise.all(
    usable.map(async (r) => {
      const lb = lbs.find((l) => l.name === r.lb)!;
      const res = results.get(r.lb)!;
      setLb(r.lb, { phase: 'applying' });
      try {
        const recs = await env.port.run(lb, [command, ...env.port.readCommands(backend)]);
        res.commands.push(...recs);
        const sent = recs[0]!;
        if (sent.error) throw fromErrorData(sent.error);
        const after = env.port.parse(lb, recs.slice(1));
        const s = after.ok ? findServer(after, backend, node.server) : null;
        if (!after.ok) throw after.error;
        if (!s) throw new CdError('SERVER_NOT_FOUND', `${r.lb} no longer lists ${backend}/${node.server}`);
        res.statusAfter = s.status;
        res.sessions = s.sessions;
        if (!confirms(req.action, s)) {
          throw new CdError('NOT_CONFIRMED', `${r.lb} accepted "${command}" but still reports ${s.status} (admin state ${s.adminState ?? '?'})`);
        }
        res.outcome = 'applied';
        res.error = null;
        setLb(r.lb, { phase: 'applied', status: s.status, sessions: s.sessions });
      } catch (e) {
        const err = e instanceof CdError ? e : new CdError('INTERNAL', (e as Error).message);
        res.outcome = 'failed';
        res.error = err.toData();
        setLb(r.lb, { phase: 'failed' });
      }
    }),
  );
  emit({ phase: 'confirming' });

  const applied = [...results.values()].filter((r) => r.outcome === 'applied');
  const failed = [...results.values()].filter((r) => r.outcome === 'failed');
  const verb = { drain: 'draining', maint: 'in maintenance', ready: 'ready' }[req.action];
  const failNote = failed.length ? `; FAILED on ${failed.map((f) => `${f.lb} (${f.error?.message ?? 'unknown error'})`).join('; ')}` : '';
  const forceNote = forced && !gate.allowed ? ' (safety gate overridden)' : '';

  let wait: ActionResult['wait'] = null;
  if (req.waitSeconds !== undefined && req.action !== 'ready' && applied.length > 0) {
    wait = await waitForSessions(env, lbs.filter((l) => applied.some((a) => a.lb === l.name)), node, req.waitSeconds, results, emit, setLb);
  }

  const appliedNames = joinNames(applied.map((a) => a.lb));
  if (applied.length === 0) {
    return finish('failed', `${node.name} was not changed on any LB${failNote}`, {
      gate,
      error: { code: 'ACTION_PARTIAL', message: `failed on every LB${failNote}` },
    });
  }
  if (wait && !wait.drained) {
    const left = Object.entries(wait.sessions)
      .filter(([, n]) => n !== 0)
      .map(([lb, n]) => `${n ?? '?'} on ${lb}`)
      .join(', ');
    const msg = `${node.name} is ${verb} on ${appliedNames}${forceNote}, but sessions remained after ${wait.seconds} s (${left}); it was left ${verb}: force maintenance, keep waiting, or make it ready again${failNote}`;
    return finish(failed.length ? 'partial' : 'timeout', msg, {
      gate,
      wait,
      error: { code: 'DRAIN_TIMEOUT', message: msg },
    });
  }
  const drainedNote = wait ? `; sessions reached 0 on ${appliedNames}` : '';
  if (failed.length) {
    const msg = `${node.name} is ${verb} on ${appliedNames}${forceNote}${drainedNote}${failNote}`;
    return finish('partial', msg, { gate, wait, error: { code: 'ACTION_PARTIAL', message: msg } });
  }
  return finish('ok', `${node.name} is ${verb} on ${appliedNames}${forceNote}${drainedNote}`, { gate, wait });
}

async function waitForSessions(
  env: ActionEnv,
  lbs: LbSpec[],
  node: NodeSpec,
  seconds: number,
  results: Map<string, LbActionResult>,
  emit: (p: Partial<ActionProgress>) => void,
  setLb: (lb: string, p: Partial<ActionProgress['lbs'][string]>) => void,
): Promise<NonNullable<ActionResult['wait']>> {
  const deadline = Date.now() + seconds * 1000;
  const pollMs = env.pollMs ?? 250;
  const sessions: Record<string, number | null> = Object.fromEntries(lbs.map((l) => [l.name, results.get(l.name)?.sessions ?? null]));
  emit({ phase: 'waiting', deadline });
  // Bounded twice: by the deadline and by an iteration cap, so a clock jump can't spin forever.
  const maxRounds = Math.ceil((seconds * 1000) / pollMs) + 2;
  for (let round = 0; round < maxRounds; round++) {
    if (Object.values(sessions).every((n) => n === 0)) return { seconds, drained: true, sessions };
    if (Date.now() >= deadline || env.signal?.aborted) break;
    await new Promise((r) => setTimeout(r, Math.min(pollMs, Math.max(0, deadline - Date.now()))));
    await Promise.all(
      lbs.map(async (lb) => {
        try {
          const recs = await env.port.run(lb, env.port.readCommands(node.backend));
          const r = env.port.parse(lb, recs);
          const s = r.ok ? findServer(r, node.backend, node.server) : null;
          sessions[lb.name] = s ? s.sessions : null;
          const res = results.get(lb.name)!;
          if (s) {
            res.sessions = s.sessions;
            res.statusAfter = s.status;
          }
          setLb(lb.name, { sessions: sessions[lb.name] ?? null, status: s?.status ?? null });
        } catch {
          sessions[lb.name] = null;
        }
      }),
    );
    emit({});
  }
  return { seconds, drained: Object.values(sessions).every((n) => n === 0), sessions };
}
