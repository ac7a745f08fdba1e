/**
 * haproxy.cfg, read and edited as text. Pure.
 *
 * Only the server lines of one backend are ever edited, and on those only the `check`, `inter`,
 * `fall`, `rise` and `backup` keywords: every other character of the file (comments, indentation,
 * tabs, CRLF, other parameters and their order) is written back as it was, so the diff an admin
 * reviews shows exactly the settings that change.
 */
import { CdError } from '../../shared/errors';
import { formatTimeMs, joinLines, parseTimeMs, splitLines, tokenize, type CfgToken } from './cfg-tokens';

export type SectionKind = 'global' | 'defaults' | 'frontend' | 'backend' | 'listen' | 'other';

export interface CfgSection {
  keyword: string;
  kind: SectionKind;
  /** Second word of the header ("app" in "backend app"); null for global and unnamed defaults. */
  name: string | null;
  /** `from <defaults>` on the header (named defaults, 2.6+). */
  from: string | null;
  /** 0-based index of the header line. */
  start: number;
  /** 0-based index after the section's last line (the next header, or the line count). */
  end: number;
}

/** Every section keyword HAProxy knows (2.6 through 3.x): any of them ends the section before. */
const SECTION_KEYWORDS = new Set([
  'global', 'defaults', 'frontend', 'backend', 'listen', 'userlist', 'peers', 'resolvers', 'mailers', 'program',
  'http-errors', 'ring', 'cache', 'fcgi-app', 'log-forward', 'crt-store', 'traces', 'acme',
]);

const KIND: Record<string, SectionKind> = { global: 'global', defaults: 'defaults', frontend: 'frontend', backend: 'backend', listen: 'listen' };

export function parseSections(text: string): CfgSection[] {
  const lines = splitLines(text);
  const out: CfgSection[] = [];
  lines.forEach((l, i) => {
    const { tokens } = tokenize(l.text);
    const kw = tokens[0]?.value;
    if (kw === undefined || !SECTION_KEYWORDS.has(kw)) return;
    const prev = out[out.length - 1];
    if (prev) prev.end = i;
    const fromAt = tokens.findIndex((t, k) => k >= 1 && t.value === 'from');
    const name = tokens[1] && tokens[1].value !== 'from' ? tokens[1].value : null;
    out.push({ keyword: kw, kind: KIND[kw] ?? 'other', name, from: fromAt > 0 ? (tokens[fromAt + 1]?.value ?? null) : null, start: i, end: lines.length });
  });
  return out;
}

/** Per server: the failover settings ClusterDeck owns. inter is in ms. */
export interface ServerSettings {
  inter?: number;
  fall?: number;
  rise?: number;
  backup: boolean;
}
export type ServerPlan = Record<string, ServerSettings>;

export interface Rewritten {
  text: string;
  changed: boolean;
  /** Per server line, what changed ("node1: inter 2s → 500ms, fall 3 → 4 (line 42)"). */
  changes: string[];
  notes: string[];
}

/** Server keywords that take no argument; every other keyword takes exactly one (except `source`). */
const FLAGS = new Set([
  'agent-check', 'allow-0rtt', 'backup', 'check', 'check-send-proxy', 'check-ssl', 'check-via-socks4', 'check-reuse-pool',
  'disabled', 'enabled', 'force-sslv3', 'force-tlsv10', 'force-tlsv11', 'force-tlsv12', 'force-tlsv13', 'non-stick', 'stick',
  'send-proxy', 'send-proxy-v2', 'send-proxy-v2-ssl', 'send-proxy-v2-ssl-cn', 'ssl', 'ssl-reuse', 'tfo', 'tls-tickets',
  'no-agent-check', 'no-backup', 'no-check', 'no-check-ssl', 'no-send-proxy', 'no-send-proxy-v2', 'no-send-proxy-v2-ssl',
  'no-send-proxy-v2-ssl-cn', 'no-ssl', 'no-ssl-reuse', 'no-sslv3', 'no-tls-tickets', 'no-tlsv10', 'no-tlsv11', 'no-tlsv12',
  'no-tlsv13', 'no-verifyhost', 'no-tfo', 'no-check-reuse-pool',
]);

interface Param {
  keyword: CfgToken;
  arg: CfgToken | null;
}

/**
 * Keyword/argument pairs after `server <name> <addr>` (or after `default-server`): a value that
 * happens to be spelled like a keyword ("cookie check") stays a value.
 */
export function serverParams(tokens: CfgToken[], from: number): Param[] {
  const out: Param[] = [];
  let i = from;
  while (i < tokens.length) {
    const k = tokens[i]!;
    if (FLAGS.has(k.value)) {
      out.push({ keyword: k, arg: null });
      i += 1;
    } else if (k.value === 'source') {
      // source <addr>[:<port>] [usesrc <addr>] [interface <name>]
      out.push({ keyword: k, arg: tokens[i + 1] ?? null });
      i += 2;
      while (tokens[i] && (tokens[i]!.value === 'usesrc' || tokens[i]!.value === 'interface')) i += 2;
    } else {
      out.push({ keyword: k, arg: tokens[i + 1] ?? null });
      i += 2;
    }
  }
  return out;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** `backup` as set by default-server lines: the last backup/no-backup wins; null when none says. */
function backupFrom(params: Param[]): boolean | null {
  let v: boolean | null = null;
  for (const p of params) {
    if (p.keyword.value === 'backup') v = true;
    if (p.keyword.value === 'no-backup') v = false;
  }
  return v;
}

/**
 * One server line rewritten to `want`. `inheritedBackup` is what default-server lines already say,
 * so `no-backup` is written only when a default-server would otherwise make the server a backup.
 */
export function rewriteServerLine(line: string, want: ServerSettings, inheritedBackup: boolean): { line: string; changes: string[] } {
  const { tokens } = tokenize(line);
  const params = serverParams(tokens, 3);
  const edits: Edit[] = [];
  const append: string[] = [];
  const changes: string[] = [];
  const remove = (t: CfgToken): void => {
    const i = tokens.indexOf(t);
    edits.push({ start: i > 0 ? tokens[i - 1]!.end : t.start, end: t.end, text: '' });
  };
  const has = (kw: string): Param[] => params.filter((p) => p.keyword.value === kw);

  if (has('check').length === 0) {
    append.push('check');
    changes.push('check added');
  }
  for (const p of has('no-check')) {
    remove(p.keyword);
    changes.push('no-check removed');
  }

  const setValue = (kw: 'inter' | 'fall' | 'rise', value: number | undefined, parse: (s: string) => number, format: (n: number) => string): void => {
    if (value === undefined) return;
    const found = has(kw);
    if (found.length === 0) {
      append.push(`${kw} ${format(value)}`);
      changes.push(`${kw} ${format(value)} added`);
      return;
    }
    for (const p of found) {
      if (p.arg && parse(p.arg.value) === value) continue;
      if (p.arg) edits.push({ start: p.arg.start, end: p.arg.end, text: format(value) });
      else edits.push({ start: p.keyword.end, end: p.keyword.end, text: ` ${format(value)}` });
      changes.push(`${kw} ${p.arg?.raw ?? '(none)'} → ${format(value)}`);
    }
  };
  const int = (s: string): number => (/^\d+$/.test(s) ? Number(s) : Number.NaN);
  setValue('inter', want.inter, parseTimeMs, formatTimeMs);
  setValue('fall', want.fall, int, String);
  setValue('rise', want.rise, int, String);

  const own = backupFrom(params);
  const effective = own ?? inheritedBackup;
  if (want.backup && !effective) {
    for (const p of has('no-backup')) remove(p.keyword);
    // Without its no-backup, the line falls back on an own `backup` or the inherited one.
    if (!inheritedBackup && has('backup').length === 0) append.push('backup');
    changes.push('backup added');
  } else if (!want.backup && effective) {
    for (const p of has('backup')) remove(p.keyword);
    if (inheritedBackup && has('no-backup').length === 0) append.push('no-backup');
    changes.push(inheritedBackup ? 'no-backup added (a default-server line says backup)' : 'backup removed');
  }

  if (edits.length === 0 && append.length === 0) return { line, changes: [] };
  const last = tokens[tokens.length - 1]!;
  if (append.length) edits.push({ start: last.end, end: last.end, text: ` ${append.join(' ')}` });
  let out = line;
  for (const e of edits.sort((a, b) => b.start - a.start || b.end - a.end)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return { line: out, changes };
}

function planProblem(name: string, s: ServerSettings): string | null {
  const whole = (v: number | undefined, min: number): boolean => v === undefined || (Number.isInteger(v) && v >= min && v <= 1_000_000_000);
  if (!whole(s.inter, 1)) return `${name}: inter must be a whole number of milliseconds, at least 1`;
  if (!whole(s.fall, 1) || !whole(s.rise, 1)) return `${name}: fall and rise must be whole numbers, at least 1`;
  return null;
}

/** Where each section inherits its defaults from: `from <name>`, else the last defaults section above it. */
function defaultsOf(sections: CfgSection[], s: CfgSection): CfgSection | null {
  const before = sections.filter((d) => d.kind === 'defaults' && d.start < s.start);
  if (s.from) return before.filter((d) => d.name === s.from).pop() ?? null;
  return before.pop() ?? null;
}

const isServerLine = (tokens: CfgToken[]): boolean => tokens[0]?.value === 'server' && tokens.length >= 3;

/**
 * Sets check/inter/fall/rise/backup on the planned servers of `backend` (a `backend` or `listen`
 * section of that name). default-server lines are left alone: the values written on each server
 * line override them. Errors are returned, never thrown.
 */
export function rewriteBackendServers(text: string, backend: string, plan: ServerPlan, o: { where?: string } = {}): Rewritten | CdError {
  const at = o.where ? `${o.where}: ` : '';
  for (const [name, s] of Object.entries(plan)) {
    const bad = planProblem(name, s);
    if (bad) return new CdError('INVALID_ARGUMENT', `${at}${bad}`, { backend });
  }
  const lines = splitLines(text);
  const sections = parseSections(text);
  const targets = sections.filter((s) => (s.kind === 'backend' || s.kind === 'listen') && s.name === backend);
  if (targets.length === 0) {
    const known = sections.filter((s) => s.kind === 'backend' || s.kind === 'listen').map((s) => `${s.keyword} ${s.name ?? '?'}`);
    return new CdError('NOT_FOUND', `${at}no backend or listen section "${backend}"${known.length ? ` (found: ${known.join(', ')})` : ''}`, { backend });
  }

  const seen = new Set<string>();
  const changes: string[] = [];
  const notes: string[] = [];
  for (const sec of targets) {
    const defaults = defaultsOf(sections, sec);
    const inherited: Param[] = [];
    if (defaults) {
      for (let i = defaults.start + 1; i < defaults.end; i++) {
        const { tokens } = tokenize(lines[i]!.text);
        if (tokens[0]?.value === 'default-server') inherited.push(...serverParams(tokens, 1));
      }
    }
    for (let i = sec.start + 1; i < sec.end; i++) {
      const l = lines[i]!;
      const { tokens } = tokenize(l.text);
      if (tokens[0]?.value === 'default-server') {
        // Applies to the server lines after it; ours override it keyword by keyword.
        inherited.push(...serverParams(tokens, 1));
        notes.push(`line ${i + 1}: default-server left as it is; the values on each server line override it`);
        continue;
      }
      if (!isServerLine(tokens)) continue;
      const name = tokens[1]!.value;
      const want = plan[name];
      if (!want) continue;
      seen.add(name);
      const r = rewriteServerLine(l.text, want, backupFrom(inherited) ?? false);
      if (r.line !== l.text) {
        lines[i] = { text: r.line, eol: l.eol };
        changes.push(`${name}: ${r.changes.join(', ')} (line ${i + 1})`);
      }
    }
  }
  const missing = Object.keys(plan).filter((n) => !seen.has(n));
  if (missing.length) {
    const present = targets.flatMap((sec) =>
      lines.slice(sec.start + 1, sec.end).map((l) => tokenize(l.text).tokens).filter(isServerLine).map((t) => t[1]!.value),
    );
    return new CdError(
      'SERVER_NOT_FOUND',
      `${at}backend "${backend}" has no server ${missing.map((m) => `"${m}"`).join(', ')} (its servers: ${present.join(', ') || 'none'})`,
      { backend, missing },
    );
  }
  const out = joinLines(lines);
  return { text: out, changed: out !== text, changes, notes };
}

export interface GlobalState {
  /** Absolute path of the server-state file, resolved against server-state-base. */
  serverStateFile?: string;
  serverStateBase?: string;
  /** Why serverStateFile could not be resolved (relative path, no base). */
  note?: string;
}

/** `server-state-file` and `server-state-base` of the global section (the only place they may be set). */
export function readGlobal(text: string): GlobalState {
  const lines = splitLines(text);
  let file: string | undefined;
  let base: string | undefined;
  for (const sec of parseSections(text).filter((s) => s.kind === 'global')) {
    for (let i = sec.start + 1; i < sec.end; i++) {
      const { tokens } = tokenize(lines[i]!.text);
      if (tokens[0]?.value === 'server-state-file' && tokens[1]) file = tokens[1].value;
      if (tokens[0]?.value === 'server-state-base' && tokens[1]) base = tokens[1].value;
    }
  }
  const out: GlobalState = {};
  if (base !== undefined) out.serverStateBase = base;
  if (file === undefined) return out;
  // As HAProxy does: an absolute name is used as is, a relative one is prefixed with the base.
  if (file.startsWith('/')) out.serverStateFile = file;
  else if (base !== undefined) out.serverStateFile = `${base.replace(/\/+$/, '')}/${file}`;
  else out.note = `server-state-file "${file}" is relative and no server-state-base is set: it depends on HAProxy's working directory`;
  return out;
}

/** The effective `load-server-state-from-file` of a backend: its own, else its defaults section's; 'none' when unset. */
export function loadsServerState(text: string, backend: string): 'global' | 'local' | 'none' {
  const lines = splitLines(text);
  const sections = parseSections(text);
  const valueIn = (sec: CfgSection | null | undefined): string | null => {
    if (!sec) return null;
    let v: string | null = null;
    for (let i = sec.start + 1; i < sec.end; i++) {
      const { tokens } = tokenize(lines[i]!.text);
      if (tokens[0]?.value === 'load-server-state-from-file' && tokens[1]) v = tokens[1].value;
    }
    return v;
  };
  const sec = sections.find((s) => (s.kind === 'backend' || s.kind === 'listen') && s.name === backend);
  const v = valueIn(sec) ?? (sec ? valueIn(defaultsOf(sections, sec)) : null);
  return v === 'global' || v === 'local' ? v : 'none';
}
