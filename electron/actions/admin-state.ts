import type { NodeAction } from '../../shared/domain/action';
import type { ServerStat } from '../../shared/domain/status';

// srv_admin_state bits (HAProxy src/server.h): forced maintenance and forced drain are what
// `set server ... state` sets; the status text alone can't confirm a drain (a drained server whose
// check fails shows DOWN).
export const FMAINT = 0x01;
export const FDRAIN = 0x08;

export function runtimeCommand(action: NodeAction, backend: string, server: string): string {
  return `set server ${backend}/${server} state ${action === 'maint' ? 'maint' : action}`;
}

/** Did the re-read show the state we asked for? Judged on admin bits when HAProxy gave them. */
export function confirms(action: NodeAction, s: ServerStat): boolean {
  if (s.adminState === null) {
    const st = s.status.toUpperCase();
    if (action === 'maint') return st.startsWith('MAINT');
    if (action === 'drain') return st.startsWith('DRAIN');
    return !st.startsWith('MAINT') && !st.startsWith('DRAIN');
  }
  const a = s.adminState;
  if (action === 'maint') return (a & FMAINT) !== 0;
  if (action === 'drain') return (a & FDRAIN) !== 0 && (a & FMAINT) === 0;
  return (a & (FMAINT | FDRAIN)) === 0;
}
