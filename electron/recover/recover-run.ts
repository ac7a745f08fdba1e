/**
 * Resolving an interrupted change on its hosts: "finish" reloads and checks what was replaced (and
 * for failover settings applies them where they never arrived, then saves them); "restore" puts
 * each replaced file's backup back by rename (or removes a file the change created) and reloads
 * where the new file may have been loaded. Then the nodes the change drained are made ready again,
 * through the normal node action and its gate. Every step is written to the same journal entry.
 */
import type { RecoverAction, RecoveryResult } from '../../shared/contract/recover';
import type { ActionResult } from '../../shared/domain/action';
import type { ClusterSettings, ClusterSpec } from '../../shared/domain/cluster';
import type { JournalEntry, JournalTarget } from '../../shared/domain/journal';
import { CdError } from '../../shared/errors';
import { applyConfigChange, type ConfigTarget } from '../config/config-change';
import { reloadDetail, reloadPids, type JournaledStep, type StepFacts } from '../config/config-journal';
import { names } from '../config/config-report';
import { remoteSha256, removeCreatedFile, restoreRemoteFile } from '../config/remote-file';
import type { Connections } from '../core/connections';
import type { CommandLog } from '../files/command-recorder';
import type { JournalHandle } from '../journal/journal-handle';
import type { SshLink } from '../ssh/ssh-link';
import { fileTargetOps, type TargetOps } from './recover-probe';
import { holdsOf, mayHaveLoaded, pending, targetKey, type Probe } from './recover-plan';

type TargetResult = RecoveryResult['targets'][number];
type NodeResult = RecoveryResult['nodes'][number];

export interface RecoverRunDeps {
  cluster: ClusterSpec;
  conns: Connections;
  /** The entry as adopted (this process owns it now). */
  entry: JournalEntry;
  handle: JournalHandle;
  probes: Map<string, Probe>;
  log: CommandLog;
  /** The host's link, recording its commands for the audit log. */
  link(host: string): SshLink;
  /** Failover settings: the LBs' targets for some settings, and the settings on file. */
  failover?: {
    targets(settings: ClusterSettings): Promise<ConfigTarget[]>;
    current(): Promise<ClusterSettings>;
    save(settings: ClusterSettings): Promise<void>;
  };
  /** A managed file was reloaded (its sync cell stops saying "pending restart"). */
  recordReload(host: string, file: string, at: number): Promise<void>;
  nodeReady(node: string, lbs: string[]): Promise<ActionResult>;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Runs one step with its start and end in the journal; a journal that cannot record stops it (nothing unrecorded). */
async function journaled<T>(d: RecoverRunDeps, t: JournalTarget, step: JournaledStep, fn: () => Promise<T>, facts: (v: T) => Omit<StepFacts, 'ok'> = () => ({})): Promise<T> {
  await d.handle.engine.starting(t.host, t.path, step);
  let v: T;
  try {
    v = await fn();
  } catch (e) {
    const failed: StepFacts = { ok: false, ...(step === 'reload' && e instanceof CdError ? reloadPids(e) : {}) };
    await d.handle.engine.ended(t.host, t.path, step, failed).catch((je: unknown) => {
      throw new CdError(e instanceof CdError ? e.code : 'INTERNAL', `${message(e)}; the journal could not record it either: ${message(je)}`);
    });
    throw e;
  }
  await d.handle.engine.ended(t.host, t.path, step, { ok: true, ...facts(v) });
  return v;
}

async function reloadTarget(d: RecoverRunDeps, t: JournalTarget, ops: TargetOps): Promise<string> {
  const r = await journaled(d, t, 'reload', () => ops.reload(), (x) => reloadPids(x));
  if (t.file) await d.recordReload(t.host, t.file, Date.now());
  return reloadDetail(r);
}

/** A target's reload and check: a managed file's from the journal; an LB's haproxy.cfg through the failover target (same reload as apply, and its show stat check). */
async function opsFor(d: RecoverRunDeps, t: JournalTarget): Promise<TargetOps> {
  const link = d.link(t.host);
  await link.connect();
  const plain = fileTargetOps({ cluster: d.cluster, conns: d.conns, link, t, log: d.log });
  const after = d.entry.after?.settings;
  if (d.entry.kind !== 'failover-settings' || !d.failover || !after) return plain;
  const ft = (await d.failover.targets(after)).find((x) => x.target === t.host && x.path === t.path);
  return {
    reload: ft?.reload ? () => ft.reload!() : plain.reload,
    async verify() {
      const onDisk = await remoteSha256(link, t.path);
      if (onDisk !== t.shaNew) throw new CdError('NOT_CONFIRMED', `${t.host}: ${t.path} is not the file the change wrote`, { host: t.host, path: t.path });
      return `${t.path} on disk is the new file; ${ft?.verify ? await ft.verify() : 'no further check'}`;
    },
  };
}

async function finishTarget(d: RecoverRunDeps, t: JournalTarget): Promise<TargetResult> {
  const base = { host: t.host, path: t.path };
  const holds = holdsOf(t, d.probes.get(targetKey(t)));
  if (!pending(t)) return { ...base, outcome: 'nothing-to-do', message: `${t.host}: ${t.unchanged ? 'already had the new file' : 'nothing was changed there'}` };
  if (holds === 'other') return { ...base, outcome: 'left-alone', message: `${t.host}: ${t.path} was changed by someone else since: left as it is; check it by hand` };
  if (holds === 'unknown') return { ...base, outcome: 'failed', message: `${t.host}: could not read ${t.path}; nothing was done there` };
  if (holds !== 'new') return { ...base, outcome: 'nothing-to-do', message: `${t.host}: ${t.path} was not replaced: left as it was` };
  try {
    const ops = await opsFor(d, t);
    const parts: string[] = [];
    if (t.reload.kind !== 'none') parts.push(`reloaded: ${await reloadTarget(d, t, ops)}`);
    parts.push(`checked: ${await journaled(d, t, 'verify', () => ops.verify())}`);
    return { ...base, outcome: 'done', message: `${t.host}: ${parts.join('; ')}` };
  } catch (e) {
    return { ...base, outcome: 'failed', message: `${t.host}: ${message(e)}; ${t.path} stays the new file${t.backup ? ` (the old one is ${t.backup})` : ''}` };
  }
}

async function restoreTarget(d: RecoverRunDeps, t: JournalTarget): Promise<TargetResult> {
  const base = { host: t.host, path: t.path };
  const holds = holdsOf(t, d.probes.get(targetKey(t)));
  if (!pending(t)) return { ...base, outcome: 'nothing-to-do', message: `${t.host}: nothing was changed there` };
  if (holds === 'other') return { ...base, outcome: 'left-alone', message: `${t.host}: ${t.path} was changed by someone else since: left as it is; check it by hand` };
  if (holds === 'unknown') return { ...base, outcome: 'failed', message: `${t.host}: could not read ${t.path}; nothing was done there` };
  const reload = mayHaveLoaded(t) && t.reload.kind !== 'none';
  if (holds !== 'new' && !reload) return { ...base, outcome: 'nothing-to-do', message: `${t.host}: ${t.path} is already the file from before the change` };
  try {
    const link = d.link(t.host);
    await link.connect();
    const parts: string[] = [];
    if (holds === 'new') {
      if (t.shaBefore === null) {
        await journaled(d, t, 'restore', () => removeCreatedFile(link, t.path, t.shaNew!));
        parts.push(`removed ${t.path}: it did not exist before the change`);
      } else {
        if (!t.backup) throw new CdError('NOT_FOUND', `${t.host}: no backup of ${t.path} was recorded; nothing was restored`, { host: t.host, path: t.path });
        const sha = await journaled(d, t, 'restore', () => restoreRemoteFile(link, t.backup!, t.path), (s) => ({ sha256: s }));
        if (sha !== t.shaBefore) throw new CdError('IO_ERROR', `${t.host}: restored ${t.path} from ${t.backup}, but it differs from the file before the change (sha256 ${sha.slice(0, 12)}…)`, { host: t.host });
        parts.push(`restored ${t.path} from ${t.backup} (byte-identical to the file before the change)`);
      }
    } else parts.push(`${t.path} is already the file from before the change`);
    if (reload) parts.push(`reloaded: ${await reloadTarget(d, t, await opsFor(d, t))}`);
    return { ...base, outcome: 'done', message: `${t.host}: ${parts.join('; ')}` };
  } catch (e) {
    return { ...base, outcome: 'failed', message: message(e) };
  }
}

/** Failover finish, second half: the LBs that never got the new file get it now, through the engine. */
async function applyRest(d: RecoverRunDeps, results: TargetResult[]): Promise<TargetResult[]> {
  const after = d.entry.after?.settings;
  if (!d.failover || !after) return results;
  const rest = d.entry.targets.filter((t) => {
    const h = holdsOf(t, d.probes.get(targetKey(t)));
    return !t.unchanged && h !== 'new' && h !== 'other' && !(h === 'unknown' && d.probes.has(targetKey(t)));
  });
  if (!rest.length) return results;
  const targets = (await d.failover.targets(after)).filter((x) => rest.some((t) => t.host === x.target && t.path === x.path));
  await Promise.all(targets.map((x) => x.link.connect()));
  const r = await applyConfigChange({ id: d.entry.id, cluster: d.cluster.name, kind: 'failover-settings', targets, journal: d.handle.engine });
  return results.map((res) => {
    const tr = r.targets.find((x) => x.target === res.host && x.path === res.path);
    if (!tr) return res;
    const ok = tr.outcome === 'applied' || tr.outcome === 'unchanged';
    return { ...res, outcome: ok ? (tr.outcome === 'applied' ? 'done' : 'nothing-to-do') : 'failed', message: `${res.host}: ${tr.outcome === 'applied' ? 'applied the new settings' : tr.outcome}: ${r.message}` };
  });
}

async function readyNodes(d: RecoverRunDeps, targets: TargetResult[]): Promise<NodeResult[]> {
  const out: NodeResult[] = [];
  for (const dr of d.entry.drained) {
    const bad = targets.filter((t) => t.host === dr.node && (t.outcome === 'failed' || t.outcome === 'left-alone'));
    if (bad.length) {
      out.push({ node: dr.node, outcome: 'left-drained', message: `${dr.node} stays drained on ${names(dr.lbs)}: its files could not be settled; make it ready by hand once it is` });
      continue;
    }
    try {
      const r = await d.nodeReady(dr.node, dr.lbs);
      for (const lb of r.lbs) for (const c of lb.commands) d.log.add({ host: lb.lb, command: c.command, ok: c.error === null, ms: c.ms });
      if (r.outcome === 'ok') {
        await d.handle.undrained(dr.node);
        out.push({ node: dr.node, outcome: 'ready', message: `${dr.node} made ready on ${names(dr.lbs)}` });
      } else out.push({ node: dr.node, outcome: 'failed', message: `making ${dr.node} ready failed: ${r.message}` });
    } catch (e) {
      out.push({ node: dr.node, outcome: 'failed', message: `making ${dr.node} ready failed: ${message(e)}` });
    }
  }
  return out;
}

const sameSettings = (a: ClusterSettings, b: ClusterSettings): boolean => JSON.stringify(a) === JSON.stringify(b);

async function settleSettings(d: RecoverRunDeps, action: RecoverAction, targets: TargetResult[]): Promise<RecoveryResult['settings']> {
  if (d.entry.kind !== 'failover-settings' || !d.failover) return null;
  const want = action === 'finish' ? d.entry.after?.settings : d.entry.before?.settings;
  if (!want) return null;
  // The settings on file always describe the LBs: the new ones only once every LB runs them.
  if (action === 'finish' && targets.some((t) => t.outcome === 'failed' || t.outcome === 'left-alone')) return 'unchanged';
  if (sameSettings(await d.failover.current(), want)) return 'unchanged';
  await d.failover.save(want);
  return action === 'finish' ? 'saved' : 'restored';
}

export async function runRecovery(d: RecoverRunDeps, action: RecoverAction): Promise<Omit<RecoveryResult, 'id' | 'cluster' | 'action' | 'commands'>> {
  let targets: TargetResult[] = [];
  // One target at a time, in the change's order: an LB pair keeps serving through the other one.
  for (const t of d.entry.targets) targets.push(action === 'finish' ? await finishTarget(d, t) : await restoreTarget(d, t));
  if (action === 'finish' && d.entry.kind === 'failover-settings' && !targets.some((t) => t.outcome === 'failed' || t.outcome === 'left-alone')) targets = await applyRest(d, targets);
  const settings = await settleSettings(d, action, targets);
  const nodes = await readyNodes(d, targets);

  const failed = targets.filter((t) => t.outcome === 'failed' || t.outcome === 'left-alone').length + nodes.filter((n) => n.outcome !== 'ready').length;
  const good = targets.filter((t) => t.outcome === 'done').length + nodes.filter((n) => n.outcome === 'ready').length;
  const outcome: RecoveryResult['outcome'] = failed === 0 ? 'ok' : good === 0 ? 'failed' : 'partial';
  const lines = [
    ...targets.filter((t) => t.outcome !== 'nothing-to-do').map((t) => t.message),
    ...(settings === 'saved' ? ['the new settings were saved'] : settings === 'restored' ? ['the previous settings were saved back'] : []),
    ...nodes.map((n) => n.message),
  ];
  const verb = action === 'finish' ? 'finished' : 'restored';
  const head = outcome === 'ok' ? verb : outcome === 'partial' ? `${verb} in part` : `could not be ${verb}`;
  return { outcome, message: `${head}: ${lines.join('; ') || 'nothing was left to do'}`, targets, nodes, settings };
}
