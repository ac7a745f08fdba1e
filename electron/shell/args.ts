// The shell's own command-line options, read leniently: Chromium and Playwright add switches of their
// own (--remote-debugging-port, --inspect, ...), which are not ours to reject.
import { isAbsolute, resolve } from 'node:path';

export interface ShellArgs {
  /** --data-dir DIR (or --data-dir=DIR), the last one given; null when absent. */
  dataDir: string | null;
  /** --known-hosts FILE, repeatable, like the CLI: files the admin already trusts, read-only. */
  knownHosts: string[];
}

export class ShellArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShellArgsError';
  }
}

const OPTIONS = ['--data-dir', '--known-hosts'] as const;

export function parseShellArgs(argv: readonly string[], cwd: string = process.cwd()): ShellArgs {
  const out: ShellArgs = { dataDir: null, knownHosts: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = OPTIONS.find((o) => arg === o || arg.startsWith(`${o}=`));
    if (!name) continue;
    let value: string | undefined;
    if (arg === name) {
      value = argv[i + 1];
      // A missing value must not swallow the next switch as a path.
      if (value === undefined || value.startsWith('--')) throw new ShellArgsError(`${name} needs a value`);
      i++;
    } else {
      value = arg.slice(name.length + 1);
    }
    if (value === '') throw new ShellArgsError(`${name} needs a value`);
    const full = isAbsolute(value) ? value : resolve(cwd, value);
    if (name === '--data-dir') out.dataDir = full;
    else out.knownHosts.push(full);
  }
  return out;
}

/** --data-dir, then $CLUSTERDECK_DATA_DIR, then Electron's userData folder (what the CLI's default mirrors). */
export function chooseDataDir(args: ShellArgs, env: NodeJS.ProcessEnv, userData: string): string {
  if (args.dataDir) return args.dataDir;
  const fromEnv = env.CLUSTERDECK_DATA_DIR;
  if (fromEnv && fromEnv.trim() !== '') return resolve(fromEnv);
  return userData;
}
