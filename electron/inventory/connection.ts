// Reading the variables the importer needs from a host: SSH connection vars (with Ansible's old
// `ansible_ssh_*` aliases, which win when both are set, as in the ssh connection plugin and
// PlayContext's MAGIC_VARIABLE_MAPPING) and any other required var, templated and with problems
// pointing at the winning definition.
import path from 'node:path';
import type { SshEndpoint } from '../../shared/domain/cluster';
import type { Loc, Problems, VarDef } from './problems';
import { show } from './problems';
import { resolveVar } from './templating';
import type { TemplateContext } from './templating';

export interface HostContext {
  /** Inventory host name. */
  host: string;
  /** Where the host is first listed in the inventory file. */
  loc: Loc;
  tctx: TemplateContext;
  /** Directory of the inventory file; absent for inventories given as text. */
  inventoryDir?: string;
  homeDir: string;
  localUser?: string;
}

export type Lookup =
  | { kind: 'missing' }
  | { kind: 'error' }
  | { kind: 'ok'; name: string; value: unknown; loc: Loc };

/**
 * Looks up a var the importer needs, trying `names` in Ansible's order (first defined wins);
 * templating problems are reported here, and a warning when two aliases disagree.
 */
export function lookupVar(ctx: HostContext, names: string[], problems: Problems): Lookup {
  const found: { name: string; value: unknown; loc: Loc }[] = [];
  for (const name of names) {
    const r = resolveVar(ctx.tctx, name);
    if (r === undefined) continue;
    if (!r.ok) {
      problems.error(r.file, r.line, `host "${ctx.host}": ${r.message}`);
      return { kind: 'error' };
    }
    found.push({ name, value: r.value, loc: locOf(r.def, ctx.loc) });
  }
  const [winner, ...others] = found;
  if (!winner) return { kind: 'missing' };
  for (const o of others) {
    if (o.value !== winner.value) {
      problems.warn(
        winner.loc.file,
        winner.loc.line,
        `host "${ctx.host}": ${winner.name} (${show(winner.value)}) is used rather than ${o.name} (${show(o.value)}), as Ansible does`,
      );
    }
  }
  return { kind: 'ok', ...winner };
}

function locOf(def: VarDef | undefined, fallback: Loc): Loc {
  return def ? { file: def.file, line: def.line } : fallback;
}

/** A var that must be a non-empty string (numbers are accepted as their text). */
export function stringVar(ctx: HostContext, names: string[], problems: Problems): { value: string; loc: Loc; name: string } | 'missing' | 'error' {
  const r = lookupVar(ctx, names, problems);
  if (r.kind !== 'ok') return r.kind;
  const v = r.value;
  const text = typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
  if (text === undefined || text.trim() === '') {
    problems.error(r.loc.file, r.loc.line, `host "${ctx.host}": ${r.name} must be a non-empty string, got ${show(v)}`);
    return 'error';
  }
  return { value: text, loc: r.loc, name: r.name };
}

/** The SSH endpoint of a host, or undefined after reporting why not. */
export function sshEndpoint(ctx: HostContext, problems: Problems): SshEndpoint | undefined {
  let ok = true;
  let host = ctx.host;
  const h = stringVar(ctx, ['ansible_ssh_host', 'ansible_host'], problems);
  if (h === 'error') ok = false;
  else if (h !== 'missing') {
    if (/\s/.test(h.value) || h.value.length > 253) {
      problems.error(h.loc.file, h.loc.line, `host "${ctx.host}": ${h.name} ${show(h.value)} is not a valid host name or address`);
      ok = false;
    } else host = h.value;
  }

  let port = 22;
  const p = lookupVar(ctx, ['ansible_ssh_port', 'ansible_port'], problems);
  if (p.kind === 'error') ok = false;
  else if (p.kind === 'ok') {
    const v = p.value;
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*[0-9]+\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > 65535) {
      problems.error(p.loc.file, p.loc.line, `host "${ctx.host}": ${p.name} must be an integer from 1 to 65535, got ${show(v)}`);
      ok = false;
    } else port = n;
  }

  let user = ctx.localUser;
  const u = stringVar(ctx, ['ansible_ssh_user', 'ansible_user'], problems);
  if (u === 'error') ok = false;
  else if (u !== 'missing') {
    if (/\s/.test(u.value) || u.value.length > 64) {
      problems.error(u.loc.file, u.loc.line, `host "${ctx.host}": ${u.name} ${show(u.value)} is not a valid user name`);
      ok = false;
    } else user = u.value;
  } else if (user === undefined || user === '') {
    problems.error(ctx.loc.file, ctx.loc.line, `host "${ctx.host}" has no ansible_user and the local user name is unknown; set ansible_user`);
    ok = false;
  }

  let keyFile: string | undefined;
  const k = stringVar(ctx, ['ansible_ssh_private_key_file', 'ansible_private_key_file'], problems);
  if (k === 'error') ok = false;
  else if (k !== 'missing') {
    const r = expandKeyPath(k.value, ctx);
    if (!r.ok) {
      problems.error(k.loc.file, k.loc.line, `host "${ctx.host}": ${k.name} ${r.message}`);
      ok = false;
    } else {
      keyFile = r.path;
      if (r.warning) problems.warn(k.loc.file, k.loc.line, `host "${ctx.host}": ${k.name} ${r.warning}`);
    }
  }

  if (!ok || user === undefined) return undefined;
  return keyFile === undefined ? { host, port, user } : { host, port, user, keyFile };
}

type PathResult = { ok: true; path: string; warning?: string } | { ok: false; message: string };

/** `~` expansion, and relative paths resolved against the inventory's directory. */
export function expandKeyPath(raw: string, ctx: Pick<HostContext, 'homeDir' | 'localUser' | 'inventoryDir'>): PathResult {
  let p = raw;
  if (p === '~' || p.startsWith('~/')) p = path.join(ctx.homeDir, p.slice(1));
  else if (p.startsWith('~')) {
    const slash = p.indexOf('/');
    const who = p.slice(1, slash < 0 ? undefined : slash);
    if (who !== ctx.localUser) return { ok: false, message: `${JSON.stringify(raw)}: cannot expand "~${who}" here; use an absolute path` };
    p = path.join(ctx.homeDir, slash < 0 ? '' : p.slice(slash));
  }
  if (path.isAbsolute(p)) return { ok: true, path: p };
  if (ctx.inventoryDir === undefined) {
    return { ok: false, message: `${JSON.stringify(raw)} is a relative path and the inventory was given as text, so there is no directory to resolve it against; use an absolute path` };
  }
  const abs = path.resolve(ctx.inventoryDir, p);
  return {
    ok: true,
    path: abs,
    warning: `${JSON.stringify(raw)} is relative; resolved against the inventory's directory as ${abs} (Ansible would resolve it against the directory it runs in)`,
  };
}
