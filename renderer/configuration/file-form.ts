import { MAX_FILE_BYTES } from '../../shared/contract/files';
import { managedFileSettingsSchema, type ManagedFile, type ManagedFileSettings } from '../../shared/domain/managed-files';
import { formatBytes } from './sync-view';

/** The add/edit form as typed: every field a string (or a choice), checked by the contract's own schema. */
export interface FileDraft {
  id: string;
  path: string;
  hostsKind: 'nodes' | 'lbs' | 'chosen';
  chosenHosts: string[];
  validate: string;
  reloadKind: 'none' | 'command' | 'haproxy';
  reloadCommand: string;
  check: string;
  servicePort: string;
  process: string;
  owner: string;
  group: string;
  mode: string;
  keepBackups: string;
}

export type FileField = keyof FileDraft | 'content';
export type FileErrors = Partial<Record<FileField, string>>;

/** The desired content picked from a local file, as read and fingerprinted in the browser. */
export interface PickedContent {
  name: string;
  text: string;
  size: number;
  sha256: string;
}

export const emptyFileDraft = (): FileDraft => ({
  id: '',
  path: '',
  hostsKind: 'nodes',
  chosenHosts: [],
  validate: '',
  reloadKind: 'none',
  reloadCommand: '',
  check: '',
  servicePort: '',
  process: '',
  owner: 'root',
  group: 'root',
  mode: '0644',
  keepBackups: '5',
});

export function draftFromFile(f: ManagedFileSettings): FileDraft {
  return {
    id: f.id,
    path: f.path,
    hostsKind: Array.isArray(f.hosts) ? 'chosen' : f.hosts,
    chosenHosts: Array.isArray(f.hosts) ? [...f.hosts] : [],
    validate: f.validate ?? '',
    reloadKind: f.reload.kind,
    reloadCommand: f.reload.kind === 'command' ? f.reload.command : '',
    check: f.check ?? '',
    servicePort: f.servicePort === null ? '' : String(f.servicePort),
    process: f.process ?? '',
    owner: f.owner,
    group: f.group,
    mode: f.mode,
    keepBackups: String(f.keepBackups),
  };
}

const opt = (s: string): string | null => (s.trim() === '' ? null : s.trim());

/** A whole number as typed, or the word for what is wrong with it. */
function int(s: string, required: boolean): { value: number | null } | { error: string } {
  const t = s.trim();
  if (t === '') return required ? { error: 'must not be empty' } : { value: null };
  if (!/^-?\d+$/.test(t)) return { error: 'must be a whole number' };
  return { value: Number(t) };
}

/** Where a schema issue lands in the form. */
function fieldOf(path: ReadonlyArray<PropertyKey>): FileField {
  const [head, sub] = path;
  if (head === 'reload') return sub === 'command' ? 'reloadCommand' : 'reloadKind';
  if (head === 'hosts') return 'chosenHosts';
  return (typeof head === 'string' ? head : 'id') as FileField;
}

/**
 * The draft checked with the contract's schema (the core checks again): the settings to send, or
 * the errors by field. A new file also needs its content.
 */
export function validateFileDraft(d: FileDraft, o: { isNew: boolean; content: PickedContent | null; contentError: string | null }): { settings: ManagedFileSettings | null; errors: FileErrors } {
  const errors: FileErrors = {};
  const port = int(d.servicePort, false);
  const keep = int(d.keepBackups, true);
  if ('error' in port) errors.servicePort = port.error;
  if ('error' in keep) errors.keepBackups = keep.error;
  if (d.hostsKind === 'chosen' && d.chosenHosts.length === 0) errors.chosenHosts = 'choose at least one host';
  if (d.reloadKind === 'command' && d.reloadCommand.trim() === '') errors.reloadCommand = 'must not be empty: the command that reloads the service';
  if (o.contentError) errors.content = o.contentError;
  else if (o.isNew && !o.content) errors.content = 'pick the local file with the desired content';
  const input = {
    id: d.id.trim(),
    path: d.path.trim(),
    hosts: d.hostsKind === 'chosen' ? d.chosenHosts : d.hostsKind,
    validate: opt(d.validate),
    reload: d.reloadKind === 'command' ? { kind: 'command' as const, command: d.reloadCommand.trim() } : { kind: d.reloadKind },
    check: opt(d.check),
    servicePort: 'value' in port ? port.value : null,
    process: opt(d.process),
    owner: d.owner.trim(),
    group: d.group.trim(),
    mode: d.mode.trim(),
    keepBackups: 'value' in keep ? keep.value : 5,
  };
  const r = managedFileSettingsSchema.safeParse(input);
  if (!r.success) {
    for (const i of r.error.issues) {
      const f = fieldOf(i.path);
      errors[f] ??= i.message;
    }
  }
  return { settings: r.success && Object.keys(errors).length === 0 ? r.data : null, errors };
}

/**
 * The core's INVALID_ARGUMENT message ("settings.path: must be an absolute path; ...") put back on
 * the form's fields; what names no field stays in `rest`.
 */
export function fileFieldsFromServer(message: string): { errors: FileErrors; rest: string } {
  const errors: FileErrors = {};
  const rest: string[] = [];
  for (const part of message.replace(/^files\.put:\s*/, '').split(/;\s*/)) {
    const m = /^(?:settings\.)?([a-zA-Z]+)(?:\.([a-zA-Z0-9]+))?:\s*(.+)$/.exec(part.trim());
    const known: Record<string, FileField> = {
      id: 'id',
      path: 'path',
      hosts: 'chosenHosts',
      validate: 'validate',
      check: 'check',
      servicePort: 'servicePort',
      process: 'process',
      owner: 'owner',
      group: 'group',
      mode: 'mode',
      keepBackups: 'keepBackups',
      content: 'content',
    };
    if (m && m[1] === 'reload') errors[m[2] === 'command' ? 'reloadCommand' : 'reloadKind'] ??= m[3]!;
    else if (m && known[m[1]!]) errors[known[m[1]!]!] ??= m[3]!;
    else if (part.trim()) rest.push(part.trim());
  }
  return { errors, rest: rest.join('; ') };
}

/**
 * Why a picked file cannot be desired content, or null: over 1 MiB, or not text (a NUL byte, or
 * not valid UTF-8). ClusterDeck manages configuration files, not binaries.
 */
export function contentRefusal(name: string, bytes: Uint8Array): string | null {
  if (bytes.length > MAX_FILE_BYTES) return `${name} is ${formatBytes(bytes.length)}: ClusterDeck manages configuration files up to ${formatBytes(MAX_FILE_BYTES)}.`;
  if (bytes.includes(0)) return `${name} is not a text file (it contains NUL bytes): pick the configuration file itself.`;
  try {
    new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return `${name} is not UTF-8 text: ClusterDeck keeps desired content as UTF-8; convert the file first.`;
  }
  return null;
}

/** Hex SHA-256, as the core and the sync matrix show fingerprints. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', bytes as BufferSource);
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Reads a picked local file: refused with a clear message, or its text, size and fingerprint. */
export async function readPicked(name: string, size: number, load: () => Promise<ArrayBuffer>): Promise<{ content: PickedContent } | { error: string }> {
  // Refuse a big file before reading it at all.
  if (size > MAX_FILE_BYTES) return { error: `${name} is ${formatBytes(size)}: ClusterDeck manages configuration files up to ${formatBytes(MAX_FILE_BYTES)}.` };
  const bytes = new Uint8Array(await load());
  const bad = contentRefusal(name, bytes);
  if (bad) return { error: bad };
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  return { content: { name, text, size: bytes.length, sha256: await sha256Hex(bytes) } };
}

/** What Save will do, in one line. */
export function saveWords(isNew: boolean, f: ManagedFile | null, content: PickedContent | null): string {
  if (isNew) return 'Declares the file and keeps its content as version 1 in ClusterDeck; nothing changes on any host until you push.';
  if (content && f && content.sha256 !== f.current.sha256) return `Keeps the new content as version ${f.current.version + 1}; nothing changes on any host until you push.`;
  return 'Saves the settings; the desired content stays as it is. Nothing changes on any host until you push.';
}
