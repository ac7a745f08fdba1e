import type { Command } from 'commander';
import type { Out } from './commands';
import { EXIT } from './exit-codes';
import { withSession, type GlobalOptions } from './session';

type Run = (fn: (g: GlobalOptions) => Promise<number>) => Promise<void>;

/** `clusterdeck reloads CLUSTER [--ack [LB]]`: reloads of the LBs' HAProxy that ClusterDeck did not do. */
export function registerReloadsCommand(program: Command, run: Run, out: Out): void {
  program
    .command('reloads')
    .description("list reloads or restarts of the LBs' HAProxy done outside ClusterDeck, with the server states each changed; --ack marks them seen")
    .argument('<cluster>')
    .option('--ack [lb]', 'mark the outside reload of this LB (or of every LB) as seen; the audit log keeps it')
    .option('--json', 'print JSON')
    .action((cluster: string, o: { ack?: string | boolean; json?: boolean }) =>
      run((g) =>
        withSession(g, async (s) => {
          if (o.ack !== undefined) {
            const r = await s.api.call('reloads.acknowledge', { cluster, ...(typeof o.ack === 'string' ? { lb: o.ack } : {}) });
            out.log(o.json ? JSON.stringify(r) : `${r.acknowledged} outside reload${r.acknowledged === 1 ? '' : 's'} marked as seen on ${cluster}`);
            return EXIT.ok;
          }
          const { reloads } = await s.api.call('reloads.list', { cluster });
          if (o.json) out.log(JSON.stringify(reloads, null, 2));
          else if (reloads.length === 0) out.log(`No outside reloads on ${cluster} waiting to be seen.`);
          else for (const r of reloads) out.log(`${r.message}\n  noticed ${new Date(r.detectedAt).toISOString()}; mark as seen: clusterdeck reloads ${cluster} --ack ${r.lb}`);
          return EXIT.ok;
        }),
      ),
    );
}
