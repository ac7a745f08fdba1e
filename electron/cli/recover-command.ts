import type { Command } from 'commander';
import { CdError } from '../../shared/errors';
import type { Out } from './commands';
import { EXIT } from './exit-codes';
import { formatRecovery, formatUnfinished, interruptedWarning } from './format-recover';
import { withSession, type CliSession, type GlobalOptions } from './session';

type Run = (fn: (g: GlobalOptions) => Promise<number>) => Promise<void>;

/** One warning line on stderr when some change on the cluster was interrupted (from the journal: no host is asked). */
export async function warnInterrupted(s: CliSession, cluster: string, out: Out): Promise<void> {
  // The command's own work goes on either way; a journal it cannot read is said, not hidden.
  try {
    const { changes, unreadable } = await s.api.call('recover.list', { cluster, probe: false });
    const line = interruptedWarning(cluster, changes);
    if (line) out.err(line);
    if (unreadable.length) out.err(`WARNING: ${unreadable.length} journal file(s) of ${cluster} could not be read: ${unreadable.join(', ')}`);
  } catch (e) {
    out.err(`WARNING: could not read the intent journal of ${cluster}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** `clusterdeck recover CLUSTER [--finish ID | --restore ID]`. */
export function registerRecoverCommand(program: Command, run: Run, out: Out): void {
  program
    .command('recover')
    .description(`list changes cut short by a killed ClusterDeck (with the host, file and step each stopped at, and what the host holds now; exit ${EXIT.interrupted} when any), and finish or restore one`)
    .argument('<cluster>')
    .option('--finish <id>', 'finish it: reload and check what was replaced (failover settings: also apply and save them), then make drained nodes ready')
    .option('--restore <id>', 'restore the state before it: put the backups back (remove created files), reload where the new file may have been loaded, make drained nodes ready')
    .option('--json', 'print JSON')
    .action((cluster: string, o: { finish?: string; restore?: string; json?: boolean }) =>
      run((g) =>
        withSession(g, async (s) => {
          if (o.finish && o.restore) throw new CdError('INVALID_ARGUMENT', '--finish and --restore exclude each other');
          const id = o.finish ?? o.restore;
          if (id) {
            const r = await s.api.call('recover.resolve', { cluster, id, action: o.finish ? 'finish' : 'restore' });
            out.log(o.json ? JSON.stringify(r, null, 2) : formatRecovery(r));
            return r.outcome === 'ok' ? EXIT.ok : r.outcome === 'partial' ? EXIT.partial : EXIT.error;
          }
          const l = await s.api.call('recover.list', { cluster, probe: true });
          out.log(o.json ? JSON.stringify(l, null, 2) : formatUnfinished(cluster, l.changes, l.unreadable));
          return l.changes.some((c) => c.state === 'interrupted') ? EXIT.interrupted : EXIT.ok;
        }),
      ),
    );
}
