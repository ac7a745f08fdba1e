/**
 * The words of a config change's result: what an admin reads to know what state each host is in
 * and what to do next. Pure, so every wording is pinned by a unit test.
 */
import type { ConfigChangeResult, ConfigStep, ConfigTargetResult } from '../../shared/domain/config-change';
import { reEscape } from './shell';

export type ChangeKind = ConfigChangeResult['kind'];
export type ChangeOutcome = ConfigChangeResult['outcome'];

/** "lb1", "lb1 and lb2", "lb1, lb2 and lb3". */
export function names(list: string[]): string {
  if (list.length <= 1) return list[0] ?? '';
  return `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
}

/** Failover settings go to the load balancers; managed files to any host. */
export function hostNoun(kind: ChangeKind): string {
  return kind === 'failover-settings' ? 'LB' : 'host';
}

const GENERIC_ALERT = /Error\(s\) found in configuration file|Fatal errors found in configuration/;

/**
 * The validator's verdict in one line: HAProxy's [ALERT] lines (the specific ones first, pids
 * dropped), with the staged temp's name replaced by the target's so a line number reads against
 * the diff. Other validators: their last non-blank line.
 */
export function validatorSummary(output: string, tmp: string | null, path: string): string {
  const clean = (l: string): string =>
    (tmp ? l.split(tmp).join(path) : l)
      .replace(/^\s*\[(ALERT|WARNING|NOTICE)\]\s*\(\d+\)\s*:\s*/, '[$1] ')
      .replace(/\s+/g, ' ')
      .trim();
  const lines = output.split('\n').map(clean).filter((l) => l !== '');
  const alerts = lines.filter((l) => l.startsWith('[ALERT]'));
  const specific = alerts.filter((l) => !GENERIC_ALERT.test(l));
  const picked = (specific.length ? specific : alerts).slice(0, 3);
  const text = picked.length ? picked.join(' ') : (lines[lines.length - 1] ?? 'no output');
  return text.length > 600 ? `${text.slice(0, 597)}...` : text;
}

/** The step names as an admin says them. */
export const STEP_WORDS: Record<ConfigStep['step'], string> = {
  read: 'reading the file',
  stage: 'preparing the new file',
  validate: 'validation',
  backup: 'the backup',
  replace: 'replacing the file',
  reload: 'reload',
  verify: 'verification',
  restore: 'restoring',
  cleanup: 'cleanup',
};

export interface Failure {
  target: string;
  step: ConfigStep['step'];
  /** Names the host itself when it is a refusal of the input or the render (the engine words it). */
  message: string;
  /** The change itself was refused (validator, render, bad input), as opposed to an error on the way. */
  refusal: boolean;
}

/** A target whose file was (or may have been) replaced: a successful replace, or a restore attempted after an unsure one. */
export function touched(t: ConfigTargetResult): boolean {
  return t.steps.some((s) => (s.step === 'replace' && s.ok) || s.step === 'restore');
}

/** "lb1 (root@10.0.0.1:22): x" or "lb1: x" → "x" where the sentence already names lb1. */
function withoutHost(target: string, message: string): string {
  return message.replace(new RegExp(`^${reEscape(target)}(?: \\([^)]*\\))?: `), '');
}

function causeOf(f: Failure): string {
  if (f.refusal) return f.step === 'validate' ? `${f.target} refused the new file: ${f.message}` : f.message;
  return `${STEP_WORDS[f.step]} failed on ${f.target}: ${withoutHost(f.target, f.message)}`;
}

/** Outcome and message of a whole change from the per-target results. */
export function summarize(
  kind: ChangeKind,
  targets: ConfigTargetResult[],
  failures: Failure[],
  o: { cancelled?: boolean; reloads?: boolean } = {},
): { outcome: ChangeOutcome; message: string } {
  const noun = hostNoun(kind);
  const by = (outcome: ConfigTargetResult['outcome']): string[] => targets.filter((t) => t.outcome === outcome).map((t) => t.target);
  const applied = by('applied');
  const unchanged = by('unchanged');
  const first = failures[0];
  // In the order they were put back: the failing target first, then the earlier ones newest first.
  const restoredInOrder = by('restored').reverse();
  const restored = first && restoredInOrder.includes(first.target) ? [first.target, ...restoredInOrder.filter((t) => t !== first.target)] : restoredInOrder;

  if (!first && !o.cancelled) {
    if (applied.length === 0) return { outcome: 'unchanged', message: `nothing to change: ${names(unchanged)} already ${unchanged.length > 1 ? 'have' : 'has'} this configuration` };
    const rest = unchanged.length ? `; ${names(unchanged)} already had it` : '';
    return { outcome: 'ok', message: `applied on ${names(applied)}${rest}` };
  }

  const also = failures.length > 1 ? ` (also ${failures.slice(1).map(causeOf).join('; ')})` : '';
  const cause = first ? `${causeOf(first)}${also}` : 'cancelled';
  if (!targets.some(touched)) {
    const refused = failures.length > 0 && failures.every((f) => f.refusal) && !o.cancelled;
    return { outcome: refused ? 'refused' : 'failed', message: `${cause}; nothing was changed on any ${noun}` };
  }

  const failedTouched = targets.filter((t) => t.outcome === 'failed' && touched(t));
  // Restored but its reload failed: the file is right, the running process may not be.
  const restoredOk = (t: ConfigTargetResult): boolean => t.steps.filter((s) => s.step === 'restore').pop()?.ok === true;
  const notReloaded = failedTouched.filter(restoredOk);
  const notRestored = failedTouched.filter((t) => !restoredOk(t));
  const reloaded = o.reloads ? ' and reloaded' : '';
  const parts: string[] = [];
  if (first && !targets.some((t) => t.target === first.target && touched(t))) parts.push(`${first.target} was not changed`);
  if (restored.length) {
    parts.push(`${names(restored)} ${restored.length > 1 ? 'were' : 'was'} restored to ${restored.length > 1 ? 'their' : 'its'} previous file${restored.length > 1 ? 's' : ''}${reloaded}`);
  }
  if (notReloaded.length) {
    parts.push(`${names(notReloaded.map((t) => t.target))} got ${notReloaded.length > 1 ? 'their' : 'its'} previous file back, but reloading it failed (${notReloaded.map((t) => t.error?.message ?? 'unknown error').join('; ')}): reload by hand`);
  }
  if (notRestored.length) {
    const bad = notRestored.map((t) => `${t.target} (${t.error?.message ?? 'unknown error'}; its previous file is kept at ${t.backup})`);
    parts.push(`could NOT restore ${names(bad)}: check ${notRestored.length > 1 ? 'them' : 'it'} by hand (the file is whole, old or new: ClusterDeck only replaces files by rename)`);
  }
  return { outcome: failedTouched.length ? 'failed' : 'rolled-back', message: `${cause}; ${parts.join('; ')}` };
}

/** A short count of a unified diff's changes: "2 lines removed, 2 added". */
export function diffStat(diff: string): string {
  let add = 0;
  let del = 0;
  for (const l of diff.split('\n')) {
    if (l.startsWith('+') && !l.startsWith('+++')) add++;
    if (l.startsWith('-') && !l.startsWith('---')) del++;
  }
  return `${del} line${del === 1 ? '' : 's'} removed, ${add} added`;
}
