import { randomUUID } from 'node:crypto';
import type { Actor, AuditEntry } from '../../shared/domain/audit';
import type { ClusterSpec } from '../../shared/domain/cluster';
import type { HostKey } from '../../shared/domain/host-keys';
import type { ClusterStatus } from '../../shared/domain/status';
import { CONTRACT, type ClusterDeckContract } from '../../shared/contract';
import type { Transport } from '../../shared/rpc/frames';
import { createRpcServer, type RpcServer } from '../../shared/rpc/server';
import type { AuthEnv } from '../ssh/auth';
import { createLinkRegistry } from '../ssh/link-registry';
import { createAuditLog, type AuditLog } from '../store/audit-log';
import { createClusterStore, type ClusterStore } from '../store/cluster-store';
import { dataPaths } from '../store/data-dir';
import { createFileStore, type FileStore } from '../files/file-store';
import { createSyncService, type SyncService } from '../files/sync-service';
import { createConnections, type Connections } from './connections';
import { createHandlers } from './handlers';
import { createHostKeyService, type HostKeyService } from './host-key-service';
import { createMetricsStore, type MetricsStore } from '../metrics/metrics-store';
import { createStatusWatch, type StatusWatch } from './status-watch';
import { createVipObserver, type VipObserver } from './vip-observer';
import { runNodeAction } from '../actions/node-action';
import { createJournalStore, type JournalStore } from '../journal/journal-store';
import { createRecoverService, type RecoverService } from '../recover/recover-service';
import { failoverTargets, failoverView } from './failover-service';
import { createReloadService, type ReloadService } from '../reloads/reload-service';
import { createReloadStore } from '../reloads/reload-store';
import { createSocketChecks, type SocketChecks } from '../sockets/socket-checks';
import { decorateStatus } from './decorate-status';

export interface CoreOptions {
  dataDir: string;
  /** known_hosts files the admin already trusts (read-only). */
  extraKnownHosts?: string[];
  /** Fingerprints approved up front (CLI --accept-host-key). */
  acceptHostKeys?: string[];
  actor: Actor;
  /** Desktop: keep links up and reconnect; one-shot CLI: no reconnect loop. */
  reconnect: boolean;
  auth?: AuthEnv;
  version?: string;
}

/** An audit entry before the log stamps it (distributes over the entry kinds). */
export type AuditDraft = AuditEntry extends infer E ? (E extends AuditEntry ? Omit<E, 'id' | 'at' | 'actor'> & { actor?: Actor } : never) : never;

/** Everything the handlers share; built once per process. */
export interface CoreContext {
  opts: CoreOptions;
  store: ClusterStore;
  audit: AuditLog;
  hostKeys: HostKeyService;
  conns: Connections;
  watch: StatusWatch;
  metrics: MetricsStore;
  vip: VipObserver;
  /** Managed files (settings and versions) in the data directory. */
  files: FileStore;
  /** The sync matrix: managed files on each host against their desired versions. */
  sync: SyncService;
  /** The intent journal: every multi-step change on hosts, recorded before it starts. */
  journal: JournalStore;
  /** Unfinished changes (running or interrupted) and their resolution. */
  recover: RecoverService;
  /** LB workers replaced by someone other than ClusterDeck. */
  reloads: ReloadService;
  /** Runtime sockets reachable from the network. */
  sockets: SocketChecks;
  /** What every status snapshot carries beyond the LB reads: interrupted changes, socket warnings, outside reloads. */
  decorate(s: ClusterStatus): ClusterStatus;
  server: RpcServer<ClusterDeckContract>;
  /** Appends to the audit log and pushes the entry to subscribers. */
  record(entry: AuditDraft): Promise<AuditEntry>;
  clustersNaming(host: string, port: number): Promise<ClusterSpec[]>;
}

export interface Core {
  /** Serves the contract on a transport; `peer` names the caller ('cli', 'ui', ...). */
  attach(transport: Transport, peer: string): () => void;
  dispose(): Promise<void>;
  readonly ctx: CoreContext;
}

export function createCore(opts: CoreOptions): Core {
  const paths = dataPaths(opts.dataDir);
  const owner = `${opts.actor.via} ${opts.actor.user}@${opts.actor.machine} (pid ${process.pid})`;
  const store = createClusterStore(opts.dataDir, owner);
  const audit = createAuditLog(opts.dataDir);
  // Filled in below: the server and the context refer to each other through publish/record.
  const ctx = { opts, store, audit } as CoreContext;

  const linkStates = new Map<string, string>();
  const hostKeys = createHostKeyService({
    ownFile: paths.knownHosts,
    extraFiles: opts.extraKnownHosts ?? [],
    preapproved: opts.acceptHostKeys ?? [],
    onPending: (p) => ctx.server.publish('hostKeys.seen', p),
    onPinned: (k) => void recordPin(k),
  });
  const registry = createLinkRegistry({
    hostKeys: hostKeys.guard,
    reconnect: opts.reconnect,
    ...(opts.auth ? { auth: opts.auth } : {}),
    onStatus: (s) => {
      ctx.server?.publish('links.changed', s);
      const before = linkStates.get(s.target);
      linkStates.set(s.target, s.state);
      if (before !== undefined && before !== s.state) ctx.watch?.linkChanged(s.host);
      // The first file check may have run before this link was up: check its files now.
      if (s.state === 'up' && before !== 'up') ctx.sync?.hostUp(s.host);
    },
    onCommand: (host, c) =>
      ctx.server?.publish('commands.log', { at: Date.now(), cluster: null, target: host, kind: 'ssh', command: c.command, reply: c.reply, ms: c.ms, error: c.error ? c.error.toData() : null }),
  });
  const conns = createConnections(
    registry,
    (cluster, lb, r) => ctx.server?.publish('commands.log', { at: r.at, cluster, target: lb, kind: 'runtime', command: r.command, reply: r.reply, ms: r.ms, error: r.error }),
    {
      async onLbRead(cluster, lb, read, link) {
        // Neither may fail a status read: what they cannot decide now, the next read decides.
        await Promise.all([
          ctx.reloads.observe(cluster, read).catch(background(`could not compare ${lb.name}'s worker with the last one seen`)),
          ctx.sockets.observe(cluster, lb, read, link),
        ]);
      },
    },
  );
  ctx.hostKeys = hostKeys;
  ctx.conns = conns;
  ctx.record = async (partial) => {
    const entry = { ...partial, id: randomUUID(), at: new Date().toISOString(), actor: partial.actor ?? opts.actor } as AuditEntry;
    await audit.append(entry);
    ctx.server.publish('audit.appended', entry);
    return entry;
  };
  ctx.clustersNaming = async (host, port) =>
    (await store.list()).filter((c) => [...c.nodes, ...c.lbs].some((h) => h.ssh.host === host && h.ssh.port === port));
  // Background work has no caller to hand an error to: say it where an operator will see it.
  const background = (what: string) => (e: unknown) => console.error(`clusterdeck: ${what}: ${e instanceof Error ? e.message : String(e)}`);
  ctx.metrics = createMetricsStore();
  ctx.vip = createVipObserver(conns);
  ctx.files = createFileStore(opts.dataDir, owner);
  ctx.sync = createSyncService({
    store,
    files: ctx.files,
    conns,
    onChanged: (m) => {
      ctx.server?.publish('sync.changed', m);
      // Node rows carry the sync summary: show the new verdicts now, not at the next interval.
      void ctx.watch?.refresh(m.cluster);
    },
    onError: background('managed-file check failed'),
  });
  ctx.journal = createJournalStore(opts.dataDir, owner);
  ctx.recover = createRecoverService({
    journal: ctx.journal,
    conns,
    actor: opts.actor,
    cluster: (name) => store.get(name),
    record: (e) => ctx.record(e),
    recordReload: (cluster, host, file, at) => ctx.files.recordReload(cluster, host, file, at),
    // Called under the cluster's action lock (recover.resolve), so not through nodes.act.
    nodeReady: (c, node, lbs) => runNodeAction(c, { node, action: 'ready', lbs }, { port: conns.lbPort(c) }),
    failoverTargets: async (c, settings) => failoverTargets(conns, c, await failoverView(conns, c, settings)),
    saveSettings: async (c, settings) => {
      const next = await store.save({ ...(await store.get(c.name)), settings }, 'replace');
      ctx.watch.update(next);
      // ClusterDeck's own heartbeat follows the settings on file.
      for (const h of [...next.nodes.map((n) => [n, 'node'] as const), ...next.lbs.map((l) => [l, 'lb'] as const)]) conns.link(next, h[0], h[1]);
    },
    onCounts: (cluster) => void ctx.watch?.refresh(cluster),
  });
  ctx.reloads = createReloadService({
    store: createReloadStore(opts.dataDir, owner),
    ownReloads: (cluster, lb) => ctx.journal.ownReloads(cluster, lb, 24 * 3600_000),
    record: async (cluster, reload) => {
      await ctx.record({ kind: 'outside-reload', cluster, reload, summary: reload.message });
    },
  });
  ctx.sockets = createSocketChecks(background('could not read an LB\'s haproxy.cfg for its stats sockets'));
  ctx.decorate = (s) => decorateStatus(s, ctx.recover.peek(s.cluster), (lb) => ctx.sockets.warnings(s.cluster, lb), ctx.reloads.current(s.cluster));
  ctx.watch = createStatusWatch(conns, (s) => ctx.server.publish('status.changed', ctx.decorate(s)), background('live status read failed'), {
    vip: ctx.vip,
    metrics: ctx.metrics,
    sync: (name) => ctx.sync.nodeSync(name),
    onLoop: (name, running) => (running ? ctx.sync.watch(name) : ctx.sync.unwatch(name)),
  });

  async function recordPin(k: HostKey): Promise<void> {
    const clusters = await ctx.clustersNaming(k.host, k.port).catch((e: unknown) => {
      background(`could not list clusters for the pinned key of ${k.host}:${k.port}`)(e);
      return [];
    });
    for (const c of clusters) {
      await ctx
        .record({ kind: 'host-key', cluster: c.name, change: 'pinned', host: k.host, port: k.port, fingerprint: k.fingerprint, summary: `pinned ${k.keyType} key of ${k.host}:${k.port}` })
        .catch(background(`could not audit the pinned key of ${k.host}:${k.port}`));
    }
  }

  ctx.server = createRpcServer(CONTRACT, createHandlers(ctx));
  // A long-lived core (desktop app, headless host) looks for changes interrupted while it was not
  // running, so each is in the audit log from the start (a CLI command looks at its own cluster).
  if (opts.reconnect) {
    void store
      .list()
      .then((cs) => Promise.all(cs.map((c) => ctx.recover.counts(c.name))))
      .catch(background('could not read the intent journal at start'));
  }

  return {
    ctx,
    attach(transport, peer) {
      const detach = ctx.server.attach(transport, peer);
      return () => {
        ctx.watch.dropPeer(peer);
        detach();
      };
    },
    async dispose() {
      ctx.watch.stopAll();
      ctx.sync.dispose();
      await conns.closeAll();
      await audit.flush();
    },
  };
}
