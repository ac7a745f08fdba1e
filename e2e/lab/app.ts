import { fileURLToPath } from 'node:url';
import type { LabCore } from './context';
import { tail } from './exec';
import { bindsFor, logPath } from './layout';
import { APP_PORT } from './plan';
import type { NodeName } from './types';
import { httpGet, waitFor } from './wait';

export const APP_SERVER = fileURLToPath(new URL('./app-server.mjs', import.meta.url));

export function startApp(core: LabCore, node: NodeName): void {
  const h = core.hosts[node];
  core.procs.spawn(
    h,
    'app',
    bindsFor(core.dir, h),
    [process.execPath, APP_SERVER, '--name', node, '--host', h.ip, '--port', String(APP_PORT)],
    logPath(core.dir, node, 'app'),
  );
}

/** healthy=true: /health must say 200; false: any HTTP answer will do (health-fail may be set on purpose). */
export async function waitApp(core: LabCore, node: NodeName, timeoutMs: number, healthy: boolean): Promise<void> {
  const h = core.hosts[node];
  const log = logPath(core.dir, node, 'app');
  await waitFor(
    async () => {
      const r = await httpGet(h.ip, APP_PORT, '/health', { timeoutMs: 1000 });
      return healthy ? r.status === 200 : r.status > 0;
    },
    {
      timeoutMs,
      intervalMs: 50,
      what: `app on ${node} (http://${h.ip}:${APP_PORT}/health) to answer${healthy ? ' 200' : ''}`,
      failIf: () => (core.procs.running(node, 'app') ? null : `app on ${node} exited`),
      detail: () => `app log (${log}):\n${tail(log)}`,
    },
  );
}
