// The importer's entry point: reads the inventory (and, for a file on disk, the group_vars/ and
// host_vars/ beside it), and returns what an import would create with every problem found.
// File access happens only here, through `env`, so everything below is pure and testable.
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clusterNameSchema } from '../../shared/domain/names';
import { inventoryOptionsSchema } from '../../shared/domain/inventory';
import type { InventoryOptions, InventoryOptionsInput, InventoryPreview, InventoryProblem } from '../../shared/domain/inventory';
import { detectFormat } from './detect-format';
import type { InventoryFormat } from './detect-format';
import { parseIniInventory } from './ini-inventory';
import type { Inventory } from './inventory-model';
import { Problems } from './problems';
import { buildCluster } from './to-cluster';
import { loadVarsDirs } from './vars-dirs';
import type { FsLike, VarsFiles } from './vars-dirs';
import { parseYamlInventory } from './yaml-inventory';

export type InventorySource = { path: string } | { content: string; name: string };

export interface InventoryEnv {
  readFile?(p: string): Promise<string>;
  readdir?(p: string): Promise<string[]>;
  stat?(p: string): Promise<{ isDirectory(): boolean; isFile(): boolean }>;
  homeDir?: string;
  /** Used as ansible_user when a host sets none (as ssh, and so Ansible, would). */
  localUser?: string;
  now?: () => Date;
}

const DEFAULTS = { lbGroup: 'lbservers', backendVar: 'lb_backend', serverVar: 'lb_server' } as const;

function defaultLocalUser(): string | undefined {
  try {
    const name = os.userInfo().username;
    if (name) return name;
  } catch {
    // no passwd entry (some containers): fall back to the environment
  }
  return process.env.USER ?? process.env.LOGNAME ?? process.env.USERNAME ?? undefined;
}

function fsOf(env: InventoryEnv): FsLike {
  return {
    readFile: env.readFile ?? ((p) => fsp.readFile(p, 'utf8')),
    readdir: env.readdir ?? ((p) => fsp.readdir(p)),
    stat: env.stat ?? ((p) => fsp.stat(p)),
  };
}

/** Options, with every invalid field reported (line 0) and replaced by its default so the rest can still be checked. */
function readOptions(input: unknown, file: string, problems: Problems): InventoryOptions {
  const parsed = inventoryOptionsSchema.safeParse(input);
  const raw = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  let options: InventoryOptions;
  if (parsed.success) options = parsed.data;
  else {
    for (const issue of parsed.error.issues) {
      problems.error(file, 0, `option ${issue.path.join('.') || '(options)'}: ${issue.message}`);
    }
    const str = (k: string): string | undefined => (typeof raw[k] === 'string' && raw[k] !== '' ? (raw[k] as string) : undefined);
    options = {
      cluster: str('cluster') ?? 'unnamed',
      lbGroup: str('lbGroup') ?? DEFAULTS.lbGroup,
      backendVar: str('backendVar') ?? DEFAULTS.backendVar,
      serverVar: str('serverVar') ?? DEFAULTS.serverVar,
    };
    const ng = str('nodesGroup');
    if (ng !== undefined) options.nodesGroup = ng;
  }
  if (typeof raw.cluster === 'string' && raw.cluster !== '') {
    const name = clusterNameSchema.safeParse(options.cluster);
    if (!name.success) problems.error(file, 0, `cluster name ${JSON.stringify(options.cluster)}: ${name.error.issues[0]?.message ?? 'invalid'}`);
  }
  return options;
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Inventory file first, then the files read in the order they were read, each by line. */
function sortProblems(list: InventoryProblem[], file: string, filesRead: string[]): InventoryProblem[] {
  const rank = (f: string): number => (f === file ? 0 : filesRead.includes(f) ? 1 + filesRead.indexOf(f) : 1 + filesRead.length);
  return list
    .map((p, i) => ({ p, i }))
    .sort((a, b) => rank(a.p.file) - rank(b.p.file) || a.p.line - b.p.line || a.i - b.i)
    .map(({ p }) => p);
}

export async function previewInventory(
  source: InventorySource,
  options: InventoryOptionsInput,
  env: InventoryEnv = {},
): Promise<InventoryPreview> {
  const problems = new Problems();
  const filesRead: string[] = [];
  const fromPath = 'path' in source && typeof source.path === 'string';
  const file = fromPath ? path.resolve(source.path) : (source as { name?: unknown }).name ? String((source as { name: unknown }).name) : 'inventory';
  let format: InventoryFormat = path.extname(file).toLowerCase().match(/^\.(ya?ml|json)$/) ? 'yaml' : 'ini';
  const done = (cluster?: InventoryPreview['cluster']): InventoryPreview => {
    const preview: InventoryPreview = { file, format, problems: sortProblems(problems.list, file, filesRead), filesRead };
    if (cluster !== undefined && !problems.hasErrors) preview.cluster = cluster;
    return preview;
  };

  try {
    const opts = readOptions(options, file, problems);
    const fs = fsOf(env);
    let text: string;
    if (fromPath) {
      try {
        text = await fs.readFile(file);
      } catch (e) {
        problems.error(file, 0, `cannot read the inventory: ${errText(e)}`);
        return done();
      }
    } else {
      const content = (source as { content?: unknown }).content;
      if (typeof content !== 'string') {
        problems.error(file, 0, 'no inventory content was given');
        return done();
      }
      text = content;
    }
    text = text.replace(/^\uFEFF/, '');
    format = detectFormat(file, text);

    const inv: Inventory | undefined =
      format === 'yaml' ? parseYamlInventory(text, file, problems) : parseIniInventory(text, file, problems);
    if (!inv) return done();

    const inventoryDir = fromPath ? path.dirname(file) : undefined;
    let files: VarsFiles | undefined;
    if (inventoryDir !== undefined) files = await loadVarsDirs(fs, inventoryDir, inv, problems, filesRead);

    const localUser = env.localUser ?? defaultLocalUser();
    const cluster = buildCluster(
      {
        inv,
        ...(files ? { files } : {}),
        options: opts,
        file,
        ...(inventoryDir !== undefined ? { inventoryDir } : {}),
        homeDir: env.homeDir ?? os.homedir(),
        ...(localUser !== undefined ? { localUser } : {}),
        now: (env.now ?? (() => new Date()))(),
      },
      problems,
    );
    return done(cluster);
  } catch (e) {
    problems.error(file, 0, `internal error while reading the inventory: ${errText(e)}`);
    return done();
  }
}
