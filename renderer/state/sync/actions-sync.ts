import type { Api } from '../../api/client';
import { app } from '../store';

/** Per-LB progress of any running action (ours, or the CLI's on the same core). */
export function startActionsSync(api: Api): void {
  api.subscribe('actions.progress', (p) => app().applyProgress(p));
}
