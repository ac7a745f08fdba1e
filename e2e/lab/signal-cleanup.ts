import { errorMessage } from './errors';
import { teardownLabSync } from './teardown';
import type { Lab } from './types';

/**
 * Opt-in: on SIGINT/SIGTERM stop the lab and exit (130/143); on 'exit' do a synchronous
 * best-effort teardown. Not installed by startLab because it would take over the caller's signal
 * handling (vitest, the app). Returns a function that removes the handlers again.
 */
export function installSignalCleanup(lab: Lab, log: (msg: string) => void = (m) => process.stderr.write(`${m}\n`)): () => void {
  let handling = false;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (handling) {
      log(`${sig} again: lab slot ${lab.slot} is still stopping...`);
      return;
    }
    handling = true;
    log(`${sig}: stopping lab slot ${lab.slot}...`);
    lab
      .stop()
      .then(() => log(`lab slot ${lab.slot} stopped`))
      .catch((e: unknown) => log(`lab stop failed: ${errorMessage(e)}`))
      .finally(() => {
        uninstall();
        process.exit(sig === 'SIGINT' ? 130 : 143);
      });
  };
  const onExit = (): void => {
    try {
      teardownLabSync({ slot: lab.slot, dir: lab.dir, hosts: lab.hosts });
    } catch {
      // best effort: the next startLab or `lab down --all` reclaims what is left
    }
  };
  const uninstall = (): void => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', onExit);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', onExit);
  return uninstall;
}
