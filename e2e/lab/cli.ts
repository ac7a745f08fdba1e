import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { labAvailable } from './availability';
import { cleanupAllLabs } from './cleanup';
import { errorMessage } from './errors';
import { runtimeCommand } from './haproxy';
import { findServerRow, parseShowStat } from './haproxy-stats';
import { adminSocket } from './layout';
import { ownerAlive, readLock } from './lock';
import { listLinks, listNetns } from './netns';
import { BACKEND, HOST_NAMES, LB_NAMES, MAX_SLOTS, NODE_NAMES, slotOfName } from './plan';
import { startLab } from './lab';
import { installSignalCleanup } from './signal-cleanup';
import type { Lab } from './types';

const USAGE = `usage: node scripts/lab.mjs <command>
  up [--slot N] [--dir DIR]   start a lab and keep it running until Ctrl-C (then stop it)
  down --all [--force]        remove leftovers of crashed labs (--force: also labs still running)
  status                      list lab slots in use and their HAProxy server states`;

const out = (s = ''): void => {
  process.stdout.write(`${s}\n`);
};

function describe(lab: Lab, ms: number): void {
  out(`ClusterDeck lab slot ${lab.slot} up in ${ms} ms`);
  out(`  dir        ${lab.dir}`);
  out(`  subnet     ${lab.subnet} (host side ${lab.subnet.replace('.0/24', '.1')})`);
  for (const h of HOST_NAMES) {
    const x = lab.hosts[h];
    out(`  ${h.padEnd(6)}     ${x.ip.padEnd(12)} ssh :${x.sshPort}  netns ${x.netns}  veth ${x.vethHost}`);
  }
  out(`  key        ${lab.keyFile}`);
  out(`  key (pass) ${lab.encryptedKeyFile}  passphrase: ${lab.passphrase}`);
  out(`  inventory  ${lab.inventoryYaml}`);
  out(`             ${lab.inventoryIni}`);
  for (const lb of LB_NAMES) out(`  ${lb} admin  ${lab.adminSocketPath(lb)}  (frontend http://${lab.hosts[lb].ip}/)`);
  out(`  known_hosts ${lab.knownHostsFile}:`);
  for (const l of lab.knownHostsLines()) out(`    ${l}`);
  out('');
  out(`  try: ssh -F /dev/null -i ${lab.keyFile} -o UserKnownHostsFile=${lab.knownHostsFile} root@${lab.hosts.node1.ip} cat /srv/app/app.conf`);
  out(`       curl -s http://${lab.hosts.lb1.ip}/`);
  out('');
  out('Ctrl-C stops the lab and removes everything it created.');
}

async function up(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { slot: { type: 'string' }, dir: { type: 'string' } } });
  const t0 = Date.now();
  const lab = await startLab({
    ...(values.slot !== undefined ? { slot: Number(values.slot) } : {}),
    ...(values.dir !== undefined ? { dir: values.dir } : {}),
  });
  installSignalCleanup(lab);
  describe(lab, Date.now() - t0);
  // Stay in the foreground; the signal handler stops the lab and exits.
  setInterval(() => undefined, 1 << 30);
}

async function down(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { all: { type: 'boolean' }, force: { type: 'boolean' } } });
  if (!values.all) throw new Error(`down needs --all (a running lab stops itself on Ctrl-C)\n${USAGE}`);
  const removed = await cleanupAllLabs({ force: values.force ?? false, onSkip: (m) => out(`skipped ${m}`) });
  out(removed.length ? removed.map((r) => `removed ${r}`).join('\n') : 'nothing to remove');
}

async function lbSummary(dir: string): Promise<string[]> {
  const lines: string[] = [];
  for (const lb of LB_NAMES) {
    const sock = adminSocket(dir, lb);
    if (!existsSync(sock)) continue;
    try {
      const rows = parseShowStat(await runtimeCommand(sock, 'show stat', 2000));
      const st = NODE_NAMES.map((n) => {
        const r = findServerRow(rows, BACKEND, n);
        return `${n}=${r ? `${r.status} scur=${r.scur}` : '?'}`;
      });
      lines.push(`    ${lb}: ${st.join('  ')}`);
    } catch (e) {
      lines.push(`    ${lb}: ${errorMessage(e)}`);
    }
  }
  return lines;
}

async function status(): Promise<void> {
  const [ns, links] = await Promise.all([listNetns(), listLinks()]);
  let any = false;
  for (let slot = 0; slot < MAX_SLOTS; slot++) {
    const lock = readLock(slot);
    const nsHere = ns.filter((n) => slotOfName(n) === slot);
    const linksHere = links.filter((l) => slotOfName(l) === slot);
    if (!lock && nsHere.length === 0 && linksHere.length === 0) continue;
    any = true;
    const owner = lock ? `pid ${lock.pid} ${ownerAlive(lock) ? 'running' : 'DEAD (stale: run down --all)'}` : 'no lock (leftover: run down --all)';
    out(`slot ${slot}: ${owner}; ${nsHere.length} netns, ${linksHere.length} links${lock?.dir ? `; dir ${lock.dir}` : ''}`);
    if (lock?.dir) for (const l of await lbSummary(lock.dir)) out(l);
  }
  if (!any) out('no lab running');
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    if (cmd === 'up' || cmd === 'down' || cmd === 'status') {
      const avail = labAvailable();
      if (!avail.ok) throw new Error(avail.reason);
    }
    if (cmd === 'up') await up(rest);
    else if (cmd === 'down') await down(rest);
    else if (cmd === 'status') await status();
    else {
      out(USAGE);
      return cmd === undefined || cmd === 'help' || cmd === '--help' ? 0 : 2;
    }
    return 0;
  } catch (e) {
    process.stderr.write(`lab ${cmd}: ${errorMessage(e)}\n`);
    return 1;
  }
}

const isMain = process.argv[1] !== undefined && /cli\.ts$/.test(process.argv[1]);
if (isMain) {
  void main(process.argv.slice(2)).then((code) => {
    // `up` keeps running (its interval and signal handler own the exit).
    if (code !== 0 || process.argv[2] !== 'up') process.exit(code);
  });
}
