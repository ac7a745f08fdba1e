/**
 * What the config engine tells an intent journal, so a change cut short by a killed process can be
 * found and finished or undone later. The engine awaits every call: a step that changes a host
 * starts only once its start is recorded. Optional: tests pass none, or a memory one.
 */
import type { ConfigStep } from '../../shared/domain/config-change';

/** The steps that change a host or a service (and verify, so "done" means checked). */
export type JournaledStep = Extract<ConfigStep['step'], 'backup' | 'replace' | 'reload' | 'verify' | 'restore'>;

export interface PreparedTarget {
  target: string;
  path: string;
  /** sha256 of the file now; null when it does not exist (the change creates it). */
  shaBefore: string | null;
  /** sha256 of the new content. */
  shaNew: string;
  /** Already holds the new content: the engine leaves it alone. */
  unchanged: boolean;
}

/** What a step produced, for the record. */
export interface StepFacts {
  ok: boolean;
  /** backup: where the copy of the old file is. */
  backup?: string;
  /** replace/restore: the sha256 of the file afterwards. */
  sha256?: string;
  /** HAProxy reloads: the worker before and after. */
  oldPid?: number | null;
  newPid?: number | null;
}

export interface ConfigJournal {
  /** After every target was read and staged, before the first backup: what each holds and will hold. */
  prepared(targets: PreparedTarget[]): Promise<void>;
  starting(target: string, path: string, step: JournaledStep): Promise<void>;
  ended(target: string, path: string, step: JournaledStep, facts: StepFacts): Promise<void>;
}

/** A reload's own report: its words, and for HAProxy the worker it replaced and the new one. */
export interface ReloadDone {
  detail: string;
  oldPid?: number | null;
  newPid?: number | null;
}

export function reloadDetail(r: string | ReloadDone): string {
  return typeof r === 'string' ? r : r.detail;
}

/** Pids a reload reported, also from the details of a failed HAProxy reload (which knows the old worker). */
export function reloadPids(r: string | ReloadDone | { details?: Record<string, unknown> | undefined }): { oldPid: number | null; newPid: number | null } {
  if (typeof r === 'string') return { oldPid: null, newPid: null };
  if ('detail' in r) return { oldPid: r.oldPid ?? null, newPid: r.newPid ?? null };
  const old = r.details?.['oldPid'];
  return { oldPid: typeof old === 'number' ? old : null, newPid: null };
}
