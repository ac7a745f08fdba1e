import type { Command } from 'commander';
import type { PushProgress, PushRequest, PushResult } from '../../shared/domain/managed-files';
import { CdError } from '../../shared/errors';
import type { Out } from './commands';
import { EXIT } from './exit-codes';
import { formatBackups, formatPushPreview, formatPushResult, formatRollback, progressLine } from './format-push';
import { warnInterrupted } from './recover-command';
import { withSession, type GlobalOptions } from './session';

type Run = (fn: (g: GlobalOptions) => Promise<number>) => Promise<void>;

interface PushOpts {
  files?: string[];
  hosts?: string[];
  rolling?: boolean;
  drainWait?: number;
  portWait?: number;
  dryRun?: boolean;
  json?: boolean;
}

const list = (v: string, prev: string[] = []): string[] => [...prev, ...v.split(',').map((x) => x.trim()).filter(Boolean)];
const seconds =
  (flag: string, min: number, max: number) =>
  (v: string): number => {
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new CdError('INVALID_ARGUMENT', `${flag} takes whole seconds from ${min} to ${max}, got "${v}"`);
    return Number(v);
  };

/** Exit code of a push: see EXIT_HELP. */
export function pushExit(r: PushResult): number {
  if (r.outcome === 'ok' || r.outcome === 'unchanged') return EXIT.ok;
  const bad = r.hosts.filter((h) => h.outcome === 'refused' || h.outcome === 'restored' || h.outcome === 'failed');
  if (bad.some((h) => h.error?.code === 'GATE_REFUSED')) return EXIT.refused;
  if (r.outcome === 'partial' || (r.outcome === 'stopped' && r.hosts.some((h) => h.outcome === 'done'))) return EXIT.partial;
  return bad.length > 0 && bad.every((h) => h.outcome === 'refused') ? EXIT.invalidInput : EXIT.error;
}

/** `clusterdeck push CLUSTER` and `clusterdeck rollback CLUSTER HOST FILE`. */
export function registerPushCommands(program: Command, run: Run, out: Out): void {
  program
    .command('push')
    .description('push the desired managed files to their hosts (all at once, or --rolling: drain each node on every LB, push, reload, wait for the port, make it ready, next), then read the fingerprints back')
    .argument('<cluster>')
    .option('--files <ids>', 'managed files to push, comma-separated (default: all)', list)
    .option('--hosts <names>', 'hosts to push to, comma-separated (default: every host the files are managed on)', list)
    .option('--rolling', 'one host at a time, each node drained on every LB around its update; a failed host stops the run')
    .option('--drain-wait <s>', 'rolling: seconds to wait for a drained node\'s sessions to end before pushing anyway', seconds('--drain-wait', 0, 3600), 30)
    .option('--port-wait <s>', 'seconds to wait for the service port after a reload', seconds('--port-wait', 1, 600), 30)
    .option('--dry-run', 'show the diffs and the validate verdict per host; change nothing')
    .option('--json', 'print JSON (no progress lines)')
    .action((cluster: string, o: PushOpts) =>
      run((g) =>
        withSession(g, async (s) => {
          const request: PushRequest = {
            mode: o.rolling ? 'rolling' : 'all-at-once',
            drainWaitSec: o.drainWait ?? 30,
            portWaitSec: o.portWait ?? 30,
            ...(o.files?.length ? { files: o.files } : {}),
            ...(o.hosts?.length ? { hosts: o.hosts } : {}),
          };
          // Said before pushing: a file replaced but never reloaded looks in sync to a push.
          await warnInterrupted(s, cluster, out);
          if (o.dryRun) {
            const p = await s.api.call('push.preview', { cluster, request });
            out.log(o.json ? JSON.stringify(p, null, 2) : formatPushPreview(p));
            return p.refusal || p.items.some((i) => i.valid === false) ? EXIT.invalidInput : EXIT.ok;
          }
          const last = new Map<string, string>();
          const off = o.json
            ? () => undefined
            : s.api.subscribe('push.progress', (p: PushProgress) => {
                // One line per phase change, not per engine step.
                if (last.get(p.host) === p.phase) return;
                last.set(p.host, p.phase);
                out.log(progressLine(p));
              });
          try {
            const r = await s.api.call('push.run', { cluster, request });
            if (!o.json) out.log('');
            out.log(o.json ? JSON.stringify(r, null, 2) : formatPushResult(r));
            return pushExit(r);
          } finally {
            off();
          }
        }),
      ),
    );

  program
    .command('rollback')
    .description("restore one of a managed file's backups on one host through the safe path (validate, back up, replace, reload, check); without --backup, list the backups")
    .argument('<cluster>')
    .argument('<host>')
    .argument('<file>', 'managed file id')
    .option('--backup <id>', 'the backup to restore (its file name, as listed)')
    .option('--json', 'print JSON')
    .action((cluster: string, host: string, file: string, o: { backup?: string; json?: boolean }) =>
      run((g) =>
        withSession(g, async (s) => {
          if (!o.backup) {
            const { backups } = await s.api.call('files.backups', { cluster, host, file });
            out.log(o.json ? JSON.stringify({ backups }, null, 2) : formatBackups(host, file, backups));
            return EXIT.ok;
          }
          const { result } = await s.api.call('files.rollback', { cluster, host, file, backup: o.backup });
          out.log(o.json ? JSON.stringify({ result }, null, 2) : formatRollback(result));
          return result.outcome === 'ok' || result.outcome === 'unchanged' ? EXIT.ok : result.outcome === 'refused' ? EXIT.invalidInput : EXIT.error;
        }),
      ),
    );
}
