import { useMemo, useState, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { openFileEditor, removeFile, saveFile } from '../state/ops/files-ops';
import { filesOf } from '../state/files-slice';
import { useApp } from '../state/store';
import type { ShownError } from '../state/types';
import { AppDialog } from '../ui/dialog';
import { ErrorBox } from '../ui/error-box';
import { Field } from '../ui/field';
import { draftFromFile, emptyFileDraft, readPicked, saveWords, validateFileDraft, type FileDraft, type FileErrors, type FileField, type PickedContent } from './file-form';
import { formatBytes } from './sync-view';

function Radios<T extends string>({ name, value, options, onValue, testid }: { name: string; value: T; options: [T, ReactNode][]; onValue(v: T): void; testid: string }) {
  return (
    <div className="cfg-radios" role="radiogroup" aria-label={name} data-testid={testid}>
      {options.map(([v, label]) => (
        <label key={v} className="check">
          <input type="radio" name={name} value={v} checked={value === v} onChange={() => onValue(v)} data-testid={`${testid}-${v}`} />
          {label}
        </label>
      ))}
    </div>
  );
}

/** Add or edit a managed file: its settings (checked with the contract's schema) and its content from a local file. */
export function FileDialog({ cluster }: { cluster: string }) {
  const editing = useApp((s) => filesOf(s, cluster).editing);
  if (editing === null) return null;
  return <FileDialogBody key={editing} cluster={cluster} id={editing} />;
}

function FileDialogBody({ cluster, id }: { cluster: string; id: string }) {
  const file = useApp((s) => filesOf(s, cluster).matrix?.files.find((f) => f.id === id) ?? null);
  const nodes = useApp(useShallow((s) => s.specs[cluster]?.nodes.map((n) => n.name) ?? []));
  const lbs = useApp(useShallow((s) => s.specs[cluster]?.lbs.map((l) => l.name) ?? []));
  const isNew = id === '';
  const [draft, setDraft] = useState<FileDraft>(() => (file ? draftFromFile(file) : emptyFileDraft()));
  const [content, setContent] = useState<PickedContent | null>(null);
  const [contentError, setContentError] = useState<string | null>(null);
  const [reading, setReading] = useState(false);
  const [touched, setTouched] = useState<Set<FileField>>(new Set());
  const [tried, setTried] = useState(false);
  const [serverErrors, setServerErrors] = useState<FileErrors>({});
  const [error, setError] = useState<ShownError | null>(null);
  const [saving, setSaving] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);

  const checked = useMemo(() => validateFileDraft(draft, { isNew, content, contentError }), [draft, isNew, content, contentError]);
  const shownErrors: FileErrors = { ...serverErrors };
  for (const [k, v] of Object.entries(checked.errors) as [FileField, string][]) if (tried || touched.has(k)) shownErrors[k] = v;

  const edit = (k: keyof FileDraft, v: FileDraft[keyof FileDraft]) => {
    setDraft((d) => ({ ...d, [k]: v }));
    setTouched((t) => new Set(t).add(k));
    setServerErrors({});
  };
  const text = (k: keyof FileDraft, label: string, hint: ReactNode, extra: Record<string, unknown> = {}) => (
    <Field
      label={label}
      hint={hint}
      value={draft[k] as string}
      error={shownErrors[k]}
      autoComplete="off"
      spellCheck={false}
      onValue={(v) => edit(k, v)}
      testid={`file-${k}`}
      {...extra}
    />
  );

  const pick = async (f: File | undefined) => {
    setTouched((t) => new Set(t).add('content'));
    setContent(null);
    setContentError(null);
    if (!f) return;
    setReading(true);
    try {
      const r = await readPicked(f.name, f.size, () => f.arrayBuffer());
      if ('error' in r) setContentError(r.error);
      else setContent(r.content);
    } catch (e) {
      setContentError(`${f.name} could not be read: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setReading(false);
    }
  };

  const submit = async () => {
    setTried(true);
    if (!checked.settings || saving || reading) return;
    setSaving(true);
    setError(null);
    const r = await saveFile(cluster, checked.settings, content ? { text: content.text, source: content.name } : null);
    setSaving(false);
    if (r) {
      setServerErrors(r.errors);
      setError(r.error);
    }
  };

  const same = content && file && content.sha256 === file.current.sha256;
  return (
    <AppDialog
      open
      onOpenChange={(o) => {
        if (!o && !saving) openFileEditor(cluster, null);
      }}
      title={isNew ? 'Add a managed file' : `Edit ${id}`}
      description="ClusterDeck keeps the desired content as a versioned copy and compares it with every host. Nothing is written on a host until you push."
      testid="file-dialog"
      size="wide"
      dismissable={!saving}
    >
      <form
        className="cfg-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div className="cfg-grid-idpath">
          {text('id', 'Id', 'Short name: a-z, 0-9, . _ -', { disabled: !isNew })}
          {text('path', 'Path on the hosts', 'Absolute, e.g. /srv/app/app.conf')}
        </div>
        <fieldset className="cfg-set">
          <legend>Hosts</legend>
          <Radios
            name="Hosts"
            value={draft.hostsKind}
            onValue={(v) => edit('hostsKind', v)}
            testid="file-hosts"
            options={[
              ['nodes', `All nodes (${nodes.length})`],
              ['lbs', `All LBs (${lbs.length})`],
              ['chosen', 'Chosen hosts'],
            ]}
          />
          {draft.hostsKind === 'chosen' ? (
            <ul className="cfg-checks" data-testid="file-chosen-hosts">
              {[...nodes, ...lbs].map((h) => (
                <li key={h}>
                  <label className="check">
                    <input
                      type="checkbox"
                      checked={draft.chosenHosts.includes(h)}
                      onChange={(e) => edit('chosenHosts', e.target.checked ? [...draft.chosenHosts, h] : draft.chosenHosts.filter((x) => x !== h))}
                      data-testid={`file-host-${h}`}
                    />
                    {h}
                  </label>
                </li>
              ))}
            </ul>
          ) : null}
          {shownErrors.chosenHosts ? (
            <div className="field-error" role="alert" data-testid="file-chosenHosts-error">
              {shownErrors.chosenHosts}
            </div>
          ) : null}
        </fieldset>
        <fieldset className="cfg-set">
          <legend>Validate, reload, check</legend>
          {text('validate', 'Validate command (optional)', <>Run on the host against the staged new file, named <code>{'{file}'}</code>, before it replaces the old one</>, { placeholder: 'e.g. haproxy -c -f {file}' })}
          <div className="cfg-label" id="file-reload-label">
            Reload after the replace
          </div>
          <Radios
            name="Reload"
            value={draft.reloadKind}
            onValue={(v) => edit('reloadKind', v)}
            testid="file-reload"
            options={[
              ['none', 'No reload'],
              ['command', 'Command'],
              ['haproxy', 'HAProxy reload (LBs)'],
            ]}
          />
          {draft.reloadKind === 'command' ? text('reloadCommand', 'Reload command', 'Non-zero exit = failed: the old file is put back') : null}
          {shownErrors.reloadKind ? <div className="field-error">{shownErrors.reloadKind}</div> : null}
          {text('check', 'Check command (optional)', 'Run after the reload; non-zero exit = the service did not take it: the old file is put back')}
          <div className="form-grid">
            {text('servicePort', 'Service port (optional)', 'Waited for after the reload', { inputMode: 'numeric' })}
            {text('process', 'Process pattern (optional)', 'pgrep -f pattern: tells "pending restart"')}
          </div>
        </fieldset>
        <fieldset className="cfg-set">
          <legend>Ownership and backups</legend>
          <div className="form-grid">
            {text('owner', 'Owner', '')}
            {text('group', 'Group', '')}
            {text('mode', 'Mode', 'Octal, e.g. 0644')}
            {text('keepBackups', 'Backups kept', 'On each host, beside the file', { inputMode: 'numeric' })}
          </div>
        </fieldset>
        <fieldset className={`cfg-set ${shownErrors.content ? 'field-invalid' : ''}`}>
          <legend>Desired content</legend>
          <div className="field">
            <label htmlFor="file-content">{isNew ? 'Local file with the desired content' : 'New content (optional): a local file'}</label>
            <input id="file-content" type="file" onChange={(e) => void pick(e.target.files?.[0])} data-testid="file-content" aria-invalid={shownErrors.content ? true : undefined} />
            <div className="field-hint">Text up to 1 MiB; read here, fingerprinted (SHA-256) and sent to ClusterDeck on Save.</div>
          </div>
          {reading ? <p className="loading" role="status">Reading…</p> : null}
          {content ? (
            <p className="cfg-picked" data-testid="file-picked">
              <strong>{content.name}</strong> <span className="num">{formatBytes(content.size)}</span> · sha256{' '}
              <span className="mono" data-testid="file-picked-sha">
                {content.sha256}
              </span>
              {same ? <span className="muted"> (the same as the desired version {file!.current.version})</span> : null}
            </p>
          ) : file ? (
            <p className="muted">
              Desired now: version {file.current.version}, sha256 <span className="mono">{file.current.sha256.slice(0, 16)}…</span> from {file.current.source}
            </p>
          ) : null}
          {shownErrors.content ? (
            <div className="field-error" role="alert" data-testid="file-content-error">
              {shownErrors.content}
            </div>
          ) : null}
        </fieldset>
        {error ? <ErrorBox error={error} testid="file-save-error" /> : null}
        <p className="muted" data-testid="file-save-words">
          {saveWords(isNew, file, content)}
        </p>
        <div className="dialog-actions">
          {!isNew ? (
            confirmRemove ? (
              <button type="button" className="btn btn-danger" onClick={() => void removeFile(cluster, id)} data-testid="file-remove-confirm">
                Stop managing {id} (hosts keep their file)
              </button>
            ) : (
              <button type="button" className="btn" onClick={() => setConfirmRemove(true)} data-testid="file-remove">
                Stop managing…
              </button>
            )
          ) : null}
          <span className="dialog-spacer" />
          {tried && !checked.settings ? (
            <span className="field-error" role="status" data-testid="file-form-status">
              Fix the fields marked in red to save.
            </span>
          ) : null}
          <button type="button" className="btn" disabled={saving} onClick={() => openFileEditor(cluster, null)} data-testid="file-cancel">
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={saving || reading || (tried && !checked.settings)} data-testid="file-save">
            {saving ? 'Saving…' : isNew ? `Add ${draft.id.trim() || 'file'}` : `Save ${id}`}
          </button>
        </div>
      </form>
    </AppDialog>
  );
}
