import type { Api } from '../../api/client';
import { app, useApp } from '../store';

const POLL_MS = 2000;

// Bumped on every accept/refuse: a poll that was in flight across a decision may still list the
// key just accepted, and must not bring its dialog back.
let epoch = 0;
export const noteKeyDecision = (): void => {
  epoch++;
};

/**
 * Unknown and changed keys reach the UI two ways: hostKeys.seen as they happen, and a poll of
 * hostKeys.pending while a cluster is open (keys seen before this window subscribed, or while the
 * push was in flight).
 */
export function startHostKeysSync(api: Api): void {
  api.subscribe('hostKeys.seen', (p) => app().upsertPendingKey(p));

  const poll = async (): Promise<void> => {
    const started = epoch;
    try {
      const list = await api.call('hostKeys.pending', {});
      if (started === epoch) app().replacePendingKeys(list);
    } catch {
      // the next poll tries again; a closed connection is shown by the connection banner
    }
  };

  let timer: ReturnType<typeof setInterval> | null = null;
  const follow = (cluster: string | null): void => {
    if (timer) clearInterval(timer);
    timer = null;
    if (!cluster) return;
    void poll();
    timer = setInterval(() => void poll(), POLL_MS);
  };
  useApp.subscribe((s, prev) => {
    if (s.selectedCluster !== prev.selectedCluster) follow(s.selectedCluster);
  });
  follow(app().selectedCluster);
}
