import type { Command } from 'commander';
import type { NodeAction } from '../../shared/domain/action';
import { CdError } from '../../shared/errors';
import { EXIT } from './exit-codes';
import { formatAction } from './format-action';
import { formatStatus } from './format-status';
import { registerPushCommands } from './push-command';
import { registerRecoverCommand, warnInterrupted } from './recover-command';
import { registerReloadsCommand } from './reloads-command';
import { withSession, type GlobalOptions } from './session';
import { table } from './table';

export type Out = { log: (s: string) => void; err: (s: string) => void };
type Run = (fn: (g: GlobalOptions) => Promise<number>) => Promise<void>;

const json = (v: unknown): string => JSON.stringify(v, null, 2);
const intArg =
  (name: string) =>
  (v: string): number => {
    if (!/^\d+$/.test(v)) throw new CdError('INVALID_ARGUMENT', `${name} must be a whole number, got "${v}"`);
    return Number(v);
  };
const secondsArg = (v: string): number => {
  if (!/^\d+(\.\d+)?$/.test(v) || Number(v) <= 0) throw new CdError('INVALID_ARGUMENT', `--wait takes a positive number of seconds, got "${v}"`);
  return Number(v);
};

export function registerCommands(program: Command, run: Run, out: Out): void {
  program
    .command('import-inventory')
    .description('import an Ansible inventory (YAML or INI) as a cluster; prints the preview, then saves it unless --dry-run')
    .argument('<file>', 'inventory file; group_vars/ and host_vars/ beside it are read too')
    .requiredOption('--cluster <name>', 'name to save the cluster under')
    .option('--nodes-group <group>', 'group whose hosts are the nodes (default: hosts carrying the server var)')
    .option('--lb-group <group>', 'group whose hosts are the load balancers', 'lbservers')
    .option('--backend-var <var>', 'host var naming the HAProxy backend', 'lb_backend')
    .option('--server-var <var>', 'host var naming the HAProxy server', 'lb_server')
    .option('--dry-run', 'show what would be imported; save nothing')
    .option('--replace', 'replace an existing cluster of that name')
    .option('--json', 'print JSON')
    .action((file: string, o) =>
      run((g) =>
        withSession(g, async (s) => {
          const options = {
            cluster: o.cluster,
            lbGroup: o.lbGroup,
            backendVar: o.backendVar,
            serverVar: o.serverVar,
            ...(o.nodesGroup ? { nodesGroup: o.nodesGroup } : {}),
          };
          const preview = await s.api.call('inventory.preview', { source: { path: file }, options });
          if (o.json && o.dryRun) {
            out.log(json(preview));
          } else {
            out.log(`Inventory ${preview.file} (${preview.format}); also read: ${preview.filesRead.join(', ') || 'nothing'}`);
            for (const p of preview.problems) out.log(`  ${p.severity.toUpperCase()} ${p.file}:${p.line}: ${p.message}`);
            if (preview.cluster) {
              const c = preview.cluster;
              out.log(`\nCluster ${c.name}: ${c.nodes.length} nodes, ${c.lbs.length} load balancers`);
              out.log(
                table(
                  ['NODE', 'ADDRESS', 'USER', 'KEY', 'BACKEND/SERVER'],
                  c.nodes.map((n) => [n.name, `${n.ssh.host}:${n.ssh.port}`, n.ssh.user, n.ssh.keyFile ?? '(agent, ~/.ssh/id_*)', `${n.backend}/${n.server}`]),
                  '  ',
                ),
              );
              out.log(
                table(
                  ['LB', 'ADDRESS', 'USER', 'KEY', 'RUNTIME API'],
                  c.lbs.map((l) => [
                    l.name,
                    `${l.ssh.host}:${l.ssh.port}`,
                    l.ssh.user,
                    l.ssh.keyFile ?? '(agent, ~/.ssh/id_*)',
                    l.socket.kind === 'unix' ? `unix ${l.socket.path}` : `tcp ${l.socket.host}:${l.socket.port}`,
                  ]),
                  '  ',
                ),
              );
            }
          }
          const errors = preview.problems.filter((p) => p.severity === 'error').length;
          if (errors || !preview.cluster) {
            out.err(`\n${errors} error${errors === 1 ? '' : 's'}: nothing was imported.`);
            return EXIT.invalidInput;
          }
          if (o.dryRun) {
            out.log('\nDry run: nothing was saved.');
            return EXIT.ok;
          }
          const r = await s.api.call('inventory.import', { source: { path: file }, options, replace: !!o.replace });
          out.log(`\nSaved cluster ${r.cluster.name}. Checking SSH and host keys...`);
          const status = await s.api.call('status.get', { cluster: r.cluster.name });
          return reportHostKeys(out, [...status.nodes.map((n) => n.link), ...status.lbs.map((l) => l.link)], await s.api.call('hostKeys.pending', {}));
        }),
      ),
    );

  program
    .command('status')
    .description("show each node's state per LB and merged, and every SSH link with its heartbeat round trip")
    .argument('<cluster>')
    .option('--json', 'print JSON')
    .action((cluster: string, o) =>
      run((g) =>
        withSession(g, async (s) => {
          const st = await s.api.call('status.get', { cluster });
          const intervalMs = o.json ? 1000 : (await s.api.call('clusters.get', { name: cluster })).settings.heartbeatIntervalMs;
          out.log(o.json ? json(st) : formatStatus(st, { intervalMs }));
          if (st.changes.interrupted > 0) await warnInterrupted(s, cluster, out);
          const links = [...st.nodes.map((n) => n.link), ...st.lbs.map((l) => l.link)];
          if (links.some((l) => l.state === 'host-key-changed' || l.state === 'host-key-unknown')) return EXIT.hostKey;
          return st.lbs.some((l) => !l.runtime.ok) ? EXIT.partial : EXIT.ok;
        }),
      ),
    );

  const actions: Array<[NodeAction, string]> = [
    ['drain', 'stop sending new sessions to a node on every LB (existing sessions finish)'],
    ['maint', 'put a node in maintenance on every LB (no traffic, checks stop)'],
    ['ready', 'put a node back in service on every LB'],
  ];
  for (const [action, description] of actions) {
    program
      .command(action)
      .description(description)
      .argument('<cluster>')
      .argument('<node>', 'inventory name (or HAProxy server name) of the node')
      .option('--wait <seconds>', 'wait until the node has 0 sessions on every LB, up to this long', secondsArg)
      .option('--force-gate <node>', "override the safety gate: type the node's name again (recorded in the audit log)")
      .option('--lb <lb...>', 'only these LBs (e.g. to retry the one that failed)')
      .option('--json', 'print JSON')
      .option('-v, --verbose', 'show every runtime command sent and its reply')
      .action((cluster: string, node: string, o) =>
        run((g) =>
          withSession(g, async (s) => {
            const r = await s.api.call('nodes.act', {
              cluster,
              node,
              action,
              ...(o.wait !== undefined ? { waitSeconds: o.wait } : {}),
              ...(o.forceGate !== undefined ? { forceGate: o.forceGate } : {}),
              ...(o.lb ? { lbs: o.lb } : {}),
            });
            out.log(o.json ? json(r) : formatAction(r, !!o.verbose));
            if (r.outcome === 'ok') return EXIT.ok;
            if (r.outcome === 'timeout') return EXIT.drainTimeout;
            if (r.outcome === 'refused') return r.error?.code.startsWith('HOST_KEY') ? EXIT.hostKey : EXIT.refused;
            return EXIT.partial;
          }),
        ),
      );
  }

  const hk = program.command('host-keys').description('pinned SSH host keys');
  hk.command('list')
    .description("list pinned keys (ClusterDeck's own known_hosts and the read-only files given with --known-hosts)")
    .option('--json', 'print JSON')
    .action((o) =>
      run((g) =>
        withSession(g, async (s) => {
          const keys = await s.api.call('hostKeys.list', {});
          out.log(
            o.json
              ? json(keys)
              : table(
                  ['HOST', 'PORT', 'TYPE', 'FINGERPRINT', 'FILE'],
                  keys.map((k) => [k.host, String(k.port), k.keyType, k.fingerprint, `${k.source}:${k.line}${k.readOnly ? ' (read-only)' : ''}`]),
                ),
          );
          return EXIT.ok;
        }),
      ),
    );
  hk.command('scan')
    .description('connect to every host of a cluster and report its host key; with --accept-host-key, pin the reviewed ones')
    .argument('<cluster>')
    .action((cluster: string) =>
      run((g) =>
        withSession(g, async (s) => {
          const st = await s.api.call('status.get', { cluster });
          return reportHostKeys(out, [...st.nodes.map((n) => n.link), ...st.lbs.map((l) => l.link)], await s.api.call('hostKeys.pending', {}));
        }),
      ),
    );
  hk.command('forget')
    .description("remove a host's pins from ClusterDeck's own known_hosts (after a host was really reinstalled)")
    .argument('<host>', 'address as dialled')
    .option('--port <port>', 'SSH port', intArg('--port'), 22)
    .action((host: string, o) =>
      run((g) =>
        withSession(g, async (s) => {
          const r = await s.api.call('hostKeys.forget', { host, port: o.port });
          out.log(`removed ${r.removed} pinned key${r.removed === 1 ? '' : 's'} of ${host}:${o.port}`);
          return EXIT.ok;
        }),
      ),
    );

  program
    .command('audit')
    .description("show a cluster's audit log, newest first")
    .argument('<cluster>')
    .option('--node <node>', 'only entries about this node')
    .option('--limit <n>', 'at most this many entries', intArg('--limit'), 50)
    .option('--json', 'print JSON')
    .action((cluster: string, o) =>
      run((g) =>
        withSession(g, async (s) => {
          const r = await s.api.call('audit.list', { cluster, limit: o.limit, ...(o.node ? { node: o.node } : {}) });
          if (o.json) out.log(json(r));
          else {
            for (const e of r.entries) {
              const what =
                e.kind === 'node-action'
                  ? `${e.result.action} ${e.result.node}: ${e.result.outcome}${e.result.forced ? ' (gate overridden)' : ''}: ${e.result.message}`
                  : e.kind === 'config-change'
                    ? `${e.result.kind}: ${e.result.outcome}: ${e.result.message}`
                    : e.kind === 'push'
                      ? `push (${e.result.mode}): ${e.result.outcome}: ${e.result.message}`
                      : e.kind === 'outside-reload'
                        ? `outside reload: ${e.summary}`
                        : e.kind === 'interrupted-change' || e.kind === 'recovery'
                          ? `${e.kind}: ${e.summary}`
                          : `${e.kind} ${e.change}: ${e.summary}`;
              out.log(`${e.at}  ${e.actor.via} ${e.actor.user}@${e.actor.machine}  ${what}`);
              if ((e.kind === 'push' || e.kind === 'config-change' || e.kind === 'recovery') && e.commands)
                for (const c of e.commands) out.log(`    ${c.host}$ ${c.command}${c.ok ? '' : '  (failed)'}`);
              if (e.kind === 'node-action')
                for (const l of e.result.lbs)
                  for (const c of l.commands)
                    out.log(
                      `    ${l.lb}> ${c.command} -> ${c.error ? c.error.message : c.reply === '' ? '(ok, no output)' : `${c.reply.split('\n').length} lines`}`,
                    );
            }
            if (r.skippedLines) out.err(`${r.skippedLines} unreadable line(s) in the log were skipped`);
          }
          return EXIT.ok;
        }),
      ),
    );

  const clusters = program.command('clusters').description('saved clusters');
  clusters
    .command('list')
    .option('--json', 'print JSON')
    .action((o) =>
      run((g) =>
        withSession(g, async (s) => {
          const list = await s.api.call('clusters.list', {});
          out.log(
            o.json
              ? json(list)
              : list.length
                ? table(
                    ['CLUSTER', 'NODES', 'LBS', 'SOURCE'],
                    list.map((c) => [c.name, String(c.nodes), String(c.lbs), c.source]),
                  )
                : 'no clusters yet: import one with `clusterdeck import-inventory FILE --cluster NAME`',
          );
          return EXIT.ok;
        }),
      ),
    );
  clusters
    .command('show')
    .argument('<cluster>')
    .action((name: string) =>
      run((g) =>
        withSession(g, async (s) => {
          out.log(json(await s.api.call('clusters.get', { name })));
          return EXIT.ok;
        }),
      ),
    );
  clusters
    .command('remove')
    .argument('<cluster>')
    .action((name: string) =>
      run((g) =>
        withSession(g, async (s) => {
          const r = await s.api.call('clusters.remove', { name });
          out.log(r.removed ? `removed cluster ${name} (its audit log is kept)` : `no cluster named ${name}`);
          return r.removed ? EXIT.ok : EXIT.error;
        }),
      ),
    );
  registerPushCommands(program, run, out);
  registerRecoverCommand(program, run, out);
  registerReloadsCommand(program, run, out);
}

function reportHostKeys(
  out: Out,
  links: Array<{ host: string; target: string; state: string; lastError: { message: string } | null }>,
  pending: Array<{ host: string; port: number; keyType: string; fingerprint: string; status: string; names: string[]; expected: string[] }>,
): number {
  const rows = links.map((l) => [l.host, l.target, l.state, l.state === 'up' ? '' : (l.lastError?.message ?? '')]);
  out.log(table(['HOST', 'TARGET', 'SSH', 'DETAIL'], rows, '  '));
  const unknown = pending.filter((p) => p.status === 'unknown');
  if (unknown.length) {
    out.log(
      `\n${unknown.length} host key${unknown.length === 1 ? ' is' : 's are'} not known yet. Compare each fingerprint with the host (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub), then accept:`,
    );
    for (const p of unknown) out.log(`  ${p.names.join(',') || p.host} ${p.host}:${p.port} ${p.keyType} ${p.fingerprint}`);
    out.log(`  clusterdeck ${unknown.map((p) => `--accept-host-key ${p.fingerprint}`).join(' ')} host-keys scan CLUSTER`);
  }
  const refused = pending.filter((p) => p.status !== 'unknown');
  for (const p of refused) out.log(`\nREFUSED ${p.host}:${p.port}: ${p.status} key ${p.fingerprint} (pinned: ${p.expected.join(', ') || '-'})`);
  return links.some((l) => l.state.startsWith('host-key')) ? EXIT.hostKey : links.every((l) => l.state === 'up') ? EXIT.ok : EXIT.partial;
}
