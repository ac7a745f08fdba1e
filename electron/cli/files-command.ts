import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { MAX_FILE_BYTES } from '../../shared/contract/files';
import {
  managedFileSettingsSchema,
  remotePathSchema,
  type ManagedFile,
  type ManagedFileSettings,
  type ManagedFileSettingsInput,
  type SyncMatrix,
} from '../../shared/domain/managed-files';
import { CdError } from '../../shared/errors';
import type { Out } from './commands';
import { EXIT } from './exit-codes';
import { warnInterrupted } from './recover-command';
import { withSession, type GlobalOptions } from './session';
import { table } from './table';

type Run = (fn: (g: GlobalOptions) => Promise<number>) => Promise<void>;

interface AddOpts {
  path?: string;
  from?: string;
  hosts?: string;
  validate?: string;
  reload?: string;
  reloadHaproxy?: boolean;
  check?: string;
  port?: number;
  process?: string;
  owner?: string;
  group?: string;
  mode?: string;
  keep?: number;
  json?: boolean;
}

const json = (v: unknown): string => JSON.stringify(v, null, 2);
const short = (sha: string): string => `${sha.slice(0, 12)}…`;
const hostsText = (h: ManagedFile['hosts']): string => (Array.isArray(h) ? h.join(',') : h);
const reloadText = (f: ManagedFile): string => (f.reload.kind === 'command' ? f.reload.command : f.reload.kind);

const intOpt =
  (name: string, min: number, max: number) =>
  (v: string): number => {
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new CdError('INVALID_ARGUMENT', `${name} must be a whole number from ${min} to ${max}, got "${v}"`);
    return Number(v);
  };

/** The local file's text: must exist, be a regular file, at most MAX_FILE_BYTES, and UTF-8. */
export async function readLocalContent(file: string): Promise<string> {
  const path = resolve(file);
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new CdError('INVALID_ARGUMENT', `--from ${file}: not a regular file`, { path });
    size = st.size;
  } catch (e) {
    if (e instanceof CdError) throw e;
    throw new CdError('INVALID_ARGUMENT', `--from ${file}: ${(e as { code?: string }).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, { path });
  }
  if (size > MAX_FILE_BYTES) throw new CdError('INVALID_ARGUMENT', `--from ${file}: ${size} bytes is too big; managed files are at most ${MAX_FILE_BYTES} bytes`, { path });
  const bytes = await readFile(path);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CdError('INVALID_ARGUMENT', `--from ${file}: not UTF-8 text; ClusterDeck manages text configuration files`, { path });
  }
}

/** Settings from the flags over an existing file's (or the defaults). Throws INVALID_ARGUMENT naming the flag. */
export function settingsFrom(id: string, o: AddOpts, before: ManagedFile | undefined): ManagedFileSettings {
  if (o.reload !== undefined && o.reloadHaproxy) throw new CdError('INVALID_ARGUMENT', '--reload and --reload-haproxy exclude each other');
  const path = o.path ?? before?.path;
  if (path === undefined) throw new CdError('INVALID_ARGUMENT', `a new managed file needs --path (the file on the hosts)`);
  const p = remotePathSchema.safeParse(path);
  if (!p.success) throw new CdError('INVALID_ARGUMENT', `--path "${path}": ${p.error.issues[0]?.message ?? 'is not acceptable'}`);
  const hosts = o.hosts === undefined ? (before?.hosts ?? 'nodes') : o.hosts === 'nodes' || o.hosts === 'lbs' ? o.hosts : o.hosts.split(',').map((h) => h.trim()).filter(Boolean);
  const reload = o.reloadHaproxy ? { kind: 'haproxy' as const } : o.reload !== undefined ? (o.reload === 'none' ? { kind: 'none' as const } : { kind: 'command' as const, command: o.reload }) : before?.reload;
  const { current: _c, versions: _v, ...kept } = before ?? ({} as Partial<ManagedFile>);
  const s: ManagedFileSettingsInput = {
    ...kept,
    id,
    path,
    hosts,
    ...(reload ? { reload } : {}),
    ...(o.validate !== undefined ? { validate: o.validate === 'none' ? null : o.validate } : {}),
    ...(o.check !== undefined ? { check: o.check === 'none' ? null : o.check } : {}),
    ...(o.port !== undefined ? { servicePort: o.port } : {}),
    ...(o.process !== undefined ? { process: o.process === 'none' ? null : o.process } : {}),
    ...(o.owner !== undefined ? { owner: o.owner } : {}),
    ...(o.group !== undefined ? { group: o.group } : {}),
    ...(o.mode !== undefined ? { mode: o.mode } : {}),
    ...(o.keep !== undefined ? { keepBackups: o.keep } : {}),
  };
  const parsed = managedFileSettingsSchema.safeParse(s);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new CdError('INVALID_ARGUMENT', `${i?.path.join('.') || 'settings'}: ${i?.message}`);
  }
  return parsed.data;
}

/** Hosts × files with state words, then one line per cell that is not in sync. */
export function formatMatrix(m: SyncMatrix): string {
  if (m.files.length === 0) return `Cluster ${m.cluster}: no managed files (add one with \`clusterdeck files add\`).`;
  const cell = (h: string, f: string) => m.cells.find((c) => c.host === h && c.file === f);
  const bad = m.cells.filter((c) => c.state !== 'in-sync');
  const lines = [
    `Cluster ${m.cluster}: ${m.cells.length - bad.length}/${m.cells.length} in sync${m.durationMs !== null ? `; checked in ${m.durationMs} ms` : ''}`,
    '',
    table(['HOST', ...m.files.map((f) => f.id)], m.hosts.map((h) => [h, ...m.files.map((f) => cell(h, f.id)?.state ?? '-')])),
  ];
  if (bad.length) {
    lines.push('');
    for (const c of bad) lines.push(`  ${c.host} ${c.file} (${c.path}): ${c.state}: ${c.detail}`);
  }
  return lines.join('\n');
}

/** `clusterdeck files add|list|remove` and `clusterdeck sync`. */
export function registerFilesCommands(program: Command, run: Run, out: Out): void {
  const files = program.command('files').description('managed files: declared per cluster, desired content kept as versions in the data directory');

  files
    .command('add')
    .description('declare a managed file, or change one (a changed --from content becomes a new version)')
    .argument('<cluster>')
    .argument('<id>', 'a short name for the file: a-z, 0-9, ".", "_", "-"')
    .option('--path <path>', 'absolute path of the file on the hosts')
    .option('--from <localfile>', 'the desired content (UTF-8 text)')
    .option('--hosts <nodes|lbs|h1,h2>', 'where the file is managed (default: nodes)')
    .option('--validate <cmd>', 'run on the host against the staged file, named {file}, before it replaces the old one ("none" to clear)')
    .option('--reload <cmd>', 'run on the host after the replace ("none" to clear)')
    .option('--reload-haproxy', "reload HAProxy through its master CLI (LB files only)")
    .option('--check <cmd>', 'run on the host after the reload; failure restores the old file ("none" to clear)')
    .option('--port <n>', 'TCP port the service listens on, waited for after the reload', intOpt('--port', 1, 65535))
    .option('--process <pattern>', 'pgrep -f pattern of the service: a file newer than its start is "pending restart" ("none" to clear)')
    .option('--owner <user>', 'owner of the file (default root)')
    .option('--group <group>', 'group of the file (default root)')
    .option('--mode <octal>', 'mode of the file (default 0644)')
    .option('--keep <n>', 'backups kept on each host (default 5)', intOpt('--keep', 1, 100))
    .option('--json', 'print JSON')
    .action((cluster: string, id: string, o: AddOpts) =>
      run((g) =>
        withSession(g, async (s) => {
          const before = (await s.api.call('files.list', { cluster })).files.find((f) => f.id === id);
          if (!before && o.from === undefined) throw new CdError('INVALID_ARGUMENT', `a new managed file needs --from (its desired content)`);
          const settings = settingsFrom(id, o, before);
          const content = o.from !== undefined ? await readLocalContent(o.from) : undefined;
          const f = await s.api.call('files.put', {
            cluster,
            settings,
            ...(content !== undefined ? { content, source: resolve(o.from!) } : {}),
          });
          if (o.json) out.log(json(f));
          else {
            const head = !before ? 'ADDED' : before.current.version !== f.current.version ? 'NEW VERSION' : JSON.stringify(before) === JSON.stringify(f) ? 'UNCHANGED' : 'UPDATED';
            out.log(`${head}: ${cluster}/${f.id}: ${f.path} on ${hostsText(f.hosts)}, version ${f.current.version} (sha256 ${short(f.current.sha256)}, ${f.current.size} bytes)`);
            out.log('Nothing was changed on any host: see `clusterdeck sync` and `clusterdeck push`.');
          }
          return EXIT.ok;
        }),
      ),
    );

  files
    .command('list')
    .description("list a cluster's managed files")
    .argument('<cluster>')
    .option('--json', 'print JSON')
    .action((cluster: string, o: { json?: boolean }) =>
      run((g) =>
        withSession(g, async (s) => {
          const r = await s.api.call('files.list', { cluster });
          if (o.json) out.log(json(r));
          else if (!r.files.length) out.log(`Cluster ${cluster}: no managed files.`);
          else {
            out.log(
              table(
                ['ID', 'PATH', 'HOSTS', 'VERSION', 'SHA256', 'SIZE', 'VALIDATE', 'RELOAD'],
                r.files.map((f) => [f.id, f.path, hostsText(f.hosts), String(f.current.version), short(f.current.sha256), String(f.current.size), f.validate ?? '-', reloadText(f)]),
              ),
            );
          }
          return EXIT.ok;
        }),
      ),
    );

  files
    .command('remove')
    .description('stop managing a file (its stored versions are deleted; nothing changes on any host)')
    .argument('<cluster>')
    .argument('<id>')
    .action((cluster: string, id: string) =>
      run((g) =>
        withSession(g, async (s) => {
          await s.api.call('files.remove', { cluster, file: id });
          out.log(`REMOVED: ${cluster}/${id} is no longer managed (the hosts keep their file).`);
          return EXIT.ok;
        }),
      ),
    );

  program
    .command('sync')
    .description(`the sync matrix: each managed file on each host against its desired version (exit ${EXIT.outOfSync} when anything is not in sync); with --diff HOST FILE, the line diff of one cell`)
    .argument('<cluster>')
    .argument('[host]', 'with --diff')
    .argument('[file]', 'with --diff')
    .option('--diff', 'show the diff of one file on one host, on the host → desired')
    .option('--refresh', 're-read every host (the desktop app otherwise shows its last check)')
    .option('--json', 'print JSON')
    .action((cluster: string, host: string | undefined, file: string | undefined, o: { diff?: boolean; refresh?: boolean; json?: boolean }) =>
      run((g) =>
        withSession(g, async (s) => {
          if (o.diff) {
            if (!host || !file) throw new CdError('INVALID_ARGUMENT', '--diff needs a HOST and a FILE: clusterdeck sync CLUSTER --diff HOST FILE');
            const d = await s.api.call('sync.diff', { cluster, host, file });
            if (o.json) out.log(json(d));
            else {
              out.log(`${d.host} ${d.file} (${d.path}): ${d.state}: ${d.detail}`);
              if (d.diff) out.log(d.diff.trimEnd());
            }
            return d.state === 'in-sync' ? EXIT.ok : EXIT.outOfSync;
          }
          if (host || file) throw new CdError('INVALID_ARGUMENT', `unexpected argument "${host}": a single cell's diff is \`clusterdeck sync ${cluster} --diff HOST FILE\``);
          const m = await s.api.call('sync.get', { cluster, refresh: o.refresh ?? false });
          out.log(o.json ? json(m) : formatMatrix(m));
          // "in sync" on disk says nothing of a reload that never happened.
          await warnInterrupted(s, cluster, out);
          return m.cells.every((c) => c.state === 'in-sync') ? EXIT.ok : EXIT.outOfSync;
        }),
      ),
    );
}
