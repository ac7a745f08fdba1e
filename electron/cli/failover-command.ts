import type { Command } from 'commander';
import type { ClusterSettings } from '../../shared/domain/cluster';
import type { ConfigChangeResult } from '../../shared/domain/config-change';
import { EXIT } from './exit-codes';
import type { Out } from './commands';
import { formatMs, parseConnectTimeout, parseCount, parseInterval } from './durations';
import { withSession, type GlobalOptions } from './session';
import { table } from './table';

type Run = (fn: (g: GlobalOptions) => Promise<number>) => Promise<void>;

interface FailoverOpts {
  interval?: number;
  fall?: number;
  rise?: number;
  active?: number;
  standby?: string[];
  minActive?: number;
  vip?: string;
  connectTimeout?: number;
  apply?: boolean;
  json?: boolean;
}

export function formatChange(r: ConfigChangeResult): string {
  const head = { ok: 'APPLIED', unchanged: 'UNCHANGED', refused: 'REFUSED', 'rolled-back': 'ROLLED BACK', failed: 'FAILED' }[r.outcome];
  const lines = [`${head}: ${r.message}`, ''];
  lines.push(table(['LB', 'OUTCOME', 'FILE', 'BACKUP', 'DETAIL'], r.targets.map((t) => [t.target, t.outcome, t.path, t.backup ?? '-', t.error?.message ?? ''])));
  for (const t of r.targets) {
    lines.push('', `${t.target}:`);
    for (const s of t.steps) lines.push(`  ${s.ok ? 'ok  ' : 'FAIL'} ${s.step.padEnd(8)} ${s.detail.split('\n')[0]} (${Math.round(s.ms)} ms)`);
  }
  return lines.join('\n');
}

/** `clusterdeck failover CLUSTER`: show the settings; with changes, preview them; with --apply, apply them. */
export function registerFailoverCommand(program: Command, run: Run, out: Out): void {
  const collect = (v: string, prev: string[] = []): string[] => [...prev, ...v.split(',').filter(Boolean)];
  program
    .command('failover')
    .description('show the heartbeat and failover settings and the failover budget; with changes, preview the haproxy.cfg diff per LB; with --apply, apply them')
    .argument('<cluster>')
    .option('--interval <duration>', 'heartbeat (check) interval: 500ms, 1s, 1.5s', (v) => parseInterval(v))
    .option('--fall <n>', 'failover heartbeats: missed checks before a server is DOWN', (v) => parseCount(v, '--fall'))
    .option('--rise <n>', 'passed checks before a server is UP again', (v) => parseCount(v, '--rise'))
    .option('--active <n>', 'number of active nodes (1 = HA mode, one active, the others standby)', (v) => parseCount(v, '--active', 1000))
    .option('--standby <node...>', 'nodes that are standby (HAProxy backup servers)', collect)
    .option('--min-active <n>', 'the safety gate keeps at least this many UP active servers', (v) => parseCount(v, '--min-active', 1000))
    .option('--vip <address|none>', "the cluster's virtual IP (ClusterDeck reports which LB holds it)")
    .option('--connect-timeout <duration>', "how long ClusterDeck waits for an SSH connection to come up: 1s to 120s (default 20s; raise it for far or slow links); HAProxy is not changed", (v) => parseConnectTimeout(v))
    .option('--apply', 'write the settings into every LB (validate, replace with a backup, reload, verify)')
    .option('--json', 'print JSON')
    .action((cluster: string, o: FailoverOpts) =>
      run((g) =>
        withSession(g, async (s) => {
          const view = await s.api.call('failover.get', { cluster });
          const changes: Partial<ClusterSettings> = {
            ...(o.interval !== undefined ? { heartbeatIntervalMs: o.interval } : {}),
            ...(o.fall !== undefined ? { failoverHeartbeats: o.fall } : {}),
            ...(o.rise !== undefined ? { riseCount: o.rise } : {}),
            ...(o.active !== undefined ? { activeNodes: o.active } : {}),
            ...(o.standby !== undefined ? { standbyNodes: o.standby } : {}),
            ...(o.minActive !== undefined ? { minActive: o.minActive } : {}),
            ...(o.vip !== undefined ? { vip: o.vip === 'none' ? null : o.vip } : {}),
            ...(o.connectTimeout !== undefined ? { connectTimeoutMs: o.connectTimeout } : {}),
          };
          // Changing the active count alone re-derives the standby nodes rather than contradicting them.
          if (o.active !== undefined && o.standby === undefined) changes.standbyNodes = [];
          if (o.standby !== undefined && o.active === undefined) changes.activeNodes = null;
          const settings = { ...view.settings, ...changes };
          if (Object.keys(changes).length === 0) {
            if (o.json) out.log(JSON.stringify(view, null, 2));
            else {
              const st = view.settings;
              out.log(`Cluster ${cluster}: ${view.budget}`);
              out.log(
                table(
                  ['SETTING', 'VALUE'],
                  [
                    ['heartbeat interval', formatMs(st.heartbeatIntervalMs)],
                    ['failover heartbeats (fall)', String(st.failoverHeartbeats)],
                    ['rise', String(st.riseCount)],
                    ['active nodes', `${view.roles.active.length} (${view.roles.active.join(', ')})`],
                    ['standby nodes', view.roles.standby.length ? view.roles.standby.join(', ') : 'none'],
                    ['minimum active (gate)', String(st.minActive)],
                    ['virtual IP', st.vip ?? 'none'],
                    ['SSH connect deadline', formatMs(st.connectTimeoutMs)],
                  ],
                  '  ',
                ),
              );
            }
            return EXIT.ok;
          }
          if (!o.apply) {
            const p = await s.api.call('failover.preview', { cluster, settings });
            if (o.json) out.log(JSON.stringify(p, null, 2));
            else {
              out.log(`New settings: ${p.budget}; active ${p.roles.active.join(', ')}; standby ${p.roles.standby.join(', ') || 'none'}`);
              for (const t of p.targets) {
                out.log(`\n${t.target} ${t.path}: ${t.changed ? (t.valid === false ? 'HAProxy REFUSES the new file' : 'would change') : 'unchanged'}${t.message ? ` (${t.message})` : ''}`);
                if (t.diff) out.log(t.diff.trimEnd());
              }
              out.log('\nPreview only: run again with --apply to write it.');
            }
            return p.targets.some((t) => t.valid === false) ? EXIT.invalidInput : EXIT.ok;
          }
          const r = await s.api.call('failover.apply', { cluster, settings });
          out.log(o.json ? JSON.stringify(r, null, 2) : formatChange(r.result));
          return r.result.outcome === 'ok' || r.result.outcome === 'unchanged' ? EXIT.ok : r.result.outcome === 'refused' ? EXIT.invalidInput : EXIT.error;
        }),
      ),
    );
}
