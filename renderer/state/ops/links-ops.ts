import { explainError, toErrorLike } from '../../errors/explain';
import { linkWord } from '../../nodes/node-view';
import { core } from '../core';
import { app } from '../store';

/**
 * Tries every SSH link of the cluster again now: after the admin fixed a key file, loaded
 * ssh-agent, or cleared a host key. The core otherwise holds refused links until asked.
 */
export async function retryLinks(cluster: string): Promise<void> {
  try {
    const links = await core().call('links.retry', { cluster });
    const down = links.filter((l) => l.state !== 'up');
    app().pushToast(
      down.length
        ? {
            tone: 'warn',
            title: `${links.length - down.length}/${links.length} SSH links up after reconnecting`,
            body: down.map((l) => `${l.host}: ${linkWord(l.state)}${l.lastError ? ` (${l.lastError.message})` : ''}`).join('\n'),
            sticky: true,
          }
        : { tone: 'ok', title: `All ${links.length} SSH links of ${cluster} are up`, sticky: false },
    );
  } catch (e) {
    const shown = explainError(toErrorLike(e));
    app().pushToast({ tone: 'error', title: `Reconnecting ${cluster} failed: ${shown.title}`, body: shown.detail, next: shown.next, sticky: true });
  }
}
