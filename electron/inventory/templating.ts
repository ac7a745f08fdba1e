// Just enough Jinja for inventories: `{{ name }}` placeholders that name another variable of the
// same host (or inventory_hostname & co.) are substituted, recursively and loop-safe. A value
// that is exactly one placeholder keeps the referenced value's type (so a port stays a number);
// otherwise the pieces are joined as text. Anything else ({% %}, filters, lookups, expressions)
// is reported as unsupported, but only for variables the importer actually needs.
import type { VarDef, VarMap } from './problems';

export interface TemplateContext {
  vars: VarMap;
  /** Magic variables (inventory_hostname, ...); they win over inventory vars, as in Ansible. */
  magic: Record<string, unknown>;
}

export type Resolution =
  | { ok: true; value: unknown; def?: VarDef }
  | { ok: false; file: string; line: number; message: string };

type Part = string | { ref: string };

const PLACEHOLDER = /\{\{([\s\S]*?)\}\}/g;
const SIMPLE = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/;

export function hasTemplate(s: string): boolean {
  return s.includes('{{') || s.includes('{%') || s.includes('{#');
}

/** Splits a string into text and `{{ name }}` references; undefined when it uses anything more. */
export function parsePlaceholders(s: string): Part[] | undefined {
  const parts: Part[] = [];
  let last = 0;
  for (const m of s.matchAll(PLACEHOLDER)) {
    const name = SIMPLE.exec(m[1] ?? '')?.[1];
    if (name === undefined) return undefined;
    const idx = m.index ?? 0;
    if (idx > last) parts.push(s.slice(last, idx));
    parts.push({ ref: name });
    last = idx + m[0].length;
  }
  if (last < s.length) parts.push(s.slice(last));
  if (parts.some((p) => typeof p === 'string' && hasTemplate(p))) return undefined;
  return parts;
}

/** Renders a value the way Jinja prints Python values inside text. */
function asText(v: unknown): string {
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return JSON.stringify(v);
}

/** The value of a variable for a host with simple references substituted; undefined when not defined. */
export function resolveVar(ctx: TemplateContext, name: string): Resolution | undefined {
  if (Object.hasOwn(ctx.magic, name)) return { ok: true, value: ctx.magic[name] };
  const def = ctx.vars.get(name);
  if (!def) return undefined;
  return resolveDef(ctx, name, def, [name]);
}

function resolveDef(ctx: TemplateContext, name: string, def: VarDef, chain: string[]): Resolution {
  const via = chain.length > 1 ? ` (reached from ${chain.slice(0, -1).join(' → ')})` : '';
  if (def.vault) {
    return { ok: false, file: def.file, line: def.line, message: `${name} is vault-encrypted (!vault)${via}; ClusterDeck cannot decrypt it` };
  }
  const value = def.value;
  if (def.unsafe || typeof value !== 'string' || !hasTemplate(value)) return { ok: true, value, def };
  const parts = parsePlaceholders(value);
  if (!parts) {
    return {
      ok: false,
      file: def.file,
      line: def.line,
      message: `${name}${via} uses templating ClusterDeck cannot evaluate: ${JSON.stringify(value)}; only {{ variable }} references are supported, so write the value out`,
    };
  }
  const values: unknown[] = [];
  for (const p of parts) {
    if (typeof p === 'string') {
      values.push(p);
      continue;
    }
    if (Object.hasOwn(ctx.magic, p.ref)) {
      values.push(ctx.magic[p.ref]);
      continue;
    }
    if (chain.includes(p.ref)) {
      return { ok: false, file: def.file, line: def.line, message: `${name} refers to itself through ${[...chain, p.ref].join(' → ')}` };
    }
    const refDef = ctx.vars.get(p.ref);
    if (!refDef) {
      return { ok: false, file: def.file, line: def.line, message: `${name}${via} refers to "${p.ref}", which is not defined for this host` };
    }
    const r = resolveDef(ctx, p.ref, refDef, [...chain, p.ref]);
    if (!r.ok) return r;
    values.push(r.value);
  }
  if (parts.length === 1 && typeof parts[0] !== 'string') return { ok: true, value: values[0], def };
  return { ok: true, value: values.map(asText).join(''), def };
}
