// Ansible's `yaml` inventory plugin: top-level keys are groups (children of `all`), each with
// optional `hosts` (host pattern -> vars or empty), `vars` and `children` (group -> definition or
// empty). A group can be mentioned in several places; its definitions merge. Where Ansible only
// warns (unknown keys, non-mapping groups), this importer reports an error with the line.
import { isMap, isScalar } from 'yaml';
import type { Node, YAMLMap } from 'yaml';
import { parseHostPattern } from './host-ranges';
import { InventoryBuilder } from './inventory-model';
import type { Inventory } from './inventory-model';
import type { Problems } from './problems';
import { isNullNode, kindOf, loadYaml, mapEntries, varDef } from './yaml-util';
import type { Entry, YamlFile } from './yaml-util';

const MAX_NESTING = 64;

/** Parses a YAML inventory; undefined when the YAML itself is broken (its errors are in `problems`). */
export function parseYamlInventory(text: string, file: string, problems: Problems): Inventory | undefined {
  const { y, ok } = loadYaml(text, file, problems);
  if (!ok) return undefined;
  const root = y.doc.contents as Node | null;
  if (isNullNode(root)) {
    problems.error(file, 0, 'the inventory is empty');
    return undefined;
  }
  if (!isMap(root)) {
    problems.error(file, lineOfNode(y, root), `a YAML inventory must be a mapping of groups, not ${kindOf(root)}`);
    return undefined;
  }
  const b = new InventoryBuilder(file, problems);
  const top = mapEntries(y, root);
  const plugin = top.find((e) => e.key === 'plugin' && isScalar(e.value) && e.value.value);
  if (plugin) {
    problems.error(file, plugin.line, 'this is an inventory plugin configuration ("plugin:"), not a static inventory; only static YAML and INI inventories can be imported');
    return undefined;
  }
  for (const e of top) parseGroup(y, b, e, undefined, 0);
  return b.finish();
}

function lineOfNode(y: YamlFile, node: Node | null): number {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? y.lc.linePos(range[0]).line : 0;
}

function parseGroup(y: YamlFile, b: InventoryBuilder, e: Entry, parent: string | undefined, depth: number): void {
  const name = e.key;
  if (name.trim() === '' || /\s/.test(name)) {
    y.problems.error(y.file, e.line, `invalid group name ${JSON.stringify(name)}`);
    return;
  }
  if (depth > MAX_NESTING) {
    y.problems.error(y.file, e.line, `groups are nested more than ${MAX_NESTING} levels deep`);
    return;
  }
  const node = e.value;
  if (!isNullNode(node) && !isMap(node)) {
    y.problems.error(y.file, e.line, `group "${name}" must be a mapping with hosts, vars or children (or empty), not ${kindOf(node)}`);
    return;
  }
  b.group(name, e.line);
  if (parent !== undefined) b.addChild(parent, name, e.line);
  if (!isMap(node)) return;
  for (const section of mapEntries(y, node)) {
    switch (section.key) {
      case 'hosts':
        parseHosts(y, b, name, section);
        break;
      case 'vars':
        parseVars(y, b, name, section);
        break;
      case 'children':
        parseChildren(y, b, name, section, depth);
        break;
      default:
        y.problems.error(
          y.file,
          section.line,
          `unknown key "${section.key}" in group "${name}": only hosts, vars and children are allowed (is it a host or var at the wrong indentation?)`,
        );
    }
  }
}

/** `hosts:` / `children:` may also be a single name (Ansible turns a string into {name: null}). */
function sectionEntries(y: YamlFile, group: string, section: Entry): Entry[] | undefined {
  const node = section.value;
  if (isNullNode(node)) return [];
  if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) {
    return [{ key: String(node.value), keyNode: node, value: null, line: section.line }];
  }
  if (!isMap(node)) {
    y.problems.error(y.file, section.line, `"${section.key}" of group "${group}" must be a mapping, not ${kindOf(node)}`);
    return undefined;
  }
  return mapEntries(y, node as YAMLMap);
}

function parseHosts(y: YamlFile, b: InventoryBuilder, group: string, section: Entry): void {
  for (const h of sectionEntries(y, group, section) ?? []) {
    const parsed = parseHostPattern(h.key);
    if (!parsed.ok) {
      y.problems.error(y.file, h.line, parsed.message);
      continue;
    }
    const vars = h.value;
    if (!isNullNode(vars) && !isMap(vars)) {
      y.problems.error(y.file, h.line, `host "${h.key}" must map to its variables (a mapping) or be empty, not ${kindOf(vars)}`);
      continue;
    }
    const entries = isMap(vars) ? mapEntries(y, vars) : [];
    for (const host of parsed.hosts) {
      b.host(host, h.line, group, parsed.port);
      for (const v of entries) b.setHostVar(host, v.key, varDef(y, v));
    }
  }
}

function parseVars(y: YamlFile, b: InventoryBuilder, group: string, section: Entry): void {
  const node = section.value;
  if (isNullNode(node)) return;
  if (!isMap(node)) {
    y.problems.error(y.file, section.line, `"vars" of group "${group}" must be a mapping, not ${kindOf(node)}`);
    return;
  }
  for (const v of mapEntries(y, node)) b.setGroupVar(group, v.key, varDef(y, v));
}

function parseChildren(y: YamlFile, b: InventoryBuilder, group: string, section: Entry, depth: number): void {
  for (const c of sectionEntries(y, group, section) ?? []) parseGroup(y, b, c, group, depth + 1);
}
