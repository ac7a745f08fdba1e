import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client, Server, type ConnectConfig } from 'ssh2';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HostKey } from '../../../shared/domain/host-keys';
import { CdError } from '../../../shared/errors';
import { createHostKeyStore, type HostKeyStore } from './host-key-store';
import { createHostVerifier, isHostKeyFormatMismatch, type HostVerifier, type HostVerifierOptions } from './host-verifier';
import { fingerprintSha256, hashKnownHostsName, hostKeyAlgorithmsFor, knownHostsName } from './known-hosts-format';
import { haveSshKeygen, ssh2Key, tempDir, type TestKey } from './test-support';

/**
 * Handshake-level tests against an in-process ssh2 Server on 127.0.0.1 that has BOTH an ed25519 and
 * an ecdsa host key. Only host-key / key-exchange behaviour is exercised here.
 */

const HOST = '127.0.0.1';
const ed = ssh2Key('ed25519');
const ec = ssh2Key('ecdsa');
const other = ssh2Key('ed25519');
const fp = (k: TestKey) => fingerprintSha256(k.blob);
const hostKey = (port: number, k: TestKey): HostKey => ({ host: HOST, port, keyType: k.keyType, fingerprint: fp(k), key: k.b64 });

interface TestServer {
  port: number;
  /** Authentication attempts the server saw since the last connect() below. */
  authCalls: number;
  resetAuthCalls: () => void;
  close: () => Promise<void>;
}

async function startServer(keys: TestKey[]): Promise<TestServer> {
  const conns = new Set<{ end: () => void }>();
  const state = { authCalls: 0 };
  const server = new Server({ hostKeys: keys.map((k) => k.privateKey) }, (client) => {
    conns.add(client);
    client.on('error', () => {}); // the client hanging up mid-handshake is expected here
    client.on('close', () => conns.delete(client));
    client.on('authentication', (ctx) => {
      state.authCalls++;
      ctx.accept();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    get authCalls() {
      return state.authCalls;
    },
    resetAuthCalls: () => {
      state.authCalls = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of conns) c.end();
        server.close(() => resolve());
      }),
  };
}

type Attempt = { ok: true; negotiated: string | undefined } | { ok: false; err: Error };

/** One connection attempt; the client is always closed before this resolves. */
function attempt(port: number, extra: Pick<ConnectConfig, 'hostVerifier' | 'algorithms'>): Promise<Attempt> {
  return new Promise((resolve) => {
    const client = new Client();
    let settled = false;
    const done = (a: Attempt) => {
      if (settled) return;
      settled = true;
      client.once('close', () => resolve(a));
      client.end();
      client.destroy();
    };
    let negotiated: string | undefined;
    client.on('handshake', (n) => {
      negotiated = n.serverHostKey;
    });
    client.on('ready', () => done({ ok: true, negotiated }));
    client.on('error', (err) => done({ ok: false, err }));
    client.connect({ host: HOST, port, username: 'test', password: 'x', readyTimeout: 10_000, ...extra });
  });
}

let server: TestServer;
let store: HostKeyStore;
let own = '';
let dir = '';
let cleanupDir = () => {};

beforeEach(async () => {
  const t = tempDir();
  cleanupDir = t.cleanup;
  dir = t.dir;
  own = join(t.dir, 'cd', 'known_hosts');
  store = createHostKeyStore({ ownFile: own });
  server = await startServer([ed, ec]);
});
afterEach(async () => {
  await server.close();
  cleanupDir();
});

function verifier(opts: Partial<HostVerifierOptions> = {}): HostVerifier {
  return createHostVerifier({ store, host: HOST, port: server.port, names: ['node1'], ...opts });
}

async function connect(v: HostVerifier, restrict = true): Promise<Attempt> {
  server.resetAuthCalls();
  return attempt(server.port, await v.connectOptions({ restrict }));
}

function expectRefused(a: Attempt, v: HostVerifier, code: string): CdError {
  expect(a.ok).toBe(false);
  if (a.ok) throw new Error('connected');
  expect(a.err.message).toBe('Host denied (verification failed)');
  expect(server.authCalls).toBe(0); // refused before authentication
  const err = v.explain(a.err);
  expect(err).toBeInstanceOf(CdError);
  expect((err as CdError).code).toBe(code);
  return err as CdError;
}

describe('ssh2 handshake with host-key verification', () => {
  it('refuses an unknown key before authentication, with the fingerprint to accept', async () => {
    const v = verifier();
    const err = expectRefused(await connect(v), v, 'HOST_KEY_UNKNOWN');
    expect(err.message).toBe(
      `host ${HOST}:${server.port} (node1) is not known; its ssh-ed25519 key fingerprint is ${fp(ed)}; ` +
        `accept it with --accept-host-key ${fp(ed)}`,
    );
    expect(await store.list()).toEqual([]);
  });

  it('accepts and pins when approve says yes; the second connection is trusted without approve', async () => {
    const approve = vi.fn(() => true);
    const v1 = verifier({ approve });
    const a1 = await connect(v1);
    expect(a1).toEqual({ ok: true, negotiated: 'ssh-ed25519' });
    expect(v1.outcome()).toMatchObject({ status: 'pinned', key: { fingerprint: fp(ed) } });
    expect(approve).toHaveBeenCalledTimes(1);
    expect(server.authCalls).toBe(1);
    expect(readFileSync(own, 'utf8')).toBe(`${knownHostsName(HOST, server.port)} ssh-ed25519 ${ed.b64}\n`);

    const v2 = verifier(); // no approve at all
    expect(await v2.algorithms()).toEqual(['ssh-ed25519']);
    expect((await connect(v2)).ok).toBe(true);
    expect(v2.outcome()?.status).toBe('trusted');
  });

  it('refuses a changed key with both fingerprints and pins nothing', async () => {
    await store.pin(hostKey(server.port, other));
    const before = readFileSync(own, 'utf8');
    const approve = vi.fn(() => true);
    const v = verifier({ approve });
    const err = expectRefused(await connect(v), v, 'HOST_KEY_CHANGED');
    expect(err.message).toContain(fp(ed));
    expect(err.message).toContain(fp(other));
    expect(err.details).toMatchObject({ fingerprint: fp(ed), expectedFingerprints: [fp(other)] });
    expect(approve).not.toHaveBeenCalled();
    expect(readFileSync(own, 'utf8')).toBe(before);
  });

  it('trusts a hashed known_hosts entry (hashed by ssh-keygen -H when available)', async () => {
    const extra = join(dir, 'admin_known_hosts');
    writeFileSync(extra, `${knownHostsName(HOST, server.port)} ${ed.keyType} ${ed.b64}\n`);
    if (haveSshKeygen) execFileSync('ssh-keygen', ['-H', '-f', extra], { stdio: 'ignore' });
    else writeFileSync(extra, `${hashKnownHostsName(knownHostsName(HOST, server.port))} ${ed.keyType} ${ed.b64}\n`);
    expect(readFileSync(extra, 'utf8')).toMatch(/^\|1\|/);
    store = createHostKeyStore({ ownFile: own, extraFiles: [extra] });
    const v = verifier();
    expect((await connect(v)).ok).toBe(true);
    expect(v.outcome()).toMatchObject({ status: 'trusted', pin: { source: extra, readOnly: true } });
  });

  it('refuses a key marked @revoked', async () => {
    writeFileSync(join(dir, 'revoked'), `@revoked * ${ed.keyType} ${ed.b64}\n`);
    store = createHostKeyStore({ ownFile: own, extraFiles: [join(dir, 'revoked')] });
    const v = verifier({ approve: () => true });
    const err = expectRefused(await connect(v), v, 'HOST_KEY_REVOKED');
    expect(err.details).toMatchObject({ fingerprint: fp(ed) });
  });

  it('with only the ecdsa key pinned, restricting serverHostKey connects; without it the ed25519 key reads as changed', async () => {
    await store.pin(hostKey(server.port, ec));
    expect(hostKeyAlgorithmsFor(await store.pinnedTypes(HOST, server.port))).toEqual(['ecdsa-sha2-nistp256']);

    const v = verifier();
    const a = await connect(v); // restricted to ecdsa-sha2-nistp256
    expect(a).toEqual({ ok: true, negotiated: 'ecdsa-sha2-nistp256' });
    expect(v.outcome()).toMatchObject({ status: 'trusted', key: { keyType: 'ecdsa-sha2-nistp256' } });

    const unrestricted = verifier();
    const err = expectRefused(await connect(unrestricted, false), unrestricted, 'HOST_KEY_CHANGED');
    expect(err.details).toMatchObject({ keyType: 'ssh-ed25519', fingerprint: fp(ed), expectedFingerprints: [fp(ec)] });
  });

  it('a server that lost the pinned key type fails negotiation; an unrestricted retry reports the change', async () => {
    await server.close();
    server = await startServer([ed]);
    await store.pin(hostKey(server.port, ec));
    const v = verifier();
    const a = await connect(v);
    expect(a.ok).toBe(false);
    if (!a.ok) expect(isHostKeyFormatMismatch(a.err)).toBe(true);
    expect(v.outcome()).toBeNull();
    expectRefused(await connect(v, false), v, 'HOST_KEY_CHANGED');
  });
});
