/**
 * The file operations the config engine needs, as one interface: the SSH implementation in
 * remote-file.ts by default, an in-memory host in the engine's unit tests.
 */
import type { SshLink } from '../ssh/ssh-link';
import {
  backupRemoteFile,
  pruneBackups,
  readRemoteFile,
  remoteSha256,
  removeCreatedFile,
  removeRemote,
  renameRemoteFile,
  restoreRemoteFile,
  stageRemoteFile,
  sweepStale,
  validateRemote,
  type RemoteFile,
  type StagedFile,
} from './remote-file';
import type { FileMeta } from './remote-scripts';

export interface FileOps {
  read(link: SshLink, path: string): Promise<RemoteFile>;
  /** Removes leftovers (temps, partial backups) of earlier cut runs; returns their paths. */
  sweep(link: SshLink, path: string): Promise<string[]>;
  stage(link: SshLink, path: string, content: string, meta: FileMeta | null): Promise<StagedFile>;
  validate(link: SshLink, command: string, tmp: string): Promise<{ ok: boolean; output: string }>;
  /** Copies the file to a new backup, refusing if its sha256 is no longer `expectSha256`. */
  backup(link: SshLink, path: string, expectSha256: string): Promise<string>;
  /**
   * Renames tmp over path, refusing if path's sha256 is no longer `expectSha256`, or (null) if a
   * file appeared where none was when it was read; returns the new sha256.
   */
  rename(link: SshLink, tmp: string, path: string, expectSha256: string | null): Promise<string>;
  /** Puts the backup back by rename; returns the restored file's sha256. */
  restore(link: SshLink, backup: string, path: string): Promise<string>;
  /** Undoes a creation: removes path while it still holds `expectSha256`. */
  removeCreated(link: SshLink, path: string, expectSha256: string): Promise<void>;
  remove(link: SshLink, tmp: string): Promise<void>;
  sha256(link: SshLink, path: string): Promise<string>;
  prune(link: SshLink, path: string, keep: number): Promise<string[]>;
}

export const sshFileOps: FileOps = {
  read: readRemoteFile,
  sweep: sweepStale,
  stage: (link, path, content, meta) => stageRemoteFile(link, path, content, meta),
  validate: (link, command, tmp) => validateRemote(link, command, tmp),
  backup: (link, path, expectSha256) => backupRemoteFile(link, path, { expectSha256 }),
  rename: (link, tmp, path, expectSha256) => renameRemoteFile(link, tmp, path, expectSha256 === null ? { expectAbsent: true } : { expectSha256 }),
  restore: restoreRemoteFile,
  removeCreated: removeCreatedFile,
  remove: removeRemote,
  sha256: remoteSha256,
  prune: pruneBackups,
};
