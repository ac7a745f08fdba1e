import { runCli } from './main';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs the CLI in-process, exactly as the bin does, capturing what it prints. */
export async function cli(args: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { log: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
