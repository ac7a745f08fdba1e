import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { TMP_PREFIX } from './cleanup';
import type { LabCore } from './context';
import { LabError } from './errors';
import { startTimeOf } from './exec';
import { writeHaproxyConfig } from './haproxy';
import { generateHostKeys, generateKey } from './keys';
import {
  MAX_SOCKET_PATH,
  MOUNTPOINTS,
  authorizedKeysPath,
  keysDir,
  lbEtc,
  lbRun,
  lbVarLib,
  logsDir,
  masterSocket,
  hostHome,
  nodeSrv,
  sshDir,
} from './layout';
import { DIR_MARKER, HOST_NAMES, LB_NAMES, NODE_NAMES } from './plan';
import { APP_SERVER } from './app';
import { renderAppConf, renderAskpass, renderCheckConfScript, renderInventoryIni, renderInventoryYaml, renderReloadScript } from './render';
import { writeSshdConfig } from './sshd';

/** Creates (or validates) the lab dir and marks it as the lab's, so cleanup may delete it later. */
export function prepareDir(slot: number, wanted?: string): string {
  let dir: string;
  if (wanted) {
    dir = resolve(wanted);
    if (existsSync(dir) && readdirSync(dir).length > 0) {
      throw new LabError('argument', `lab dir ${dir} exists and is not empty; the lab deletes its dir on stop, so give it a new or empty one`);
    }
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } else {
    dir = mkdtempSync(`${tmpdir()}/${TMP_PREFIX}${slot}-`);
  }
  if (Buffer.byteLength(masterSocket(dir, 'lb1')) > MAX_SOCKET_PATH) {
    throw new LabError('argument', `lab dir ${dir} is too long: ${masterSocket(dir, 'lb1')} exceeds the ${MAX_SOCKET_PATH}-byte unix socket limit`);
  }
  writeFileSync(`${dir}/${DIR_MARKER}`, JSON.stringify({ pid: process.pid, startTime: startTimeOf(process.pid), dir, slot, createdAt: Date.now() }));
  return dir;
}

export interface LabKeys {
  keyFile: string;
  encryptedKeyFile: string;
  passphrase: string;
}

/** Directories, keys, configs and seed files; everything the services read, before any of them starts. */
export async function writeLabFiles(core: LabCore, passphrase: string): Promise<LabKeys & { inventoryYaml: string; inventoryIni: string }> {
  const { dir } = core;
  for (const m of MOUNTPOINTS) mkdirSync(m, { recursive: true });
  for (const d of [keysDir(dir), logsDir(dir)]) mkdirSync(d, { recursive: true });
  for (const h of HOST_NAMES) mkdirSync(sshDir(dir, h), { recursive: true });
  for (const h of HOST_NAMES) mkdirSync(hostHome(dir, h), { recursive: true, mode: 0o700 });
  for (const n of NODE_NAMES) mkdirSync(`${nodeSrv(dir, n)}/app`, { recursive: true });
  for (const lb of LB_NAMES) for (const d of [lbEtc(dir, lb), lbRun(dir, lb), lbVarLib(dir, lb)]) mkdirSync(d, { recursive: true });

  const keyFile = `${keysDir(dir)}/id_ed25519`;
  const encryptedKeyFile = `${keysDir(dir)}/id_ed25519_pass`;
  await Promise.all([
    generateKey(keyFile, 'ssh-ed25519', '', 'clusterdeck-lab'),
    generateKey(encryptedKeyFile, 'ssh-ed25519', passphrase, 'clusterdeck-lab-pass'),
    ...HOST_NAMES.map((h) => generateHostKeys(sshDir(dir, h), h)),
  ]);
  writeFileSync(authorizedKeysPath(dir), `${readFileSync(`${keyFile}.pub`, 'utf8')}${readFileSync(`${encryptedKeyFile}.pub`, 'utf8')}`);
  const askpass = `${keysDir(dir)}/askpass.sh`;
  writeFileSync(askpass, renderAskpass(passphrase), { mode: 0o700 });
  chmodSync(askpass, 0o700);

  for (const h of HOST_NAMES) writeSshdConfig(core, h);
  for (const lb of LB_NAMES) writeHaproxyConfig(core, lb);
  for (const n of NODE_NAMES) {
    const app = `${nodeSrv(dir, n)}/app`;
    writeFileSync(`${app}/app.conf`, renderAppConf(core.hosts[n], core.slot));
    writeFileSync(`${app}/reload`, renderReloadScript(), { mode: 0o755 });
    writeFileSync(`${app}/check-conf`, renderCheckConfScript(process.execPath, APP_SERVER), { mode: 0o755 });
  }

  const inventoryYaml = `${dir}/inventory.yml`;
  const inventoryIni = `${dir}/inventory.ini`;
  writeFileSync(inventoryYaml, renderInventoryYaml({ hosts: core.hosts, keyFile }));
  writeFileSync(inventoryIni, renderInventoryIni({ hosts: core.hosts, keyFile }));
  return { keyFile, encryptedKeyFile, passphrase, inventoryYaml, inventoryIni };
}
