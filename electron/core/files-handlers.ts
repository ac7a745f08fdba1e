import type { ClusterDeckContract } from '../../shared/contract';
import type { ManagedFileSettings } from '../../shared/domain/managed-files';
import type { ClusterSpec } from '../../shared/domain/cluster';
import { CdError } from '../../shared/errors';
import type { Handlers } from '../../shared/rpc/server';
import { listBackups } from '../files/backups';
import { assertManagedOn, fileDiff } from '../files/file-diff';
import { fileHosts, hostLink } from '../files/file-hosts';
import type { CoreContext } from './create-core';

type H = Handlers<ClusterDeckContract>;
export type Serialized = <T>(cluster: string, what: string, fn: () => Promise<T>) => Promise<T>;

/** Refuses a file whose path is already managed on one of the same hosts (two desired contents for one file). */
async function assertNoOverlap(ctx: CoreContext, cluster: ClusterSpec, s: ManagedFileSettings): Promise<void> {
  const mine = new Set(fileHosts(cluster, s));
  for (const f of await ctx.files.list(cluster.name)) {
    if (f.id === s.id || f.path !== s.path) continue;
    let theirs: string[];
    try {
      theirs = fileHosts(cluster, f);
    } catch {
      theirs = Array.isArray(f.hosts) ? f.hosts : [];
    }
    const both = theirs.filter((h) => mine.has(h));
    if (both.length) throw new CdError('ALREADY_EXISTS', `${cluster.name}: ${s.path} is already managed as "${f.id}" on ${both.join(', ')}`, { cluster: cluster.name, file: s.id });
  }
}

/** Managed files, the sync matrix, cell diffs and backups on a host. */
export function fileHandlers(ctx: CoreContext, serialized: Serialized): Pick<H, 'files.list' | 'files.put' | 'files.remove' | 'sync.get' | 'sync.diff' | 'files.backups'> {
  const by = () => `${ctx.opts.actor.via} ${ctx.opts.actor.user}@${ctx.opts.actor.machine}`;
  return {
    'files.list': async ({ cluster }) => {
      const c = await ctx.store.get(cluster);
      return { files: await ctx.files.list(c.name) };
    },
    'files.put': async ({ cluster, settings, content, source }) => {
      const c = await ctx.store.get(cluster);
      const hosts = fileHosts(c, settings);
      return serialized(c.name, `declare managed file ${settings.id}`, async () => {
        await assertNoOverlap(ctx, c, settings);
        const { file, change } = await ctx.files.put(c.name, settings, content, source, by());
        if (change === 'unchanged') return file;
        const what = change === 'added' ? 'declared' : 'changed';
        await ctx.record({
          kind: 'managed-file',
          cluster: c.name,
          change,
          file: file.id,
          version: file.current.version,
          summary: `${what} ${file.path} on ${hosts.join(', ')}: version ${file.current.version} (sha256 ${file.current.sha256.slice(0, 12)}…, ${file.current.size} bytes)`,
        });
        ctx.sync.invalidate(c.name);
        return file;
      });
    },
    'files.remove': async ({ cluster, file }) => {
      const c = await ctx.store.get(cluster);
      return serialized(c.name, `remove managed file ${file}`, async () => {
        const f = await ctx.files.get(c.name, file);
        await ctx.files.remove(c.name, file);
        await ctx.record({ kind: 'managed-file', cluster: c.name, change: 'removed', file, version: null, summary: `stopped managing ${f.path} (${f.versions.length} stored version(s) deleted; hosts unchanged)` });
        ctx.sync.invalidate(c.name);
        return { removed: true as const };
      });
    },
    'sync.get': async ({ cluster, refresh }) => ctx.sync.get((await ctx.store.get(cluster)).name, refresh),
    'sync.diff': async ({ cluster, host, file }) => {
      const c = await ctx.store.get(cluster);
      const f = await ctx.files.get(c.name, file);
      const [desired, reloads] = await Promise.all([ctx.files.content(c.name, file), ctx.files.reloads(c.name)]);
      return fileDiff(ctx.conns, c, f, desired, host, reloads);
    },
    'files.backups': async ({ cluster, host, file }) => {
      const c = await ctx.store.get(cluster);
      const f = await ctx.files.get(c.name, file);
      assertManagedOn(c, f, host);
      return { backups: await listBackups(hostLink(ctx.conns, c, host), f.path, f.versions) };
    },
  };
}
