// Reading YAML the way Ansible (PyYAML, YAML 1.1) reads it, while keeping line numbers:
// duplicate keys are a warning and the last one wins, merge keys (<<) work, `!vault` and
// `!unsafe` tags are understood, and only PyYAML's yes/no/on/off/true/false are booleans
// (the `yaml` package's 1.1 schema also treats y/n as booleans; PyYAML does not).
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node, Pair, ScalarTag, Tags, YAMLMap } from 'yaml';
import type { Problems, VarDef } from './problems';

export interface YamlFile {
  file: string;
  doc: Document;
  lc: LineCounter;
  problems: Problems;
}

const PY_TRUE = /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const PY_FALSE = /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;

const ansibleTags: ScalarTag[] = [
  { tag: '!vault', resolve: (s: string) => s },
  { tag: '!unsafe', resolve: (s: string) => s },
];

function customTags(tags: Tags): Tags {
  const out: Tags = tags.map((t) => {
    if (typeof t === 'object' && t.tag === 'tag:yaml.org,2002:bool' && 'test' in t && t.test) {
      const isTrue = t.test.test('true');
      return { ...t, test: isTrue ? PY_TRUE : PY_FALSE } as ScalarTag;
    }
    return t;
  });
  return [...out, ...ansibleTags];
}

export function parseYamlText(text: string): { doc: Document; lc: LineCounter } {
  const lc = new LineCounter();
  const doc = parseDocument(text, {
    version: '1.1',
    uniqueKeys: false,
    prettyErrors: false,
    lineCounter: lc,
    customTags,
  });
  return { doc, lc };
}

/** Parses a YAML file and reports its syntax errors (with lines); `ok` is false when there were any. */
export function loadYaml(text: string, file: string, problems: Problems): { y: YamlFile; ok: boolean } {
  const { doc, lc } = parseYamlText(text);
  const y: YamlFile = { file, doc, lc, problems };
  for (const e of doc.errors) problems.error(file, lc.linePos(e.pos[0]).line, `YAML syntax error: ${e.message}`);
  for (const w of doc.warnings) problems.warn(file, lc.linePos(w.pos[0]).line, `YAML: ${w.message}`);
  return { y, ok: doc.errors.length === 0 };
}

export function lineAt(y: YamlFile, node: unknown): number {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range ? y.lc.linePos(range[0]).line : 0;
}

/** Follows aliases to the node they point at. */
export function deref(y: YamlFile, node: unknown): Node | null {
  let cur: unknown = node;
  for (let i = 0; i < 64 && isAlias(cur); i++) cur = cur.resolve(y.doc) ?? null;
  return (cur ?? null) as Node | null;
}

export function isNullNode(node: Node | null): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

export interface Entry {
  key: string;
  keyNode: unknown;
  /** The value with aliases followed; null for an empty value. */
  value: Node | null;
  /** Line of the key: where this entry is defined. */
  line: number;
}

function keyString(k: unknown): string | null {
  if (!isScalar(k)) return null;
  if (typeof k.value === 'string') return k.value;
  if (k.value === null || k.value === undefined) return null;
  return typeof k.source === 'string' && k.source !== '' ? k.source : String(k.value);
}

function isMergeKey(k: unknown): boolean {
  return isScalar(k) && typeof k.value === 'symbol';
}

/**
 * The entries of a mapping in the way PyYAML builds the dict: merged (<<) entries first unless
 * overridden, and for a duplicate key the last one wins (with a warning at the earlier one).
 */
export function mapEntries(y: YamlFile, map: YAMLMap, depth = 0): Entry[] {
  const explicit = new Map<string, Entry>();
  const merged = new Map<string, Entry>();
  for (const pair of map.items as Pair[]) {
    const line = lineAt(y, pair.key ?? pair.value);
    if (isMergeKey(pair.key)) {
      if (depth > 32) continue;
      const src = deref(y, pair.value);
      const sources = isSeq(src) ? src.items.map((n) => deref(y, n)) : [src];
      for (const s of sources) {
        if (!isMap(s)) {
          y.problems.error(y.file, line, 'a merge key (<<) needs a mapping or a list of mappings');
          continue;
        }
        for (const e of mapEntries(y, s, depth + 1)) if (!merged.has(e.key)) merged.set(e.key, e);
      }
      continue;
    }
    const key = keyString(pair.key);
    if (key === null) {
      y.problems.error(y.file, line, 'mapping keys must be plain names (strings or numbers)');
      continue;
    }
    const prev = explicit.get(key);
    if (prev) {
      y.problems.warn(y.file, prev.line, `duplicate key "${key}": the one on line ${line} wins and this one is ignored`);
      explicit.delete(key);
    }
    explicit.set(key, { key, keyNode: pair.key, value: deref(y, pair.value), line });
  }
  const out: Entry[] = [];
  for (const [k, e] of merged) if (!explicit.has(k)) out.push(e);
  out.push(...explicit.values());
  return out;
}

/** A variable definition from a mapping entry. */
export function varDef(y: YamlFile, e: Entry): VarDef {
  const base = { file: y.file, line: e.line };
  const node = e.value;
  if (node === null) return { ...base, value: null };
  if (isScalar(node) && node.tag === '!vault') return { ...base, value: '<vault-encrypted>', vault: true };
  if (isScalar(node) && node.tag === '!unsafe') return { ...base, value: String(node.value ?? ''), unsafe: true };
  if (isScalar(node)) return { ...base, value: node.value };
  try {
    return { ...base, value: node.toJS(y.doc, { maxAliasCount: 1000 }) as unknown };
  } catch (err) {
    y.problems.error(y.file, e.line, `cannot read the value of "${e.key}": ${(err as Error).message}`);
    return { ...base, value: null };
  }
}

/** A short name for a node's kind, for messages. */
export function kindOf(node: Node | null): string {
  if (isNullNode(node)) return 'empty';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return typeof node.value === 'string' ? `the string ${JSON.stringify(node.value)}` : `the value ${String(node.value)}`;
  return 'an unexpected value';
}
