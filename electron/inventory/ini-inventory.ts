// Ansible's `ini` inventory plugin (plugins/inventory/ini.py), line by line:
//   host lines    `host key=value key2="quoted value"` in `[group]` (before any section: ungrouped)
//   `[group:vars]`     `key=value` lines (no inline comments: the rest of the line is the value)
//   `[group:children]` one group name per line; the child must be declared somewhere in the file
// `#` and `;` start comment lines. Unlike Ansible, which stops at the first error, every bad line
// is reported, and the lines after a broken section header are skipped until the next header.
import { parseHostPattern } from './host-ranges';
import { InventoryBuilder } from './inventory-model';
import type { Inventory } from './inventory-model';
import { parseIniValue, shlexSplit } from './ini-values';
import type { Problems } from './problems';

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/;

interface Pending {
  line: number;
  state: 'vars' | 'children';
  parents: string[];
}

export function parseIniInventory(text: string, file: string, problems: Problems): Inventory {
  const b = new InventoryBuilder(file, problems);
  const pending = new Map<string, Pending>();
  let group = 'ungrouped';
  let state: 'hosts' | 'vars' | 'children' | 'skip' = 'hosts';
  const lines = text.split(/\r\n|\r|\n/);

  const addPendingChildren = (name: string): void => {
    const p = pending.get(name);
    if (!p) return;
    pending.delete(name);
    for (const parent of p.parents) {
      b.addChild(parent, name, p.line);
      if (pending.get(parent)?.state === 'children') addPendingChildren(parent);
    }
  };

  for (const [idx, raw] of lines.entries()) {
    const lineNo = idx + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;

    const m = SECTION.exec(line);
    if (m) {
      const name = m[1] ?? '';
      const kind = m[2] ?? 'hosts';
      if (kind !== 'hosts' && kind !== 'vars' && kind !== 'children') {
        problems.error(file, lineNo, `section [${name}:${kind}] has an unknown type "${kind}" (expected vars or children)`);
        state = 'skip';
        continue;
      }
      group = name;
      state = kind;
      if (!b.hasGroup(name)) {
        // [g] or [g:children] declares a group; [g:vars] alone does not (checked at the end).
        if (kind === 'vars' && !pending.has(name)) pending.set(name, { line: lineNo, state: 'vars', parents: [] });
        b.group(name, lineNo);
      }
      const p = pending.get(name);
      if (p && kind !== 'vars') {
        if (p.state === 'children') addPendingChildren(name);
        else pending.delete(name);
      }
      continue;
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      problems.error(file, lineNo, `invalid section header "${line}": no spaces are allowed and the form is [group], [group:vars] or [group:children]`);
      state = 'skip';
      continue;
    }

    switch (state) {
      case 'skip':
        break;
      case 'hosts':
        hostLine(b, problems, file, group, line, lineNo);
        break;
      case 'vars': {
        const eq = line.indexOf('=');
        if (eq < 0) {
          problems.error(file, lineNo, `expected key=value in [${group}:vars], got "${line}"`);
          break;
        }
        const key = line.slice(0, eq).trim();
        if (key === '') {
          problems.error(file, lineNo, `missing variable name before "=" in [${group}:vars]`);
          break;
        }
        b.setGroupVar(group, key, { value: parseIniValue(line.slice(eq + 1).trim()), file, line: lineNo });
        break;
      }
      case 'children': {
        const c = GROUP_NAME.exec(line);
        const child = c?.[1];
        if (child === undefined) {
          problems.error(file, lineNo, `expected a group name in [${group}:children], got "${line}"`);
          break;
        }
        if (b.hasGroup(child)) {
          b.addChild(group, child, lineNo);
        } else {
          const p = pending.get(child);
          if (p) p.parents.push(group);
          else pending.set(child, { line: lineNo, state: 'children', parents: [group] });
        }
        break;
      }
    }
  }

  for (const [name, p] of pending) {
    if (p.state === 'vars') {
      problems.error(file, p.line, `section [${name}:vars] is for group "${name}", which is not defined anywhere (add a [${name}] section)`);
    } else {
      problems.error(file, p.line, `section [${p.parents[p.parents.length - 1] ?? '?'}:children] includes "${name}", which is not defined anywhere (add a [${name}] section)`);
    }
  }
  return b.finish();
}

function hostLine(b: InventoryBuilder, problems: Problems, file: string, group: string, line: string, lineNo: number): void {
  let tokens: string[];
  try {
    tokens = shlexSplit(line);
  } catch (e) {
    problems.error(file, lineNo, `cannot parse host line: ${(e as Error).message}`);
    return;
  }
  const [first, ...rest] = tokens;
  if (first === undefined) return;
  const parsed = parseHostPattern(first);
  if (!parsed.ok) {
    problems.error(file, lineNo, parsed.message);
    return;
  }
  const vars: [string, unknown][] = [];
  for (const t of rest) {
    const eq = t.indexOf('=');
    if (eq <= 0) {
      problems.error(file, lineNo, `expected key=value after host "${first}", got "${t}"`);
      return;
    }
    vars.push([t.slice(0, eq), parseIniValue(t.slice(eq + 1))]);
  }
  for (const host of parsed.hosts) {
    b.host(host, lineNo, group, parsed.port);
    for (const [k, v] of vars) b.setHostVar(host, k, { value: v, file, line: lineNo });
  }
}
