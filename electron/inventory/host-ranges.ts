// Host patterns as Ansible's inventory plugins read them (plugins/inventory/__init__.py
// expand_hostname_range and parsing/utils/addresses.py parse_address):
//   web1:2222            host with a port shorthand
//   [fe80::1]:2222       bracketed address with a port
//   node[1:3]            node1 node2 node3
//   node[01:10]          zero-padded: node01 ... node10
//   node[a:c]            nodea nodeb nodec (letters a-z then A-Z, as string.ascii_letters)
//   node[1:10:2]         stride: node1 node3 ... node9
//   r[1:2]n[a:b]         several ranges: r1na r1nb r2na r2nb
// Unlike Ansible, an empty range (start after end) is an error rather than zero hosts.

export type HostPatternResult =
  | { ok: true; hosts: string[]; port?: number }
  | { ok: false; message: string };

export type RangeResult = { ok: true; hosts: string[] } | { ok: false; message: string };

/** Upper bound on hosts one pattern may expand to, so a typo cannot exhaust memory. */
export const MAX_HOSTS_PER_PATTERN = 10_000;

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const BRACKETED_HOSTPORT = /^\[(.+)\]:([0-9]+)$/;
const HOSTPORT = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/;

/** Splits a `host:port` or `[addr]:port` shorthand; the pattern keeps any ranges. */
export function splitHostPort(raw: string): { pattern: string; port?: number } {
  let pattern = raw;
  let port: number | undefined;
  const b = BRACKETED_HOSTPORT.exec(pattern);
  if (b?.[1] !== undefined && b[2] !== undefined) {
    pattern = b[1];
    port = Number(b[2]);
  }
  const h = HOSTPORT.exec(pattern);
  if (h?.[1] !== undefined && h[2] !== undefined) {
    pattern = h[1];
    port = Number(h[2]);
  }
  return port === undefined ? { pattern } : { pattern, port };
}

/** A host entry of an inventory (INI host line's first token, or a YAML `hosts:` key). */
export function parseHostPattern(raw: string): HostPatternResult {
  const text = raw.trim();
  if (text === '') return { ok: false, message: 'empty host name' };
  const { pattern, port } = splitHostPort(text);
  if (port === undefined && text.endsWith(':')) {
    return { ok: false, message: `host "${text}" ends in ":", which is reserved for a port (host:port)` };
  }
  if (pattern === '') return { ok: false, message: `host "${text}" has a port but no name` };
  if (pattern === '---') return { ok: false, message: `host "---" is a sign this file is YAML, not INI` };
  const expanded = expandHostRanges(pattern);
  if (!expanded.ok) return expanded;
  return port === undefined ? { ok: true, hosts: expanded.hosts } : { ok: true, hosts: expanded.hosts, port };
}

/** Expands every `[begin:end(:step)]` range in a host name, left to right. */
export function expandHostRanges(pattern: string): RangeResult {
  const out: string[] = [];
  const err = expandInto(pattern, pattern, out);
  return err === null ? { ok: true, hosts: out } : { ok: false, message: err };
}

function expandInto(whole: string, name: string, out: string[]): string | null {
  const open = name.indexOf('[');
  const firstClose = name.indexOf(']');
  if (open < 0) {
    if (firstClose >= 0) return `host "${whole}" has a "]" without a matching "["`;
    out.push(name);
    return null;
  }
  if (firstClose >= 0 && firstClose < open) return `host "${whole}" has a "]" without a matching "["`;
  const close = name.indexOf(']', open);
  if (close < 0) return `host "${whole}" has an unterminated range (missing "]")`;
  const head = name.slice(0, open);
  const inner = name.slice(open + 1, close);
  const tail = name.slice(close + 1);
  const seq = rangeValues(inner, whole);
  if (typeof seq === 'string') return seq;
  for (const v of seq) {
    const err = expandInto(whole, head + v + tail, out);
    if (err !== null) return err;
    if (out.length > MAX_HOSTS_PER_PATTERN) {
      return `host range "${whole}" expands to more than ${MAX_HOSTS_PER_PATTERN} hosts`;
    }
  }
  return null;
}

/** The values of one range body (`1:3`, `01:10:2`, `a:f`), or an error message. */
function rangeValues(inner: string, whole: string): string[] | string {
  const where = `host range [${inner}] in "${whole}"`;
  const bounds = inner.split(':');
  if (bounds.length !== 2 && bounds.length !== 3) return `${where} must be begin:end or begin:end:step`;
  const beg = bounds[0] === '' ? '0' : (bounds[0] ?? '0');
  const end = bounds[1] ?? '';
  if (end === '') return `${where} must specify an end value`;
  let step = 1;
  if (bounds.length === 3) {
    const s = bounds[2] ?? '';
    if (!/^[0-9]+$/.test(s) || Number(s) < 1) return `${where} has an invalid stride "${s}": it must be a positive integer`;
    step = Number(s);
  }
  const begLetter = /^[A-Za-z]$/.test(beg);
  const endLetter = /^[A-Za-z]$/.test(end);
  if (begLetter || endLetter) {
    if (!(begLetter && endLetter)) return `${where} mixes a letter and a number`;
    const b = LETTERS.indexOf(beg);
    const e = LETTERS.indexOf(end);
    if (b > e) return `${where} starts after it ends ("${beg}" > "${end}")`;
    const values: string[] = [];
    for (let i = b; i <= e; i += step) values.push(LETTERS[i] ?? '');
    return values;
  }
  if (!/^[0-9]+$/.test(beg) || !/^[0-9]+$/.test(end)) {
    return `${where} must have numeric bounds or single-letter bounds`;
  }
  let width = 0;
  if (beg.length > 1 && beg.startsWith('0')) {
    if (beg.length !== end.length) return `${where} must have zero-padded bounds of equal length ("${beg}" and "${end}")`;
    width = beg.length;
  }
  const b = Number(beg);
  const e = Number(end);
  if (b > e) return `${where} starts after it ends (${beg} > ${end})`;
  if ((e - b) / step >= MAX_HOSTS_PER_PATTERN) return `host range "${whole}" expands to more than ${MAX_HOSTS_PER_PATTERN} hosts`;
  const values: string[] = [];
  for (let i = b; i <= e; i += step) values.push(String(i).padStart(width, '0'));
  return values;
}
