import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'ClusterDeck';

/**
 * The folder Electron's app.getPath('userData') returns for an app named ClusterDeck, computed
 * without Electron so the CLI and the desktop app share one data directory.
 */
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME);
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_NAME);
  const config = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(config, APP_NAME);
}

export interface DataPaths {
  root: string;
  clusters: string;
  audit: string;
  /** Managed files: per cluster a manifest and each version's content. */
  files: string;
  locks: string;
  knownHosts: string;
  /** What ClusterDeck last saw of each LB's worker (pid, server states), to notice reloads it did not do. */
  reloads: string;
}

export function dataPaths(root: string): DataPaths {
  return {
    root,
    clusters: join(root, 'clusters'),
    audit: join(root, 'audit'),
    files: join(root, 'files'),
    locks: join(root, 'locks'),
    knownHosts: join(root, 'known_hosts'),
    reloads: join(root, 'reloads'),
  };
}
