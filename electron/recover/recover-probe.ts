/**
 * Reading what an interrupted change's hosts hold now (one sha256 per file, hosts in parallel), and
 * how to reload and check a recorded target again without the change that started it.
 */
import type { ClusterSpec, LbSpec } from '../../shared/domain/cluster';
import type { JournalEntry, JournalTarget } from '../../shared/domain/journal';
import { CdError } from '../../shared/errors';
import type { ReloadDone } from '../config/config-journal';
import { reloadHaproxy } from '../config/haproxy-reload';
import { remoteSha256 } from '../config/remote-file';
import type { Connections } from '../core/connections';
import type { CommandLog } from '../files/command-recorder';
import { hostLink, hostSpec } from '../files/file-hosts';
import { runHostCommand, waitForPort } from '../files/host-command';
import type { SshLink } from '../ssh/ssh-link';
import { targetKey, touched, type Probe } from './recover-plan';

/** The port wait of a recovery's check (the push's default). */
export const RECOVER_PORT_WAIT_SEC = 30;

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** sha256 of every touched target's file on its host (null: no such file), or why it could not be read. */
export async function probeTargets(conns: Connections, cluster: ClusterSpec, e: JournalEntry, linkOf?: (host: string) => SshLink): Promise<Map<string, Probe>> {
  const out = new Map<string, Probe>();
  const todo = e.targets.filter(touched);
  const hosts = [...new Set(todo.map((t) => t.host))];
  await Promise.all(
    hosts.map(async (host) => {
      const mine = todo.filter((t) => t.host === host);
      let link: SshLink;
      try {
        link = linkOf ? linkOf(host) : hostLink(conns, cluster, host);
        await link.connect();
      } catch (err) {
        for (const t of mine) out.set(targetKey(t), { error: message(err) });
        return;
      }
      for (const t of mine) {
        try {
          out.set(targetKey(t), { sha: await remoteSha256(link, t.path) });
        } catch (err) {
          if (err instanceof CdError && err.code === 'NOT_FOUND') out.set(targetKey(t), { sha: null });
          else out.set(targetKey(t), { error: message(err) });
        }
      }
    }),
  );
  return out;
}

/** How to reload and check one target again, from what the journal recorded about it. */
export interface TargetOps {
  reload(): Promise<string | ReloadDone>;
  verify(): Promise<string>;
}

/** A managed file's target: its recorded reload (a command, or ClusterDeck's HAProxy reload), check and port. */
export function fileTargetOps(o: { cluster: ClusterSpec; conns: Connections; link: SshLink; t: JournalTarget; log: CommandLog }): TargetOps {
  const { cluster, conns, link, t } = o;
  return {
    async reload() {
      if (t.reload.kind === 'command') return runHostCommand(link, t.reload.command, 'reload');
      if (t.reload.kind === 'haproxy') {
        const { spec, role } = hostSpec(cluster, t.host);
        if (role !== 'lb') throw new CdError('INVALID_ARGUMENT', `${t.host} is not a load balancer: it has no HAProxy to reload`, { host: t.host });
        return reloadHaproxy({ link, lb: spec as LbSpec, runtime: conns.runtime(cluster, spec as LbSpec) });
      }
      return 'nothing to reload';
    },
    async verify() {
      const parts: string[] = [];
      const onDisk = await remoteSha256(link, t.path);
      if (onDisk !== t.shaNew) throw new CdError('NOT_CONFIRMED', `${t.host}: ${t.path} is not the file the change wrote (sha256 ${onDisk.slice(0, 12)}…)`, { host: t.host, path: t.path });
      parts.push(`${t.path} on disk is the new file (sha256 ${onDisk.slice(0, 12)}…)`);
      if (t.check) {
        const out = await runHostCommand(link, t.check, 'check');
        parts.push(`check passed${out ? `: ${out.split('\n').pop()}` : ''}`);
      }
      if (t.servicePort !== null) {
        const address = hostSpec(cluster, t.host).spec.ssh.host;
        const ms = await waitForPort(link, address, t.servicePort, RECOVER_PORT_WAIT_SEC, { log: o.log });
        parts.push(`${address}:${t.servicePort} answers (after ${ms} ms)`);
      }
      return parts.join('; ');
    },
  };
}
