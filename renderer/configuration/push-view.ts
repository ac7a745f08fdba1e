import type { ConfigStep, ConfigTargetResult } from '../../shared/domain/config-change';
import type { ManagedFile, PushHostResult, PushPreview, PushProgress, PushRequest, PushResult, SyncCell } from '../../shared/domain/managed-files';
import { stepRows, type StepRow, type Tone } from '../failover/apply-view';
import { andList } from '../failover/settings-form';
import { shortSha, SYNC_WORD } from './sync-view';

export const WIZARD_STEPS = ['choose', 'preview', 'mode', 'review', 'run', 'verify'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];
export const STEP_TITLE: Record<WizardStep, string> = {
  choose: 'Files and hosts',
  preview: 'Preview',
  mode: 'Mode',
  review: 'Review',
  run: 'Run',
  verify: 'Verify',
};

/** What the admin chose, as typed: the request is built from it when Next is pressed. */
export interface WizardChoice {
  files: string[];
  hosts: string[];
  mode: 'all-at-once' | 'rolling';
  drainWaitSec: string;
  portWaitSec: string;
}

export type WaitErrors = Partial<Record<'drainWaitSec' | 'portWaitSec', string>>;

function seconds(s: string, min: number, max: number): number | string {
  const t = s.trim();
  if (!/^\d+$/.test(t)) return 'must be a whole number of seconds';
  const n = Number(t);
  if (n < min) return `must be at least ${min}`;
  if (n > max) return `must be at most ${max}`;
  return n;
}

/** The push request for a choice, or the errors of its wait fields. */
export function requestOf(c: WizardChoice): { request: PushRequest | null; errors: WaitErrors } {
  const drain = seconds(c.drainWaitSec, 0, 3600);
  const port = seconds(c.portWaitSec, 1, 600);
  const errors: WaitErrors = {};
  if (typeof drain === 'string') errors.drainWaitSec = drain;
  if (typeof port === 'string') errors.portWaitSec = port;
  if (typeof drain === 'string' || typeof port === 'string' || !c.files.length || !c.hosts.length) return { request: null, errors };
  return { request: { files: c.files, hosts: c.hosts, mode: c.mode, drainWaitSec: drain, portWaitSec: port }, errors };
}

/** Why Next is not possible on the choose step, or null. */
export function chooseBlocked(c: WizardChoice): string | null {
  if (!c.files.length) return 'Choose at least one file.';
  if (!c.hosts.length) return 'Choose at least one host.';
  return null;
}

/** What each engine step does to a managed file, for progress and results. */
export const FILE_STEP_WORD: Record<ConfigStep['step'], string> = {
  read: 'read the current file',
  stage: 'upload the new file beside it',
  validate: 'run the validate command on it',
  backup: 'keep a backup',
  replace: 'replace the file (atomic rename)',
  reload: 'reload the service',
  verify: 'check the service',
  restore: 'put the backup back',
  cleanup: 'remove temporary files',
};

export const fileStepRows = (steps: ReadonlyArray<Pick<ConfigStep, 'step' | 'ok' | 'detail'>>, finished: boolean): StepRow[] =>
  stepRows(steps, finished).map((r) => ({ ...r, word: FILE_STEP_WORD[r.step] }));

export const PHASE_WORD: Record<PushProgress['phase'], string> = {
  waiting: 'waiting its turn',
  drain: 'draining on every LB',
  'wait-sessions': 'waiting for sessions to end',
  push: 'pushing',
  'wait-port': 'waiting for the service port',
  ready: 'making it ready on every LB',
  verify: 'verifying the fingerprint',
  done: 'done',
  unchanged: 'unchanged: already in sync',
  failed: 'failed',
  skipped: 'not started',
};

export const phaseTone = (p: PushProgress['phase']): Tone => (p === 'done' ? 'ok' : p === 'failed' ? 'error' : p === 'unchanged' || p === 'skipped' ? 'info' : 'warn');

/** The steps on one host, in order, as the review lists them. */
export function hostPlan(host: string, files: ManagedFile[], o: { mode: PushRequest['mode']; isNode: boolean; lbs: string[]; drainWaitSec: number; portWaitSec: number; changed: string[] }): string[] {
  const lbs = andList(o.lbs);
  const lines: string[] = [];
  const todo = files.filter((f) => o.changed.includes(f.id));
  if (!todo.length) return [`Nothing to do: ${andList(files.map((f) => f.path))} already in sync.`];
  const rolling = o.mode === 'rolling' && o.isNode;
  if (rolling) lines.push(`Drain ${host} on ${lbs}; wait up to ${o.drainWaitSec} s for its sessions to end.`);
  for (const f of todo) {
    lines.push(`Upload ${f.path} (version ${f.current.version}, sha256 ${shortSha(f.current.sha256)}) to a temp file beside it.`);
    if (f.validate) lines.push(`Validate it there: ${f.validate}`);
    lines.push(`Keep a backup of the current ${f.path} (last ${f.keepBackups}); rename the new file into place, owner ${f.owner}:${f.group}, mode ${f.mode}.`);
    if (f.reload.kind === 'command') lines.push(`Reload: ${f.reload.command}`);
    if (f.reload.kind === 'haproxy') lines.push('Reload HAProxy through its master socket, keeping drain/maint states.');
    if (f.check) lines.push(`Check: ${f.check}`);
    if (f.servicePort) lines.push(`Wait up to ${o.portWaitSec} s for port ${f.servicePort}.`);
    lines.push(`If the reload or the check fails: put the backup back and reload again.`);
  }
  if (rolling) lines.push(`Make ${host} ready on ${lbs}.`);
  lines.push('Read the fingerprint back.');
  return lines;
}

/** Per host of a preview: changed files, verdicts, and whether it can be pushed. */
export function previewHosts(p: PushPreview): { host: string; changed: string[]; refused: string[]; items: PushPreview['items'] }[] {
  return p.hosts.map((host) => {
    const items = p.items.filter((i) => i.host === host);
    return { host, items, changed: items.filter((i) => i.changed).map((i) => i.file), refused: items.filter((i) => i.valid === false).map((i) => i.file) };
  });
}

/** Why the preview cannot go on to a run, or null. */
export function previewBlocked(p: PushPreview): string | null {
  if (p.refusal) return p.refusal;
  const bad = p.items.filter((i) => i.valid === false);
  if (bad.length) return `The validate command refuses the new file on ${andList([...new Set(bad.map((i) => `${i.host} (${i.file})`))])}: fix the desired content first.`;
  if (!p.items.some((i) => i.changed)) return 'Nothing to push: every chosen file is already in sync on every chosen host.';
  return null;
}

export const HOST_OUTCOME: Record<PushHostResult['outcome'], { word: string; tone: Tone }> = {
  done: { word: 'done', tone: 'ok' },
  unchanged: { word: 'unchanged', tone: 'info' },
  refused: { word: 'refused: nothing written', tone: 'warn' },
  restored: { word: 'restored: old file back', tone: 'warn' },
  failed: { word: 'failed', tone: 'error' },
  'not-started': { word: 'not started', tone: 'info' },
};

export const PUSH_OUTCOME: Record<PushResult['outcome'], { word: string; tone: Tone }> = {
  ok: { word: 'pushed', tone: 'ok' },
  unchanged: { word: 'unchanged', tone: 'info' },
  partial: { word: 'partly failed', tone: 'error' },
  stopped: { word: 'stopped', tone: 'error' },
  failed: { word: 'failed', tone: 'error' },
};

const TARGET_LEFT: Partial<Record<ConfigTargetResult['outcome'], string>> = {
  unchanged: 'already had it',
  refused: 'refused by the validate command: the old file was not touched',
  restored: 'the old file was put back',
  'not-touched': 'not touched',
};

export interface PushResultView {
  tone: Tone;
  title: string;
  done: string[];
  failed: string[];
  notStarted: string[];
  /** What was left as it was, host by host. */
  left: string[];
}

/** A push's result in the admin's words: which hosts are done, failed, not started, and what stayed as it was. */
export function pushResultView(r: PushResult): PushResultView {
  const of = (...o: PushHostResult['outcome'][]) => r.hosts.filter((h) => o.includes(h.outcome)).map((h) => h.host);
  const done = of('done');
  const failed = of('failed', 'restored', 'refused');
  const notStarted = of('not-started');
  const left: string[] = [];
  for (const h of r.hosts) {
    if (h.outcome === 'not-started') {
      left.push(`${h.host}: not started, every file left as it was.`);
      continue;
    }
    if (h.outcome === 'unchanged') {
      left.push(`${h.host}: already in sync, nothing written.`);
      continue;
    }
    for (const f of h.files) {
      const w = TARGET_LEFT[f.outcome];
      if (w) left.push(`${h.host}: ${f.path} ${w}.`);
    }
  }
  const o = PUSH_OUTCOME[r.outcome];
  const title =
    r.outcome === 'ok'
      ? `Pushed to ${andList(done.length ? done : r.hosts.map((h) => h.host))}`
      : r.outcome === 'unchanged'
        ? 'Nothing to push: every host already had the desired files'
        : r.outcome === 'stopped'
          ? `Stopped at ${andList(failed)}: the hosts after it were not touched`
          : r.outcome === 'partial'
            ? `Failed on ${andList(failed)}; the other hosts are done`
            : 'The push failed';
  return { tone: o.tone, title, done, failed, notStarted, left };
}

/** Why a host failed, in one line: its error, else its failing step's own words. */
export function hostReason(h: PushHostResult): string | null {
  if (h.error) return `${h.error.code}: ${h.error.message}`;
  for (const f of h.files) {
    const bad = f.steps.find((s) => !s.ok && s.step !== 'cleanup');
    if (bad) return `${f.file} ${bad.step}: ${bad.detail}`;
  }
  return null;
}

export interface VerifyRow {
  host: string;
  file: string;
  state: string;
  ok: boolean;
  onHost: string;
  desired: string;
}

/** The fingerprints read back after the push, against the desired ones. */
export function verifyRows(cells: SyncCell[]): VerifyRow[] {
  return cells.map((c) => ({
    host: c.host,
    file: c.file,
    state: SYNC_WORD[c.state],
    ok: c.state === 'in-sync' || (c.sha256 !== null && c.sha256 === c.desiredSha256),
    onHost: shortSha(c.sha256, 12),
    desired: shortSha(c.desiredSha256, 12),
  }));
}

/** One log line for a push.progress event: its own words, else the phase's. */
export const progressLine = (p: Pick<PushProgress, 'phase' | 'detail'>): string => p.detail || PHASE_WORD[p.phase];

const HEAD_MAX = 110;
/** Script lines that say nothing about what it does: shell options, redirections, simple variables. */
const PREAMBLE = [/^set -[a-z]+$/, /^exec \d?>&\d$/, /^[A-Za-z_][A-Za-z0-9_]*='[^']*'$/, /^umask \d+$/];

/**
 * A host command's first line, shortened, for a folded list: the engine's scripts run to dozens of
 * lines, and the list must stay scannable (the whole script is one click away). Preambles (`set -eu`,
 * `exec 2>&1`, `p='/path'`) are skipped so the head says what the script does.
 */
export function commandHead(command: string): { head: string; long: boolean } {
  const lines = command.split('\n').map((l) => l.trim()).filter(Boolean);
  const first = lines.find((l) => !PREAMBLE.some((re) => re.test(l))) ?? lines[0] ?? '';
  const long = lines.length > 1 || first.length > HEAD_MAX;
  return { head: first.length > HEAD_MAX ? `${first.slice(0, HEAD_MAX - 1)}…` : first, long };
}
