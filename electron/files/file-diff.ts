import type { ClusterSpec } from '../../shared/domain/cluster';
import type { FileDiff, ManagedFile } from '../../shared/domain/managed-files';
import { CdError } from '../../shared/errors';
import { unifiedDiff } from '../config/config-change';
import { readRemoteFile } from '../config/remote-file';
import type { Connections } from '../core/connections';
import { fileHosts, hostLink } from './file-hosts';
import { checkHostFiles } from './sync-check';

/** Refuses a host the file is not managed on, naming both. */
export function assertManagedOn(cluster: ClusterSpec, f: ManagedFile, host: string): void {
  if (!fileHosts(cluster, f).includes(host)) {
    throw new CdError('INVALID_ARGUMENT', `${cluster.name}: "${f.id}" is not managed on ${host} (it is on ${fileHosts(cluster, f).join(', ') || 'no host'})`, { cluster: cluster.name, host, file: f.id });
  }
}

/**
 * One cell and its line diff, on the host → desired. The diff is null when there is nothing to
 * compare (missing, unreadable, host down) or the file on the host is not UTF-8 text.
 */
export async function fileDiff(conns: Connections, cluster: ClusterSpec, f: ManagedFile, desired: string, host: string, reloads: Map<string, number>): Promise<FileDiff> {
  assertManagedOn(cluster, f, host);
  const link = hostLink(conns, cluster, host);
  const [cell] = await checkHostFiles(link, host, [f], reloads);
  const base = { host, file: f.id, path: f.path, state: cell!.state, desiredSha256: f.current.sha256, sha256: cell!.sha256, detail: cell!.detail };
  if (cell!.state === 'missing' || cell!.state === 'unreadable' || cell!.state === 'unknown') return { ...base, diff: null };
  const remote = await readRemoteFile(link, f.path);
  // The file may have changed since the check: report what was diffed.
  const sha256 = remote.sha256;
  if (!Buffer.from(remote.content, 'utf8').equals(remote.bytes)) {
    return { ...base, sha256, diff: null, detail: `${base.detail}; the file on ${host} is not UTF-8 text: no line diff` };
  }
  return { ...base, sha256, diff: unifiedDiff(f.path, remote.content, desired, [`on ${host}`, 'desired']) };
}
