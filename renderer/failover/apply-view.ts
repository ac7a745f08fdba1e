import { CONFIG_STEPS, type ConfigChangeResult, type ConfigProgress, type ConfigStep, type ConfigTargetResult } from '../../shared/domain/config-change';
import { andList } from './settings-form';

export type ConfigStepName = (typeof CONFIG_STEPS)[number];
export type Tone = 'ok' | 'warn' | 'error' | 'info';

/** What each step of a configuration change does, in words, for the progress list. */
export const STEP_WORD: Record<ConfigStepName, string> = {
  read: 'read the current file',
  stage: 'upload the new file beside it',
  validate: 'HAProxy checks it (haproxy -c)',
  backup: 'keep a backup',
  replace: 'replace the file',
  reload: 'reload HAProxy',
  verify: 'verify the servers',
  restore: 'put the backup back',
  cleanup: 'remove temporary files',
};

/** Steps shown before anything happened: the normal path (restore only appears when it runs). */
export const EXPECTED_STEPS: ConfigStepName[] = ['read', 'stage', 'validate', 'backup', 'replace', 'reload', 'verify', 'cleanup'];

export interface StepRow {
  step: ConfigStepName;
  word: string;
  state: 'done' | 'failed' | 'running' | 'pending' | 'skipped';
  detail: string;
}

/**
 * One LB's step list while a change runs: the steps reported so far (done or failed), the next
 * expected one as running, the rest pending. A failure stops the normal path: later steps are
 * skipped except the ones that still run (restore, cleanup).
 */
export function stepRows(reported: ReadonlyArray<Pick<ConfigProgress, 'step' | 'ok' | 'detail'>>, finished: boolean): StepRow[] {
  const seen = new Map<ConfigStepName, { ok: boolean; detail: string }>();
  for (const p of reported) seen.set(p.step, { ok: p.ok, detail: p.detail });
  const failed = reported.some((p) => !p.ok);
  const order = seen.has('restore') ? [...EXPECTED_STEPS.slice(0, -1), 'restore' as const, 'cleanup' as const] : EXPECTED_STEPS;
  let runningGiven = finished;
  return order.map((step): StepRow => {
    const s = seen.get(step);
    if (s) return { step, word: STEP_WORD[step], state: s.ok ? 'done' : 'failed', detail: s.detail };
    if (failed && step !== 'cleanup' && step !== 'restore') return { step, word: STEP_WORD[step], state: 'skipped', detail: '' };
    if (!runningGiven) {
      runningGiven = true;
      return { step, word: STEP_WORD[step], state: 'running', detail: '' };
    }
    return { step, word: STEP_WORD[step], state: finished ? 'skipped' : 'pending', detail: '' };
  });
}

export const stepRowsOfResult = (steps: ConfigStep[]): StepRow[] => stepRows(steps, true);

export const TARGET_WORD: Record<ConfigTargetResult['outcome'], { word: string; tone: Tone }> = {
  applied: { word: 'applied', tone: 'ok' },
  unchanged: { word: 'unchanged', tone: 'info' },
  refused: { word: 'refused by HAProxy', tone: 'warn' },
  failed: { word: 'failed', tone: 'error' },
  restored: { word: 'restored: old file back', tone: 'warn' },
  'not-touched': { word: 'not touched', tone: 'info' },
};

export const OUTCOME_TONE: Record<ConfigChangeResult['outcome'], Tone> = {
  ok: 'ok',
  unchanged: 'info',
  refused: 'warn',
  'rolled-back': 'warn',
  failed: 'error',
};

export const OUTCOME_WORD: Record<ConfigChangeResult['outcome'], string> = {
  ok: 'applied',
  unchanged: 'unchanged',
  refused: 'refused',
  'rolled-back': 'rolled back',
  failed: 'failed',
};

/** Why a target did not apply: the failed step's own words (HAProxy's message), else its error. */
export function targetReason(t: ConfigTargetResult): string | null {
  const bad = t.steps.find((s) => !s.ok && s.step !== 'cleanup');
  if (bad) return `${bad.step}: ${bad.detail}`;
  return t.error ? t.error.message : null;
}

export interface ResultView {
  tone: Tone;
  title: string;
  /** What was changed and what was left as it was, line by line. */
  lines: string[];
}

/** A configuration change's result for the admin: applied / refused (nothing changed) / rolled back (what was restored) / failed. */
export function resultView(r: ConfigChangeResult): ResultView {
  const names = r.targets.map((t) => t.target);
  const by = (o: ConfigTargetResult['outcome']) => r.targets.filter((t) => t.outcome === o);
  const reasons = r.targets.map((t) => (targetReason(t) && t.outcome !== 'applied' && t.outcome !== 'unchanged' ? `${t.target}: ${targetReason(t)}` : null)).filter((x): x is string => !!x);
  switch (r.outcome) {
    case 'ok': {
      const applied = by('applied').map((t) => t.target);
      const same = by('unchanged').map((t) => t.target);
      return {
        tone: 'ok',
        title: `Applied on ${andList(applied.length ? applied : names)}`,
        lines: [
          ...(same.length ? [`${andList(same)} already had this file: left as it was.`] : []),
          ...by('applied').map((t) => `${t.target}: ${t.path} replaced and HAProxy reloaded${t.backup ? `; the old file is kept as ${t.backup}` : ''}.`),
        ],
      };
    }
    case 'unchanged':
      return { tone: 'info', title: `No change: ${andList(names)} already run these settings`, lines: ['Nothing was written on any LB; the settings are saved.'] };
    case 'refused':
      return {
        tone: 'warn',
        title: 'Refused: nothing was changed on any LB',
        lines: [...reasons, `${andList(names)} keep${names.length === 1 ? 's' : ''} the file ${names.length === 1 ? 'it' : 'they'} had; the settings were not saved.`],
      };
    case 'rolled-back': {
      const restored = by('restored').map((t) => `${t.target}: ${t.path} restored${t.backup ? ` from ${t.backup}` : ''}`);
      return {
        tone: 'warn',
        title: 'Rolled back: the previous haproxy.cfg is back',
        lines: [...reasons, ...restored.map((x) => `${x}.`), 'The settings were not saved.'],
      };
    }
    case 'failed':
      return {
        tone: 'error',
        title: 'Failed: check the LBs',
        lines: [...reasons, ...r.targets.map((t) => `${t.target} is now: ${TARGET_WORD[t.outcome].word}.`), r.message],
      };
  }
}
