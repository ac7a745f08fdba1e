/**
 * Restoring one backup of a managed file on one host, through the same path as a push: the backup's
 * content is staged, validated, the current file backed up, renamed over, reloaded and checked, and
 * put back if the reload or the check fails.
 */
import type { ClusterSpec } from '../../shared/domain/cluster';
import type { ConfigChangeResult, ConfigProgress } from '../../shared/domain/config-change';
import type { HostCommand, ManagedFile } from '../../shared/domain/managed-files';
import { CdError } from '../../shared/errors';
import { applyConfigChange } from '../config/config-change';
import { readRemoteFile } from '../config/remote-file';
import type { ConfigJournal } from '../config/config-journal';
import type { Connections } from '../core/connections';
import { listBackups } from './backups';
import { createCommandLog, recordingLink } from './command-recorder';
import { fileHosts, hostLink } from './file-hosts';
import { fileTarget } from './push-target';

export const ROLLBACK_PORT_WAIT_SEC = 30;

export interface RollbackOptions {
  id: string;
  cluster: ClusterSpec;
  file: ManagedFile;
  host: string;
  /** The backup's file name, as files.backups lists it. */
  backup: string;
  conns: Connections;
  recordReload(host: string, file: string, at: number): Promise<void>;
  onConfigProgress?: (p: ConfigProgress) => void;
  signal?: AbortSignal | undefined;
  /** The rollback's intent journal hook (its entry opened by the caller). */
  journal?: ConfigJournal;
}

export async function rollbackFile(o: RollbackOptions): Promise<{ result: ConfigChangeResult; commands: HostCommand[] }> {
  const { cluster, file, host } = o;
  if (!fileHosts(cluster, file).includes(host)) {
    throw new CdError('INVALID_ARGUMENT', `managed file "${file.id}" is not managed on ${host}`, { host, file: file.id });
  }
  const log = createCommandLog();
  const link = recordingLink(hostLink(o.conns, cluster, host), host, log);
  await link.connect();
  const backups = await listBackups(link, file.path, file.versions);
  const b = backups.find((x) => x.id === o.backup);
  if (!b) {
    const known = backups.length ? `its backups there: ${backups.map((x) => x.id).join(', ')}` : 'it has no backups there';
    throw new CdError('NOT_FOUND', `${host}: "${o.backup}" is not a backup of ${file.path} (${known})`, { host, path: file.path, backup: o.backup });
  }
  const saved = await readRemoteFile(link, b.path);
  if (saved.sha256 !== b.sha256) {
    throw new CdError('IO_ERROR', `${host}: backup ${b.path} changed while it was being read (sha256 ${saved.sha256.slice(0, 12)}… instead of ${b.sha256.slice(0, 12)}…); nothing was changed`, { host, path: b.path });
  }
  if (!Buffer.from(saved.content, 'utf8').equals(saved.bytes)) {
    throw new CdError('INVALID_ARGUMENT', `${host}: backup ${b.path} is not UTF-8 text; ClusterDeck restores text files only`, { host, path: b.path });
  }
  const target = fileTarget({
    cluster,
    host,
    file,
    content: saved.content,
    link,
    conns: o.conns,
    portWaitSec: ROLLBACK_PORT_WAIT_SEC,
    log,
    signal: o.signal,
    onReloaded: (h, id) => o.recordReload(h, id, Date.now()),
  });
  const result = await applyConfigChange({
    id: o.id,
    cluster: cluster.name,
    kind: 'managed-file',
    targets: [target],
    ...(o.onConfigProgress ? { onProgress: o.onConfigProgress } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.journal ? { journal: o.journal } : {}),
  });
  return { result, commands: log.list() };
}
