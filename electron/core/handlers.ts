import { join } from 'node:path';
import type { ClusterDeckContract } from '../../shared/contract';
import type { ClusterSpec } from '../../shared/domain/cluster';
import { CdError } from '../../shared/errors';
import type { Handlers } from '../../shared/rpc/server';
import { resolveNode, readAll, runNodeAction } from '../actions/node-action';
import { describeConsequence } from '../cluster/consequence';
import { evaluateGate } from '../cluster/gate';
import { findServer } from '../cluster/lb-read';
import { previewInventory } from '../inventory';
import { dataPaths } from '../store/data-dir';
import { createKeyedMutex, withFileLock } from '../store/file-lock';
import type { CoreContext } from './create-core';
import { failoverView, previewFailover } from './failover-service';
import { fileHandlers } from './files-handlers';
import { pushHandlers } from './push-handlers';
import { recoverHandlers } from './recover-handlers';
import { reloadsHandlers } from './reloads-handlers';
import { applyAndSaveFailover } from './failover-apply';
import { readClusterStatus } from './status-service';

const VERSION = '0.1.0';

/** The implementation of every contract method, on top of the core's services. */
export function createHandlers(ctx: CoreContext): Handlers<ClusterDeckContract> {
  const inProcess = createKeyedMutex();
  const locks = dataPaths(ctx.opts.dataDir).locks;
  const owner = `${ctx.opts.actor.via} ${ctx.opts.actor.user}@${ctx.opts.actor.machine} (pid ${process.pid})`;

  // Actions on one cluster run one at a time: in this process (mutex) and across processes
  // sharing the data directory (file lock), e.g. the CLI in a runbook while the desktop app is open.
  const serialized = <T>(cluster: string, what: string, fn: () => Promise<T>): Promise<T> =>
    inProcess(cluster, () =>
      withFileLock(join(locks, `action-${cluster}`), { waitMs: 30_000, owner: `${owner}: ${what}`, what: `cluster ${cluster}` }, fn),
    );

  const summary = (c: ClusterSpec) => ({ name: c.name, nodes: c.nodes.length, lbs: c.lbs.length, source: c.source.kind });

  return {
    ...fileHandlers(ctx, serialized),
    ...pushHandlers(ctx, serialized),
    ...recoverHandlers(ctx, serialized),
    ...reloadsHandlers(ctx),
    'clusters.list': async () => (await ctx.store.list()).map(summary),
    'clusters.get': async ({ name }) => ctx.store.get(name),
    'clusters.save': async ({ cluster, mode }) => {
      const saved = await ctx.store.save(cluster, mode);
      await ctx.record({ kind: 'cluster-change', cluster: saved.name, change: mode === 'create' ? 'created' : 'updated', summary: `${saved.nodes.length} nodes, ${saved.lbs.length} LBs` });
      return saved;
    },
    'clusters.remove': async ({ name }) => {
      const removed = await ctx.store.remove(name);
      if (removed) await ctx.record({ kind: 'cluster-change', cluster: name, change: 'removed', summary: 'definition removed; audit log kept' });
      return { removed };
    },
    'inventory.preview': async ({ source, options }) => previewInventory(source, options),
    'inventory.import': async ({ source, options, replace }) => {
      const preview = await previewInventory(source, options);
      const errors = preview.problems.filter((p) => p.severity === 'error');
      if (errors.length || !preview.cluster) {
        const list = errors.slice(0, 20).map((p) => `${p.file}:${p.line}: ${p.message}`);
        throw new CdError('INVENTORY_INVALID', `the inventory has ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was imported:\n${list.join('\n')}`, {
          problems: preview.problems,
        });
      }
      const cluster = await ctx.store.save(preview.cluster, replace ? 'upsert' : 'create');
      await ctx.record({
        kind: 'cluster-change',
        cluster: cluster.name,
        change: 'imported',
        summary: `imported from ${preview.file}: ${cluster.nodes.length} nodes, ${cluster.lbs.length} LBs`,
      });
      return { cluster, preview };
    },
    'app.info': async () => ({
      version: VERSION,
      dataDir: ctx.opts.dataDir,
      knownHostsFile: ctx.hostKeys.store.ownFile,
      extraKnownHosts: [...ctx.hostKeys.store.extraFiles],
    }),
    'status.get': async ({ cluster }) => {
      const c = await ctx.store.get(cluster);
      // A one-shot read has no watch keeping the sync matrix fresh: check the files alongside
      // (one exec per host that has any), so node rows say out-of-sync here too.
      const [status] = await Promise.all([
        readClusterStatus(ctx.conns, c, { measureRtt: true, vip: ctx.vip }),
        ctx.files.list(c.name).then((fs) => (fs.length ? ctx.sync.get(c.name, false) : null)),
      ]);
      const sync = ctx.sync.nodeSync(c.name);
      const changes = await ctx.recover.counts(c.name);
      await ctx.reloads.refresh(c.name);
      const decorated = ctx.decorate({ ...status, nodes: status.nodes.map((n) => ({ ...n, sync: sync.get(n.node) ?? null })) });
      return { ...decorated, changes };
    },
    'status.watch': async ({ cluster }, hctx) => {
      const c = await ctx.store.get(cluster);
      await ctx.reloads.refresh(c.name);
      const first = ctx.decorate(await ctx.watch.watch(hctx.peer, c));
      return { ...first, changes: await ctx.recover.counts(c.name) };
    },
    'status.unwatch': async ({ cluster }, hctx) => {
      ctx.watch.unwatch(hctx.peer, cluster);
      return { watching: false };
    },
    'links.list': async ({ cluster }) => {
      if (!cluster) return ctx.conns.links();
      const c = await ctx.store.get(cluster);
      const names = new Set([...c.nodes, ...c.lbs].map((h) => h.name));
      return ctx.conns.links().filter((l) => names.has(l.host));
    },
    'links.retry': async ({ cluster }) => {
      const c = await ctx.store.get(cluster);
      const hosts = [...c.nodes.map((n) => [n, 'node'] as const), ...c.lbs.map((l) => [l, 'lb'] as const)];
      const links = hosts.map(([h, role]) => ctx.conns.link(c, h, role));
      for (const l of links) l.retryNow();
      // Give the attempts a moment so the reply shows where each one got to; the watch pushes the rest.
      await Promise.all(links.map((l) => l.connect().catch(() => undefined)));
      return links.map((l) => l.status());
    },
    'nodes.preview': async ({ cluster, node, action }) => {
      const c = await ctx.store.get(cluster);
      const n = resolveNode(c, node);
      const { reads } = await readAll(ctx.conns.lbPort(c), c.lbs, n.backend);
      const gate = evaluateGate({ action, node: n, reads, minActive: c.settings.minActive });
      const sessions = Object.fromEntries(reads.map((r) => [r.lb, r.ok ? (findServer(r, n.backend, n.server)?.sessions ?? null) : null]));
      return { gate, consequence: describeConsequence(action, n, reads, gate), sessions };
    },
    'nodes.act': async (req, hctx) => {
      // Queued before anything is awaited, so concurrent calls on one cluster run in call order.
      const what = `${req.action} ${req.node}`;
      return serialized(req.cluster, what, async () => {
        const c = await ctx.store.get(req.cluster);
        resolveNode(c, req.node);
        const result = await runNodeAction(
          c,
          { node: req.node, action: req.action, waitSeconds: req.waitSeconds, forceGate: req.forceGate, lbs: req.lbs },
          {
            port: ctx.conns.lbPort(c),
            signal: hctx.signal,
            onProgress: (p) => {
              ctx.server.publish('actions.progress', p);
              // The change is confirmed before any wait for sessions: show it in the table now.
              if (p.phase === 'confirming') void ctx.watch.refresh(c.name);
            },
          },
        );
        await ctx.record({ kind: 'node-action', cluster: c.name, result });
        // Watchers see the new state with the result, not up to one interval later.
        void ctx.watch.refresh(c.name);
        return result;
      });
    },
    'failover.get': async ({ cluster }) => failoverView(ctx.conns, await ctx.store.get(cluster)),
    'failover.preview': async ({ cluster, settings }) => previewFailover(ctx.conns, await ctx.store.get(cluster), settings),
    'failover.apply': async ({ cluster, settings }, hctx) => {
      const c = await ctx.store.get(cluster);
      return serialized(c.name, 'apply failover settings', async () => {
        const r = await applyAndSaveFailover(ctx, c, settings, hctx.signal);
        void ctx.watch.refresh(c.name);
        return r;
      });
    },
    'metrics.get': async ({ cluster, windowSec }) => {
      const c = await ctx.store.get(cluster);
      const hosts = [...c.nodes, ...c.lbs];
      const rtt = (name: string) => {
        const h = hosts.find((x) => x.name === name)!;
        return ctx.conns.link(c, h, c.nodes.includes(h as never) ? 'node' : 'lb').rttHistory();
      };
      return ctx.metrics.get(c.name, windowSec, rtt, hosts.map((h) => h.name));
    },
    'hostKeys.list': async () => ctx.hostKeys.list(),
    'hostKeys.pending': async () => ctx.hostKeys.pending(),
    'hostKeys.accept': async ({ fingerprint, host, port }) => {
      const r = await ctx.hostKeys.accept(fingerprint, host, port);
      if (r.pinned) ctx.conns.retry(r.pinned.host, r.pinned.port);
      return r;
    },
    'hostKeys.forget': async ({ host, port }) => {
      const removed = await ctx.hostKeys.forget(host, port);
      for (const c of await ctx.clustersNaming(host, port)) {
        await ctx.record({ kind: 'host-key', cluster: c.name, change: 'forgotten', host, port, fingerprint: '-', summary: `forgot ${removed} pinned key(s) of ${host}:${port}` });
      }
      return { removed };
    },
    'audit.list': async ({ cluster, node, limit }) => ctx.audit.list(cluster, { limit, ...(node ? { node } : {}) }),
  };
}
