/**
 * One node of a rolling push, the seed's playbook: drain it on every LB (through the same action and
 * safety gate as a drain by hand), wait for its sessions, push and reload, wait for the port, make it
 * ready on every LB. A node already in sync is not drained at all. When its push fails, the node is
 * made ready again only if its old file is back and its port answers; otherwise it stays drained.
 */
import type { ActionResult } from '../../shared/domain/action';
import type { ManagedFile, PushHostResult } from '../../shared/domain/managed-files';
import { CdError, fromErrorData } from '../../shared/errors';
import { runNodeAction } from '../actions/node-action';
import { names, touched } from '../config/config-report';
import type { SshLink } from '../ssh/ssh-link';
import { hostSpec } from './file-hosts';
import { waitForPort } from './host-command';
import { hostOutcome, hostResult, pushFiles, unchangedFiles, type PushContext } from './push-host';
import type { PlannedHost } from './push-plan';
import { checkHostFiles } from './sync-check';

/** After a failure: how long to give the restored service to answer before leaving the node drained. */
const AFTER_RESTORE_PORT_SEC = 10;

async function nodeAction(pc: PushContext, node: string, action: 'drain' | 'ready', lbs?: string[], waitSeconds?: number): Promise<ActionResult> {
  const r = await runNodeAction(
    pc.cluster,
    { node, action, ...(waitSeconds !== undefined ? { waitSeconds } : {}), ...(lbs ? { lbs } : {}) },
    {
      port: pc.conns.lbPort(pc.cluster),
      ...(pc.signal ? { signal: pc.signal } : {}),
      ...(pc.drainPollMs ? { pollMs: pc.drainPollMs } : {}),
      onProgress: (p) => {
        if (action === 'drain' && p.phase === 'waiting') {
          const left = Object.entries(p.lbs).map(([lb, s]) => `${s.sessions ?? '?'} on ${lb}`).join(', ');
          pc.progress(node, 'wait-sessions', 25, `waiting up to ${waitSeconds ?? 0} s for sessions to end (${left})`);
        }
      },
    },
  );
  for (const lb of r.lbs) {
    for (const c of lb.commands) pc.log.add({ host: lb.lb, command: c.command, ok: c.error === null, ms: c.ms });
  }
  if (r.lbs.some((l) => l.outcome === 'applied')) pc.onNodeChanged?.();
  return r;
}

const applied = (r: ActionResult): string[] => r.lbs.filter((l) => l.outcome === 'applied').map((l) => l.lb);

/** After the drain: the LBs it took on (none: nothing to undo). A note when the journal could not say so. */
async function recordDrain(pc: PushContext, node: string, lbs: string[]): Promise<string | null> {
  try {
    if (lbs.length) await pc.journal?.drained(node, lbs);
    else await pc.journal?.undrained(node);
    return null;
  } catch (e) {
    return `the intent journal could not record the drain of ${node} (${e instanceof Error ? e.message : String(e)})`;
  }
}

/** The node is ready again: nothing for a recovery to undo there. */
async function recordReady(pc: PushContext, node: string, notes: string[]): Promise<void> {
  try {
    await pc.journal?.undrained(node);
  } catch (e) {
    notes.push(`the intent journal could not record that ${node} is ready again (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** True when every file of the host already has the desired fingerprint (one exec); 'unknown' cells are an error. */
async function inSync(pc: PushContext, h: PlannedHost, link: SshLink, reloads: Map<string, number>): Promise<{ cells: Awaited<ReturnType<typeof checkHostFiles>> } | { error: CdError }> {
  const cells = await checkHostFiles(link, h.host, h.files, reloads);
  const unknown = cells.find((c) => c.state === 'unknown');
  if (unknown) return { error: new CdError('SSH_DISCONNECTED', `${h.host}: could not check its files before draining it: ${unknown.detail}`, { host: h.host }) };
  return { cells };
}

export async function rollingNode(pc: PushContext, h: PlannedHost, link: SshLink, reloads: Map<string, number>): Promise<PushHostResult> {
  const t0 = performance.now();
  const notes: string[] = [];
  const fail = (patch: Partial<PushHostResult>, error: CdError): PushHostResult => {
    pc.progress(h.host, 'failed', 100, error.message);
    return hostResult(h.host, t0, { outcome: 'failed', notes, error: error.toData(), ...patch });
  };

  const pre = await inSync(pc, h, link, reloads);
  if ('error' in pre) return fail({}, pre.error);
  if (pre.cells.every((c) => c.state === 'in-sync' || c.state === 'pending-restart')) {
    notes.push(`${h.host} already has the desired files (sha256 checked): not drained, nothing written`);
    pc.progress(h.host, 'unchanged', 100, notes[0]!);
    return hostResult(h.host, t0, { outcome: 'unchanged', files: unchangedFiles(h.host, h.files, pre.cells), notes });
  }

  pc.progress(h.host, 'drain', 10, `draining ${h.host} on every LB`);
  // Recorded before it is sent: a kill during the drain leaves a node recovery makes ready again.
  const everyLb = pc.cluster.lbs.map((l) => l.name);
  try {
    await pc.journal?.draining(h.host, everyLb);
  } catch (e) {
    return fail({}, new CdError('IO_ERROR', `${h.host}: could not record the drain in the intent journal (${e instanceof Error ? e.message : String(e)}); not drained, nothing was written`, { host: h.host }));
  }
  const drain = await nodeAction(pc, h.host, 'drain', undefined, pc.drainWaitSec);
  const drainedOn = applied(drain);
  const journalError = await recordDrain(pc, h.host, drainedOn);
  if (journalError) notes.push(journalError);
  if (drain.outcome === 'refused') {
    notes.push(`not drained: ${drain.message}; nothing was written to ${h.host}`);
    return fail({}, new CdError(drain.error?.code ?? 'GATE_REFUSED', `${h.host}: ${drain.message}; nothing was written`, { host: h.host }));
  }
  if (drain.outcome === 'failed' || drain.outcome === 'partial') {
    let undo = '';
    if (drainedOn.length) {
      const back = await nodeAction(pc, h.host, 'ready', drainedOn);
      if (back.outcome === 'ok') await recordReady(pc, h.host, notes);
      undo = back.outcome === 'ok' ? `; made ready again on ${names(drainedOn)}` : `; making it ready again on ${names(drainedOn)} failed: ${back.message}`;
    }
    notes.push(`could not drain ${h.host} on every LB: ${drain.message}${undo}; nothing was written`);
    return fail({}, new CdError(drain.error?.code ?? 'ACTION_PARTIAL', `${h.host}: could not drain it on every LB (${drain.message}); nothing was written`, { host: h.host }));
  }
  notes.push(
    drain.outcome === 'timeout'
      ? `drained on ${names(drainedOn)}; sessions remained after ${pc.drainWaitSec} s (${Object.entries(drain.wait?.sessions ?? {}).map(([lb, n]) => `${n ?? '?'} on ${lb}`).join(', ')}): pushed anyway`
      : `drained on ${names(drainedOn)}; sessions reached 0`,
  );

  pc.progress(h.host, 'push', 35, `pushing ${h.files.map((f) => f.id).join(', ')}`);
  const pushed = await pushFiles(pc, h, link);
  const outcome = pushed.engine ? hostOutcome(pushed.engine) : 'failed';

  if (outcome === 'done' || outcome === 'unchanged') {
    pc.progress(h.host, 'ready', 90, `making ${h.host} ready on every LB`);
    const ready = await nodeAction(pc, h.host, 'ready', drainedOn);
    if (ready.outcome !== 'ok') {
      notes.push(`the files are in place, but making ${h.host} ready failed: ${ready.message}`);
      return fail({ files: pushed.files, drained: true }, new CdError(ready.error ? fromErrorData(ready.error).code : 'ACTION_PARTIAL', `${h.host}: the files are in place, but making it ready again failed: ${ready.message}`, { host: h.host }));
    }
    notes.push(`made ready on ${names(drainedOn)}`);
    await recordReady(pc, h.host, notes);
    pc.progress(h.host, outcome, 100, notes.join('; '));
    return hostResult(h.host, t0, { outcome, files: pushed.files, drained: true, notes });
  }

  // The push failed. The old file is in place when every file was restored or never replaced
  // (refused by its validator, cancelled, or stopped before its rename).
  const oldFileBack = !pushed.engine || pushed.engine.targets.every((t) => t.outcome === 'restored' || !touched(t));
  const portFile = h.files.find((f): f is ManagedFile & { servicePort: number } => f.servicePort !== null);
  let answers = oldFileBack;
  let why = oldFileBack ? '' : 'its file could not be put back as it was';
  if (oldFileBack && portFile) {
    const address = hostSpec(pc.cluster, h.host).spec.ssh.host;
    try {
      await waitForPort(link, address, portFile.servicePort, Math.min(AFTER_RESTORE_PORT_SEC, pc.portWaitSec), { log: pc.log });
    } catch (e) {
      answers = false;
      why = `its port ${portFile.servicePort} does not answer (${e instanceof Error ? e.message : String(e)})`;
    }
  }
  if (answers) {
    const ready = await nodeAction(pc, h.host, 'ready', drainedOn);
    if (ready.outcome === 'ok') await recordReady(pc, h.host, notes);
    notes.push(
      ready.outcome === 'ok'
        ? `the previous file is in place${portFile ? ` and port ${portFile.servicePort} answers` : ''}: made ready again on ${names(drainedOn)}`
        : `the previous file is in place, but making ${h.host} ready again failed: ${ready.message}`,
    );
  } else {
    notes.push(`left drained on ${names(drainedOn)}: ${why}; check ${h.host} by hand, then make it ready`);
  }
  const error = pushed.error ?? new CdError('INTERNAL', `${h.host}: the push failed`);
  pc.progress(h.host, 'failed', 100, error.message);
  return hostResult(h.host, t0, { outcome, files: pushed.files, drained: true, notes, error: error.toData() });
}
