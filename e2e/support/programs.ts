/**
 * Every program the lab and the tests start goes through here: it is looked up on this machine
 * first, and a missing one fails with the Debian package that provides it (from the one list,
 * scripts/system-packages.json) instead of a confusing test failure further on.
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Read, not imported: Playwright's ESM loader refuses a JSON import without import attributes.
const list = JSON.parse(readFileSync(fileURLToPath(new URL('../../scripts/system-packages.json', import.meta.url)), 'utf8')) as {
  packages: Array<{ package: string; programs: string[] }>;
};

const SEARCH_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

const PACKAGE_OF = new Map<string, string>(list.packages.flatMap((p) => p.programs.map((prog) => [prog, p.package] as const)));

/** The Debian package that provides `program`, from the one list; null when the list does not name it. */
export function packageOf(program: string): string | null {
  return PACKAGE_OF.get(program.split('/').pop()!) ?? null;
}

export class MissingProgramError extends Error {
  readonly program: string;
  readonly pkg: string | null;
  constructor(program: string, where = 'on this machine') {
    const pkg = packageOf(program);
    super(
      pkg
        ? `${program} is missing ${where}: install the Debian package ${pkg} (it is in scripts/system-packages.json; npm test installs the list when run as root)`
        : `${program} is missing ${where}, and scripts/system-packages.json names no package for it: add it there`,
    );
    this.name = 'MissingProgramError';
    this.program = program;
    this.pkg = pkg;
  }
}

/** Absolute path of an executable, looking in PATH and the sbin dirs a non-login root shell may lack. */
export function which(bin: string): string | null {
  if (bin.includes('/')) {
    try {
      accessSync(bin, constants.X_OK);
      return bin;
    } catch {
      return null;
    }
  }
  const dirs = [...(process.env.PATH ?? '').split(':').filter(Boolean), ...SEARCH_PATH];
  for (const d of dirs) {
    try {
      accessSync(`${d}/${bin}`, constants.X_OK);
      return `${d}/${bin}`;
    } catch {
      // keep looking
    }
  }
  return null;
}

/** The program's path; throws MissingProgramError naming its package when it is not installed. */
export function requireProgram(program: string): string {
  const path = which(program);
  if (!path) throw new MissingProgramError(program);
  return path;
}

/**
 * A shell's "not found" for a command (`sh: 1: socat: not found`, `bash: line 1: socat: command not
 * found`) as the missing program, or null. Checked whatever the exit status: in a pipeline the last
 * command's status hides it. A command run on a lab host over SSH uses this machine's binaries, so
 * the same package is missing here.
 */
export function missingFromShell(stderr: string): MissingProgramError | null {
  const m = /(?:^|\n)(?:\S+: )?(?:\d+: )?(?:line \d+: )?([\w.+-]+): (?:command )?not found/.exec(stderr);
  return m ? new MissingProgramError(m[1]!, 'where a command needed it') : null;
}
