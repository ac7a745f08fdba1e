/**
 * One managed file on one host as a target of the config engine: the desired content, the file's
 * validate command, its reload (a command on the host, or ClusterDeck's confirmed HAProxy reload),
 * and as verification its check command and the wait for its service port.
 */
import type { ClusterSpec, LbSpec } from '../../shared/domain/cluster';
import type { ManagedFile } from '../../shared/domain/managed-files';
import { CdError } from '../../shared/errors';
import type { ConfigTarget, ReloadDone } from '../config/config-change';
import { reloadHaproxy } from '../config/haproxy-reload';
import type { Connections } from '../core/connections';
import type { SshLink } from '../ssh/ssh-link';
import type { CommandLog } from './command-recorder';
import { hostSpec } from './file-hosts';
import { runHostCommand, waitForPort } from './host-command';

export interface FileTargetOptions {
  cluster: ClusterSpec;
  host: string;
  file: ManagedFile;
  /** What the file must hold on the host. */
  content: string;
  /** The host's link (a recording one, for the audit log). */
  link: SshLink;
  conns: Connections;
  portWaitSec: number;
  log?: CommandLog;
  signal?: AbortSignal | undefined;
  /** Called after every reload that succeeded (also the one after a restore). */
  onReloaded?: (host: string, file: string) => Promise<void> | void;
}

export function fileTarget(o: FileTargetOptions): ConfigTarget {
  const { cluster, host, file, link } = o;
  const { spec, role } = hostSpec(cluster, host);

  let reloadOnce: (() => Promise<string | ReloadDone>) | null = null;
  if (file.reload.kind === 'command') {
    const command = file.reload.command;
    reloadOnce = () => runHostCommand(link, command, 'reload');
  } else if (file.reload.kind === 'haproxy') {
    if (role !== 'lb') throw new CdError('INVALID_ARGUMENT', `${host}: managed file "${file.id}" reloads HAProxy, but ${host} is not a load balancer`, { host, file: file.id });
    const lb = spec as LbSpec;
    // The whole result: the journal keeps the old and new worker pid.
    reloadOnce = () => reloadHaproxy({ link, lb, runtime: o.conns.runtime(cluster, lb) });
  }
  const reload = reloadOnce
    ? async (): Promise<string | ReloadDone> => {
        const detail = await reloadOnce!();
        await o.onReloaded?.(host, file.id);
        return detail;
      }
    : undefined;

  const checks = file.check !== null || file.servicePort !== null;
  const verify = checks
    ? async (): Promise<string> => {
        const parts: string[] = [];
        if (file.check !== null) {
          const out = await runHostCommand(link, file.check, 'check');
          parts.push(`check passed${out ? `: ${out.split('\n').pop()}` : ''}`);
        }
        if (file.servicePort !== null) {
          const ms = await waitForPort(link, spec.ssh.host, file.servicePort, o.portWaitSec, { ...(o.log ? { log: o.log } : {}), signal: o.signal });
          parts.push(`${spec.ssh.host}:${file.servicePort} answers (after ${ms} ms)`);
        }
        return parts.join('; ');
      }
    : undefined;

  return {
    target: host,
    link,
    path: file.path,
    render: () => o.content,
    ...(file.validate ? { validate: file.validate } : {}),
    ...(reload ? { reload } : {}),
    ...(verify ? { verify } : {}),
    keepBackups: file.keepBackups,
    create: true,
    attrs: { owner: file.owner, group: file.group, mode: file.mode },
  };
}
