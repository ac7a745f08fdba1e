import type { ManagedFileSettings } from '../../../shared/domain/managed-files';
import { fileFieldsFromServer, type FileErrors } from '../../configuration/file-form';
import { pushResultView, requestOf, type WizardChoice, type WizardStep } from '../../configuration/push-view';
import { formatStamp, resolveHosts } from '../../configuration/sync-view';
import { explainError, toErrorLike } from '../../errors/explain';
import { core } from '../core';
import { closedWizard, emptyChoice, filesOf, type WizardState } from '../files-slice';
import { app } from '../store';
import type { ShownError } from '../types';

let matrixSeq = 0;

/** sync.get: the matrix as the core last checked it, or re-read from every host (`refresh`). */
export async function loadMatrix(cluster: string, refresh = false): Promise<void> {
  const mine = ++matrixSeq;
  app().patchFiles(cluster, (cur) => (refresh ? { refreshing: true } : { loading: !cur.matrix }));
  try {
    const m = await core().call('sync.get', { cluster, refresh });
    app().setMatrix(m);
    if (mine === matrixSeq) app().patchFiles(cluster, { loading: false, refreshing: false, error: null });
  } catch (e) {
    app().patchFiles(cluster, { loading: false, refreshing: false, ...(mine === matrixSeq ? { error: explainError(toErrorLike(e)) } : {}) });
  }
}

export const setHostFilter = (cluster: string, host: string | null): void => app().patchFiles(cluster, { hostFilter: host });

/** From the node table's Sync cell: the Configuration tab, showing that node only. */
export function openConfigurationFor(cluster: string, host: string): void {
  setHostFilter(cluster, host);
  app().setTab('configuration');
}

export const openFileEditor = (cluster: string, id: string | null): void => app().patchFiles(cluster, { editing: id });

/**
 * files.put. Returns null when saved; else the core's refusals on their fields, or the error that
 * names none. The matrix is read again (the desired fingerprint may have changed).
 */
export async function saveFile(
  cluster: string,
  settings: ManagedFileSettings,
  content: { text: string; source: string } | null,
): Promise<{ errors: FileErrors; error: ShownError | null } | null> {
  try {
    const f = await core().call('files.put', { cluster, settings, ...(content ? { content: content.text, source: content.source } : {}) });
    app().patchFiles(cluster, { editing: null });
    app().pushToast({ tone: 'ok', title: `${f.id} saved: version ${f.current.version}`, body: 'Nothing changed on any host yet: push it when you are ready.', sticky: false });
    void loadMatrix(cluster, true);
    return null;
  } catch (e) {
    const err = toErrorLike(e);
    if (err.code === 'INVALID_ARGUMENT') {
      const { errors, rest } = fileFieldsFromServer(err.message);
      return { errors, error: rest ? explainError({ ...err, message: rest }) : null };
    }
    return { errors: {}, error: explainError(err) };
  }
}

export async function removeFile(cluster: string, id: string): Promise<void> {
  try {
    await core().call('files.remove', { cluster, file: id });
    app().patchFiles(cluster, { editing: null });
    app().pushToast({ tone: 'info', title: `${id} is no longer managed`, body: 'Nothing was changed on any host.', sticky: false });
    void loadMatrix(cluster);
  } catch (e) {
    const shown = explainError(toErrorLike(e));
    app().pushToast({ tone: 'error', title: `Removing ${id} failed: ${shown.title}`, body: shown.detail, next: shown.next, sticky: true });
  }
}

let diffSeq = 0;

/** Opens a matrix cell: sync.diff, the file on the host against the desired one. */
export async function openCell(cluster: string, host: string, file: string): Promise<void> {
  const mine = ++diffSeq;
  app().patchFiles(cluster, { cell: { host, file, diff: null, loading: true, error: null } });
  try {
    const diff = await core().call('sync.diff', { cluster, host, file });
    // Closed (or moved on to Roll back…) while the host was read: the answer opens nothing again.
    if (mine === diffSeq) app().patchFiles(cluster, (cur) => (cur.cell ? { cell: { host, file, diff, loading: false, error: null } } : {}));
  } catch (e) {
    if (mine === diffSeq) app().patchFiles(cluster, (cur) => (cur.cell ? { cell: { host, file, diff: null, loading: false, error: explainError(toErrorLike(e)) } } : {}));
  }
}

export const closeCell = (cluster: string): void => app().patchFiles(cluster, { cell: null });

let backupSeq = 0;

/** The rollback dialog for one host and file: its backups from files.backups. */
export async function openRollback(cluster: string, host: string, file: string): Promise<void> {
  const mine = ++backupSeq;
  app().patchFiles(cluster, { cell: null, rollback: { host, file, backups: null, loading: true, error: null, chosen: null, running: false, result: null, runError: null } });
  try {
    const { backups } = await core().call('files.backups', { cluster, host, file });
    if (mine !== backupSeq) return;
    app().patchFiles(cluster, (cur) => (cur.rollback ? { rollback: { ...cur.rollback, backups: [...backups].sort((a, b) => b.at - a.at), loading: false } } : {}));
  } catch (e) {
    if (mine !== backupSeq) return;
    app().patchFiles(cluster, (cur) => (cur.rollback ? { rollback: { ...cur.rollback, loading: false, error: explainError(toErrorLike(e)) } } : {}));
  }
}

export const chooseBackup = (cluster: string, id: string): void =>
  app().patchFiles(cluster, (cur) => (cur.rollback && !cur.rollback.running ? { rollback: { ...cur.rollback, chosen: id, result: null, runError: null } } : {}));

export const closeRollback = (cluster: string): void => app().patchFiles(cluster, (cur) => (cur.rollback?.running ? {} : { rollback: null }));

/** files.rollback of the chosen backup, through the same safe path as a push. */
export async function runRollback(cluster: string): Promise<void> {
  const rb = filesOf(app(), cluster).rollback;
  if (!rb?.chosen || rb.running) return;
  const { host, file, chosen } = rb;
  app().patchFiles(cluster, { rollback: { ...rb, running: true, result: null, runError: null } });
  try {
    const { result } = await core().call('files.rollback', { cluster, host, file, backup: chosen });
    app().patchFiles(cluster, (cur) => (cur.rollback ? { rollback: { ...cur.rollback, running: false, result } } : {}));
    const at = rb.backups?.find((b) => b.id === chosen)?.at;
    app().pushToast({
      tone: result.outcome === 'ok' ? 'ok' : result.outcome === 'unchanged' ? 'info' : 'warn',
      title: `${file} on ${host}: ${result.outcome === 'ok' ? `restored the backup of ${at ? formatStamp(at) : chosen}` : result.outcome}`,
      body: result.message,
      sticky: result.outcome !== 'ok' && result.outcome !== 'unchanged',
    });
    void loadMatrix(cluster, true);
    // The restore kept the file it replaced as a new backup: the list shows it.
    try {
      const { backups } = await core().call('files.backups', { cluster, host, file });
      app().patchFiles(cluster, (cur) =>
        cur.rollback?.host === host && cur.rollback.file === file ? { rollback: { ...cur.rollback, backups: [...backups].sort((a, b) => b.at - a.at) } } : {},
      );
    } catch {
      // the list stays as it was; reopening the dialog reads it again
    }
  } catch (e) {
    const shown = explainError(toErrorLike(e));
    app().patchFiles(cluster, (cur) => (cur.rollback ? { rollback: { ...cur.rollback, running: false, runError: shown } } : {}));
  }
}

const patchWizard = (cluster: string, fn: (w: WizardState) => Partial<WizardState>): void =>
  app().patchFiles(cluster, (cur) => ({ wizard: { ...cur.wizard, ...fn(cur.wizard) } }));

/** Opens the push wizard, preselected (a cell's "Push this file to HOST"), or resumes the one left open. */
export function openWizard(cluster: string, preset?: { files: string[]; hosts: string[] }): void {
  const st = filesOf(app(), cluster);
  if (st.wizard.run?.running) return patchWizard(cluster, () => ({ open: true, step: 'run' }));
  if (preset) {
    app().patchFiles(cluster, { cell: null, wizard: { ...closedWizard(), open: true, choice: { ...emptyChoice(), ...preset } } });
    return;
  }
  if (st.wizard.step !== 'choose' || st.wizard.choice.files.length) return patchWizard(cluster, () => ({ open: true }));
  // A fresh wizard proposes what is out of sync: those files on those hosts.
  const m = st.matrix;
  const bad = m?.cells.filter((c) => c.state !== 'in-sync' && c.state !== 'pending-restart' && c.state !== 'unknown') ?? [];
  const files = bad.length ? [...new Set(bad.map((c) => c.file))] : (m?.files.map((f) => f.id) ?? []);
  const hosts = bad.length ? [...new Set(bad.map((c) => c.host))] : (m?.hosts ?? []);
  app().patchFiles(cluster, { wizard: { ...closedWizard(), open: true, choice: { ...emptyChoice(), files, hosts } } });
}

/** Leaves the wizard: kept as it is (resumable) while a run is going or unfinished; reset after a finished run. */
export function closeWizard(cluster: string, reset: boolean): void {
  const w = filesOf(app(), cluster).wizard;
  if (reset && !w.run?.running) app().patchFiles(cluster, { wizard: closedWizard() });
  else patchWizard(cluster, () => ({ open: false }));
}

export const goStep = (cluster: string, step: WizardStep): void => patchWizard(cluster, () => ({ step }));

export function editChoice(cluster: string, fn: (c: WizardChoice) => WizardChoice): void {
  patchWizard(cluster, (w) => (w.run ? {} : { choice: fn(w.choice) }));
}

/** Hosts a set of files is managed on, in the cluster's order. */
export function hostsOfFiles(cluster: string, files: string[]): string[] {
  const m = filesOf(app(), cluster).matrix;
  if (!m) return [];
  const spec = app().specs[cluster];
  const nodes = spec?.nodes.map((n) => n.name) ?? [];
  const lbs = spec?.lbs.map((l) => l.name) ?? [];
  const set = new Set(m.files.filter((f) => files.includes(f.id)).flatMap((f) => resolveHosts(f.hosts, nodes, lbs)));
  return m.hosts.filter((h) => set.has(h));
}

let previewSeq = 0;

/** push.preview for the wizard's current choice; moves to `then` at once (it shows the preview loading). */
export async function previewPush(cluster: string, then: WizardStep): Promise<void> {
  const { request } = requestOf(filesOf(app(), cluster).wizard.choice);
  if (!request) return;
  const mine = ++previewSeq;
  patchWizard(cluster, () => ({ step: then, preview: { request, result: null, loading: true, error: null } }));
  try {
    const result = await core().call('push.preview', { cluster, request });
    if (mine === previewSeq) patchWizard(cluster, () => ({ preview: { request, result, loading: false, error: null } }));
  } catch (e) {
    if (mine === previewSeq) patchWizard(cluster, () => ({ preview: { request, result: null, loading: false, error: explainError(toErrorLike(e)) } }));
  }
}

/** push.run with exactly the reviewed request; per-host progress arrives through push.progress. */
export async function runPush(cluster: string): Promise<void> {
  const w = filesOf(app(), cluster).wizard;
  const request = w.preview?.result ? w.preview.request : null;
  if (!request || w.run?.running) return;
  const startedAt = Date.now();
  app().patchFiles(cluster, (cur) => ({ live: { id: null, hosts: {} }, wizard: { ...cur.wizard, step: 'run', run: { request, running: true, startedAt, result: null, error: null } } }));
  try {
    const result = await core().call('push.run', { cluster, request });
    patchWizard(cluster, (cur) => ({ run: { request, running: false, startedAt, result, error: null }, step: cur.step }));
    const v = pushResultView(result);
    app().pushToast({ tone: v.tone, title: `${cluster}: ${v.title}`, body: result.message, sticky: v.tone !== 'ok' && v.tone !== 'info' });
    void loadMatrix(cluster);
  } catch (e) {
    const shown = explainError(toErrorLike(e));
    patchWizard(cluster, () => ({ run: { request, running: false, startedAt, result: null, error: shown } }));
    app().pushToast({ tone: 'error', title: `Push to ${cluster} failed: ${shown.title}`, body: shown.detail, next: shown.next, sticky: true });
    void loadMatrix(cluster, true);
  }
}
