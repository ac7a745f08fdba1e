#!/usr/bin/env node
// Runs the lab CLI (e2e/lab/cli.ts) in this same process through tsx, so Ctrl-C reaches the lab
// directly and its own handler stops everything before exiting.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../e2e/lab/cli.ts');
const args = process.argv.slice(2);
const code = await main(args);
// `up` stays in the foreground until its signal handler exits the process.
if (code !== 0 || args[0] !== 'up') process.exit(code);
