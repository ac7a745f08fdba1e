import { Command, CommanderError } from 'commander';
import { CdError, isCdError } from '../../shared/errors';
import { registerCommands, type Out } from './commands';
import { EXIT, EXIT_HELP, exitForError } from './exit-codes';
import { registerFailoverCommand } from './failover-command';
import { registerFilesCommands } from './files-command';
import type { GlobalOptions } from './session';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** Builds the CLI; `argv` excludes node and script. Returns the exit code instead of exiting, for tests. */
export async function runCli(argv: string[], out: Out = { log: (s) => console.log(s), err: (s) => console.error(s) }): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('clusterdeck')
    .description('ClusterDeck: drive HA clusters behind HAProxy from the command line (the same core as the desktop app)')
    .option('--data-dir <dir>', 'data directory (default: the desktop app\'s, e.g. ~/.config/ClusterDeck; or $CLUSTERDECK_DATA_DIR)')
    .option('--known-hosts <file>', 'a known_hosts file you already trust, read-only (repeatable)', collect)
    .option('--accept-host-key <SHA256:...>', 'accept an unknown host key with this fingerprint and pin it (repeatable)', collect)
    .addHelpText('after', `\n${EXIT_HELP}`)
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.log(s.trimEnd()), writeErr: (s) => out.err(s.trimEnd()) });

  const run = async (fn: (g: GlobalOptions) => Promise<number>): Promise<void> => {
    const g = program.opts<GlobalOptions>();
    try {
      code = await fn(g);
    } catch (e) {
      const err = isCdError(e) ? e : new CdError('INTERNAL', e instanceof Error ? e.message : String(e));
      out.err(`error [${err.code}]: ${err.message}`);
      code = exitForError(err.code);
    }
  };
  registerCommands(program, run, out);
  registerFailoverCommand(program, run, out);
  registerFilesCommands(program, run, out);

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    if (isCdError(e)) {
      out.err(`error [${e.code}]: ${e.message}`);
      return exitForError(e.code);
    }
    throw e;
  }
  return code;
}

const isMain = process.argv[1] !== undefined && /(?:cli[\\/]main\.ts|clusterdeck(?:\.mjs)?|cli\.mjs)$/.test(process.argv[1]);
if (isMain) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
      process.exit(EXIT.error);
    },
  );
}
