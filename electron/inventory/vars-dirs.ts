// group_vars/ and host_vars/ beside the inventory file, as Ansible's host_group_vars plugin and
// DataLoader.find_vars_files read them: for an entity NAME the first of `NAME` (file or
// directory), `NAME.yml`, `NAME.yaml`, `NAME.json` that exists is used; a directory contributes
// its files in lexical order (recursing into sub-directories, skipping hidden files, `~`
// backups and other extensions), later files overriding earlier ones.
import path from 'node:path';
import { isMap } from 'yaml';
import type { Node } from 'yaml';
import type { Inventory } from './inventory-model';
import { sortGroups } from './inventory-model';
import type { Problems, VarMap } from './problems';
import { isNullNode, kindOf, lineAt, loadYaml, mapEntries, varDef } from './yaml-util';

export interface FsLike {
  readFile(p: string): Promise<string>;
  readdir(p: string): Promise<string[]>;
  stat(p: string): Promise<{ isDirectory(): boolean; isFile(): boolean }>;
}

export interface VarsFiles {
  /** Per group: its group_vars merged in file order. */
  groups: Map<string, VarMap>;
  /** Per host: its host_vars merged in file order. */
  hosts: Map<string, VarMap>;
}

const EXTENSIONS = ['', '.yml', '.yaml', '.json'];

function errCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Loads the group_vars/ and host_vars/ that apply to the inventory's groups and hosts. */
export async function loadVarsDirs(
  fs: FsLike,
  inventoryDir: string,
  inv: Inventory,
  problems: Problems,
  filesRead: string[],
): Promise<VarsFiles> {
  const out: VarsFiles = { groups: new Map(), hosts: new Map() };
  const groupNames = sortGroups(inv, inv.groups.keys());
  await loadKind(fs, path.join(inventoryDir, 'group_vars'), groupNames, out.groups, problems, filesRead, 'group');
  await loadKind(fs, path.join(inventoryDir, 'host_vars'), [...inv.hosts.keys()], out.hosts, problems, filesRead, 'host');
  return out;
}

async function loadKind(
  fs: FsLike,
  dir: string,
  names: string[],
  into: Map<string, VarMap>,
  problems: Problems,
  filesRead: string[],
  kind: 'group' | 'host',
): Promise<void> {
  let entries: Set<string>;
  try {
    entries = new Set(await fs.readdir(dir));
  } catch (e) {
    const code = errCode(e);
    if (code !== 'ENOENT' && code !== 'ENOTDIR') problems.error(dir, 0, `cannot list ${dir}: ${errText(e)}`);
    return;
  }
  for (const name of names) {
    if (name.includes('/') || name.includes('\\') || name.startsWith('.')) continue;
    const candidates = EXTENSIONS.map((ext) => name + ext).filter((n) => entries.has(n));
    const [chosen, ...ignored] = candidates;
    if (chosen === undefined) continue;
    for (const other of ignored) {
      problems.warn(path.join(dir, other), 0, `ignored: Ansible reads only the first of ${candidates.join(', ')} for ${kind} "${name}", here ${chosen}`);
    }
    const files = await varsFilesAt(fs, path.join(dir, chosen), problems);
    const merged: VarMap = new Map();
    for (const f of files) {
      let text: string;
      try {
        text = await fs.readFile(f);
      } catch (e) {
        problems.error(f, 0, `cannot read: ${errText(e)}`);
        continue;
      }
      filesRead.push(f);
      for (const [k, v] of parseVarsFile(text, f, problems)) {
        if (kind === 'group' && k === 'ansible_group_priority') {
          problems.warn(f, v.line, 'ansible_group_priority is ignored in group_vars; Ansible honours it only in the inventory file');
        }
        merged.set(k, v);
      }
    }
    into.set(name, merged);
  }
}

/** The files behind one group_vars/host_vars entry: the file itself, or a directory's files in lexical order. */
async function varsFilesAt(fs: FsLike, p: string, problems: Problems, depth = 0): Promise<string[]> {
  let st: { isDirectory(): boolean; isFile(): boolean };
  try {
    st = await fs.stat(p);
  } catch (e) {
    problems.error(p, 0, `cannot read: ${errText(e)}`);
    return [];
  }
  if (st.isFile()) return [p];
  if (!st.isDirectory() || depth > 16) return [];
  let names: string[];
  try {
    names = (await fs.readdir(p)).slice().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  } catch (e) {
    problems.error(p, 0, `cannot list: ${errText(e)}`);
    return [];
  }
  const out: string[] = [];
  for (const n of names) {
    if (n.startsWith('.') || n.endsWith('~')) continue;
    const ext = path.extname(n);
    const full = path.join(p, n);
    if (ext !== '' && !EXTENSIONS.includes(ext)) continue;
    let sub: { isDirectory(): boolean; isFile(): boolean };
    try {
      sub = await fs.stat(full);
    } catch {
      continue;
    }
    if (sub.isDirectory() && ext === '') out.push(...(await varsFilesAt(fs, full, problems, depth + 1)));
    else if (sub.isFile()) out.push(full);
  }
  return out;
}

/** One vars file: a YAML/JSON mapping of variables (empty is fine). */
export function parseVarsFile(text: string, file: string, problems: Problems): VarMap {
  const out: VarMap = new Map();
  const body = text.replace(/^\uFEFF/, '');
  if (body.startsWith('$ANSIBLE_VAULT;')) {
    problems.warn(file, 1, 'vault-encrypted file skipped: ClusterDeck cannot decrypt it, so its variables are not used');
    return out;
  }
  const { y, ok } = loadYaml(body, file, problems);
  if (!ok) return out;
  const root = y.doc.contents as Node | null;
  if (isNullNode(root)) return out;
  if (!isMap(root)) {
    problems.error(file, lineAt(y, root), `a vars file must be a mapping of variables, not ${kindOf(root)}`);
    return out;
  }
  for (const e of mapEntries(y, root)) out.set(e.key, varDef(y, e));
  return out;
}
