import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { startAgent } from './agent';
import { startApp, waitApp } from './app';
import { labAvailable } from './availability';
import type { LabCore } from './context';
import { LabError, errorMessage } from './errors';
import { createFaults } from './fault';
import { runtimeCommand, serverStatus, startHaproxy, waitHaproxy } from './haproxy';
import { hold, type HoldSet } from './hold';
import { HOST_KEY_TYPES, hostKeyPath, normaliseKeyType, readPublicKey, type PublicKeyInfo } from './keys';
import { adminSocket, masterSocket, sshDir } from './layout';
import { recordLockDir, releaseLock } from './lock';
import { createBridge, createHostNet, ensureForwardRule, setVip } from './netns';
import { HOST_NAMES, LB_NAMES, NODE_NAMES, planHosts, subnetOf, vipOf } from './plan';
import { ProcessTable } from './procs';
import { knownHostsLine } from './render';
import { prepareDir, writeLabFiles } from './setup';
import { acquireSlot } from './slots';
import { startSshd, waitSshd } from './sshd';
import { teardownLab } from './teardown';
import type { HostKeyType, HostName, Lab, StartLabOptions } from './types';
import { waitFor } from './wait';

const READY_MS = 20_000;

/** Starts every service, then waits for all of them at once and reports every one that is not ready. */
async function bringUp(core: LabCore): Promise<void> {
  for (const n of NODE_NAMES) startApp(core, n);
  for (const h of HOST_NAMES) startSshd(core, h);
  for (const lb of LB_NAMES) startHaproxy(core, lb);
  const waits = [
    ...HOST_NAMES.map((h) => waitSshd(core, h, READY_MS)),
    ...NODE_NAMES.map((n) => waitApp(core, n, READY_MS, true)),
    ...LB_NAMES.map((lb) => waitHaproxy(core, lb, READY_MS, true)),
  ];
  const failed = (await Promise.allSettled(waits)).filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length) {
    throw new LabError('service', `lab slot ${core.slot} did not come up:\n- ${failed.map((f) => errorMessage(f.reason)).join('\n- ')}`);
  }
}

function loadHostKeys(core: LabCore, host: HostName): Record<HostKeyType, PublicKeyInfo> {
  const out = {} as Record<HostKeyType, PublicKeyInfo>;
  for (const t of HOST_KEY_TYPES) out[t] = readPublicKey(`${hostKeyPath(sshDir(core.dir, host), t)}.pub`);
  return out;
}

export async function startLab(opts: StartLabOptions = {}): Promise<Lab> {
  const avail = labAvailable();
  if (!avail.ok) throw new LabError('unavailable', avail.reason);
  const { slot } = await acquireSlot(opts.slot);
  const core: LabCore = { slot, dir: '', hosts: planHosts(slot), procs: new ProcessTable() };
  const holds: HoldSet = new Set();
  try {
    core.dir = prepareDir(slot, opts.dir);
    recordLockDir(slot, core.dir);
    const passphrase = `cdlab-${randomBytes(9).toString('base64url')}`;
    const files = await writeLabFiles(core, passphrase);
    await createBridge(slot);
    await Promise.all(HOST_NAMES.map((h) => createHostNet(slot, core.hosts[h])));
    await setVip(core.hosts.lb1, vipOf(slot), true);
    await ensureForwardRule(slot);
    await bringUp(core);
    return buildLab(core, holds, files);
  } catch (e) {
    try {
      await teardownLab(core, holds);
    } catch (te) {
      throw new LabError('service', `${errorMessage(e)}\n(and cleaning up the failed start also failed: ${errorMessage(te)})`);
    } finally {
      releaseLock(slot);
    }
    throw e;
  }
}

function buildLab(
  core: LabCore,
  holds: HoldSet,
  files: { keyFile: string; encryptedKeyFile: string; passphrase: string; inventoryYaml: string; inventoryIni: string },
): Lab {
  const hostKeys = new Map<HostName, Record<HostKeyType, PublicKeyInfo>>();
  for (const h of HOST_NAMES) hostKeys.set(h, loadHostKeys(core, h));
  const knownHostsFile = `${core.dir}/known_hosts`;
  let stopping: Promise<void> | null = null;
  let agents = 0;

  const assertLive = (): void => {
    if (stopping) throw new LabError('argument', `lab slot ${core.slot} is stopped`);
  };
  const knownHostsLines = (types?: HostKeyType[]): string[] =>
    HOST_NAMES.flatMap((h) =>
      (types ?? HOST_KEY_TYPES).map((t) => {
        const k = hostKeys.get(h)?.[t];
        if (!k) throw new LabError('argument', `no ${t} host key for ${h}`, { host: h });
        return knownHostsLine(core.hosts[h].ip, core.hosts[h].sshPort, k.type, k.blob);
      }),
    );
  const writeKnownHosts = (): void => writeFileSync(knownHostsFile, `${knownHostsLines().join('\n')}\n`);
  writeKnownHosts();

  const lab: Lab = {
    slot: core.slot,
    dir: core.dir,
    subnet: subnetOf(core.slot),
    hosts: core.hosts,
    backend: 'app',
    vip: vipOf(core.slot),
    ...files,
    knownHostsFile,
    knownHostsLines,
    hostKeyFingerprint(host, type) {
      const k = hostKeys.get(host)?.[normaliseKeyType(type)];
      if (!k) throw new LabError('argument', `no lab host "${host}"`);
      return k.fingerprint;
    },
    adminSocketPath: (lb) => adminSocket(core.dir, lb),
    masterSocketPath: (lb) => masterSocket(core.dir, lb),
    runtime: (lb, command, o) => runtimeCommand(o?.master ? masterSocket(core.dir, lb) : adminSocket(core.dir, lb), command, o?.timeoutMs),
    serverStatus: (lb, server) => serverStatus(core, lb, server),
    waitFor: (cond, o) => waitFor(cond, o),
    async startAgent() {
      assertLive();
      agents += 1;
      return startAgent(core, agents, files.encryptedKeyFile, readPublicKey(`${files.encryptedKeyFile}.pub`).fingerprint);
    },
    async hold(lb, node, seconds) {
      assertLive();
      return hold(core, holds, lb, node, seconds);
    },
    fault: createFaults(
      core,
      (host) => {
        hostKeys.set(host, loadHostKeys(core, host));
        writeKnownHosts();
      },
      assertLive,
    ),
    stop() {
      stopping ??= teardownLab(core, holds);
      return stopping;
    },
  };
  return lab;
}
