import { readFileSync } from 'node:fs';
import { startApp, waitApp } from './app';
import type { LabCore } from './context';
import { LabError } from './errors';
import { netnsPids, signal, terminate, waitGone } from './exec';
import { startHaproxy, waitHaproxy } from './haproxy';
import { generateHostKeys } from './keys';
import { sshDir } from './layout';
import { setLink, setVip } from './netns';
import { LB_NAMES, vipOf } from './plan';
import { startSshd, waitSshd } from './sshd';
import type { HostName, LabFaults, LbName, NodeName, ServiceName } from './types';

const READY_MS = 20_000;

function checkService(core: LabCore, host: HostName, service: ServiceName): void {
  const h = core.hosts[host];
  if (!h) throw new LabError('argument', `no lab host "${host}"`);
  if (service === 'app' && h.role !== 'node') throw new LabError('argument', `${host} is a load balancer; it runs no app`, { host, service });
  if (service === 'haproxy' && h.role !== 'lb') throw new LabError('argument', `${host} is an app node; it runs no haproxy`, { host, service });
  if (!['sshd', 'app', 'haproxy'].includes(service)) throw new LabError('argument', `unknown lab service "${service}"`, { host });
}

/** Every haproxy process of an LB (master and workers), found in its netns rather than trusted from a pidfile. */
async function haproxyPids(core: LabCore, lb: LbName): Promise<number[]> {
  const pids = await netnsPids(core.hosts[lb].netns);
  return pids.filter((p) => {
    try {
      return readFileSync(`/proc/${p}/comm`, 'utf8').trim() === 'haproxy';
    } catch {
      return false;
    }
  });
}

export async function stopService(core: LabCore, host: HostName, service: ServiceName): Promise<void> {
  checkService(core, host, service);
  // sshd: only the listener goes, like `systemctl stop ssh`; sessions already open survive.
  await core.procs.stopService(host, service);
  if (service === 'haproxy') {
    const left = await terminate(await haproxyPids(core, host as LbName), 3000);
    if (left.length) throw new LabError('service', `haproxy on ${host}: pids ${left.join(',')} survived SIGKILL`, { host, service });
  }
}

export async function startService(core: LabCore, host: HostName, service: ServiceName): Promise<void> {
  checkService(core, host, service);
  if (service === 'haproxy' && !core.procs.running(host, service)) {
    // A leftover worker would still hold :80 and the new master could not bind.
    await terminate(await haproxyPids(core, host as LbName), 2000);
  }
  if (!core.procs.running(host, service)) {
    if (service === 'sshd') startSshd(core, host);
    else if (service === 'app') startApp(core, host as NodeName);
    else startHaproxy(core, host as LbName);
  }
  if (service === 'sshd') await waitSshd(core, host, READY_MS);
  else if (service === 'app') await waitApp(core, host as NodeName, READY_MS, false);
  else await waitHaproxy(core, host as LbName, READY_MS, false);
}

export function createFaults(core: LabCore, onHostKeysChanged: (host: HostName) => void, assertLive: () => void): LabFaults {
  return {
    async stop(host, service) {
      assertLive();
      await stopService(core, host, service);
    },
    async start(host, service) {
      assertLive();
      await startService(core, host, service);
    },
    async cutLink(host) {
      assertLive();
      await setLink(core.hosts[host], false);
    },
    async healLink(host) {
      assertLive();
      await setLink(core.hosts[host], true);
    },
    async moveVip(to) {
      assertLive();
      const vip = vipOf(core.slot);
      for (const lb of LB_NAMES) await setVip(core.hosts[lb], vip, false);
      if (to) await setVip(core.hosts[to], vip, true);
    },
    async killHaproxy(lb) {
      assertLive();
      checkService(core, lb, 'haproxy');
      const pids = new Set(await haproxyPids(core, lb));
      const master = core.procs.running(lb, 'haproxy');
      if (master) pids.add(master.pid);
      for (const p of pids) signal(p, 'SIGKILL');
      const left = await waitGone([...pids], 3000);
      if (left.length) throw new LabError('service', `haproxy on ${lb}: pids ${left.join(',')} survived SIGKILL`, { host: lb, service: 'haproxy' });
    },
    async rotateHostKey(host) {
      assertLive();
      await generateHostKeys(sshDir(core.dir, host), host);
      onHostKeysChanged(host);
      await stopService(core, host, 'sshd');
      await startService(core, host, 'sshd');
    },
  };
}
