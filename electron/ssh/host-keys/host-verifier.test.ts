import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HostKey } from '../../../shared/domain/host-keys';
import { createHostKeyStore, type HostKeyStore } from './host-key-store';
import { approveFingerprints, createHostVerifier, isHostKeyFormatMismatch, type HostVerifierOptions } from './host-verifier';
import { fingerprintSha256 } from './known-hosts-format';
import { createPendingHostKeys } from './pending-host-keys';
import { ssh2Key, tempDir, type TestKey } from './test-support';

const ed = ssh2Key('ed25519');
const ed2 = ssh2Key('ed25519');
const ec = ssh2Key('ecdsa');
const fp = (k: TestKey) => fingerprintSha256(k.blob);
const hostKey = (host: string, port: number, k: TestKey): HostKey => ({ host, port, keyType: k.keyType, fingerprint: fp(k), key: k.b64 });

let cleanup = () => {};
let store: HostKeyStore;
let own = '';
beforeEach(() => {
  const t = tempDir();
  cleanup = t.cleanup;
  own = join(t.dir, 'known_hosts');
  store = createHostKeyStore({ ownFile: own });
});
afterEach(() => cleanup());

function run(opts: Partial<HostVerifierOptions>, blob: Buffer) {
  const v = createHostVerifier({ store, host: '10.0.0.5', port: 22, names: ['node1'], ...opts });
  return new Promise<{ ok: boolean; v: typeof v }>((resolve) => v.verify(blob, (ok) => resolve({ ok, v })));
}

describe('host verifier decisions', () => {
  it('unknown without approval: rejected with an actionable HOST_KEY_UNKNOWN and recorded as pending', async () => {
    const pending = createPendingHostKeys();
    const { ok, v } = await run({ pending }, ed.blob);
    expect(ok).toBe(false);
    const err = v.error()!;
    expect(err.code).toBe('HOST_KEY_UNKNOWN');
    expect(err.message).toBe(
      `host 10.0.0.5:22 (node1) is not known; its ssh-ed25519 key fingerprint is ${fp(ed)}; accept it with --accept-host-key ${fp(ed)}`,
    );
    expect(err.details).toMatchObject({ host: '10.0.0.5', port: 22, keyType: 'ssh-ed25519', fingerprint: fp(ed) });
    expect(pending.find(fp(ed))).toMatchObject([{ host: '10.0.0.5', status: 'unknown', names: ['node1'], expected: [] }]);
    expect(v.explain(new Error('Host denied (verification failed)'))).toBe(err);
    expect(await store.list()).toEqual([]);
  });

  it('unknown with approval: pinned then accepted; the next attempt is trusted without asking', async () => {
    const pending = createPendingHostKeys();
    pending.add({ ...hostKey('10.0.0.5', 22, ed), status: 'unknown', expected: [], names: [] });
    const approve = vi.fn(async (k: HostKey) => k.fingerprint === fp(ed));
    const first = await run({ approve, pending }, ed.blob);
    expect(first.ok).toBe(true);
    expect(first.v.outcome()).toMatchObject({ status: 'pinned', pin: { source: own, line: 1 } });
    expect(approve).toHaveBeenCalledTimes(1);
    expect(approve.mock.calls[0]![0]).toEqual(hostKey('10.0.0.5', 22, ed));
    expect(pending.size).toBe(0);
    const second = await run({ approve }, ed.blob);
    expect(second.ok).toBe(true);
    expect(second.v.outcome()?.status).toBe('trusted');
    expect(approve).toHaveBeenCalledTimes(1);
  });

  it('approveFingerprints accepts exactly the reviewed fingerprint (with or without SHA256: prefix)', async () => {
    expect((await run({ approve: approveFingerprints([fp(ed2)]) }, ed.blob)).ok).toBe(false);
    expect((await run({ approve: approveFingerprints([fp(ed).slice(7)]) }, ed.blob)).ok).toBe(true);
  });

  it('changed: rejected without asking, both fingerprints in message and details', async () => {
    await store.pin(hostKey('10.0.0.5', 22, ed));
    const approve = vi.fn(() => true);
    const pending = createPendingHostKeys();
    const { ok, v } = await run({ approve, pending }, ed2.blob);
    expect(ok).toBe(false);
    expect(approve).not.toHaveBeenCalled();
    const err = v.error()!;
    expect(err.code).toBe('HOST_KEY_CHANGED');
    expect(err.message).toContain(fp(ed2));
    expect(err.message).toContain(fp(ed));
    expect(err.message).toContain('will not be trusted automatically');
    expect(err.message).toContain('forget');
    expect(err.details).toMatchObject({ fingerprint: fp(ed2), expectedFingerprints: [fp(ed)] });
    expect(pending.list()).toMatchObject([{ status: 'changed', expected: [fp(ed)] }]);
    expect(await store.list()).toHaveLength(1);
  });

  it('revoked: rejected with HOST_KEY_REVOKED', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(own, `@revoked * ${ed.keyType} ${ed.b64}\n`);
    const { ok, v } = await run({ approve: () => true }, ed.blob);
    expect(ok).toBe(false);
    expect(v.error()).toMatchObject({ code: 'HOST_KEY_REVOKED', details: { fingerprint: fp(ed), line: 1 } });
  });

  it('fails closed when approval throws or the store fails', async () => {
    const boom = await run({ approve: () => Promise.reject(new Error('ui went away')) }, ed.blob);
    expect(boom.ok).toBe(false);
    expect(boom.v.outcome()).toMatchObject({ status: 'rejected', reason: 'error' });
    const broken = { check: () => Promise.reject(new Error('disk')), pin: store.pin, pinnedTypes: store.pinnedTypes };
    const r = await run({ store: broken }, ed.blob);
    expect(r.ok).toBe(false);
    expect(r.v.error()?.message).toMatch(/disk/);
    const garbage = await run({}, Buffer.from('nope'));
    expect(garbage.v.error()?.code).toBe('DATA_CORRUPT');
  });

  it('algorithms() and connectOptions() restrict to the pinned types', async () => {
    const v = createHostVerifier({ store, host: '10.0.0.5', port: 22 });
    expect(await v.algorithms()).toBeUndefined();
    expect(await v.connectOptions()).toEqual({ hostVerifier: v.verify });
    await store.pin(hostKey('10.0.0.5', 22, ec));
    expect(await v.algorithms()).toEqual(['ecdsa-sha2-nistp256']);
    expect(await v.connectOptions()).toEqual({ hostVerifier: v.verify, algorithms: { serverHostKey: ['ecdsa-sha2-nistp256'] } });
    expect(await v.connectOptions({ restrict: false })).toEqual({ hostVerifier: v.verify });
    expect(isHostKeyFormatMismatch(new Error('Handshake failed: no matching host key format'))).toBe(true);
    expect(v.explain(new Error('x'))).toEqual(new Error('x'));
  });
});

describe('pending host keys', () => {
  const base = (host: string, k: TestKey, names: string[] = []) => ({ ...hostKey(host, 22, k), status: 'unknown' as const, expected: [], names });

  it('deduplicates by host:port:fingerprint, merging names and refreshing seenAt', () => {
    let t = 1;
    const p = createPendingHostKeys({ now: () => t++ });
    p.add(base('a', ed, ['n1']));
    p.add(base('b', ed, ['n2']));
    p.add(base('a', ed, ['n3']));
    expect(p.size).toBe(2);
    expect(p.list().map((x) => [x.host, x.names, x.seenAt])).toEqual([
      ['a', ['n1', 'n3'], 3],
      ['b', ['n2'], 2],
    ]);
    expect(p.find(fp(ed)).map((x) => x.host)).toEqual(['a', 'b']);
    expect(p.get('a', 22, fp(ed).slice(7))?.host).toBe('a');
    expect(p.remove('a', 22)).toBe(1);
    expect(p.remove('b', 22, fp(ed2))).toBe(0);
    expect(p.remove('b', 22, fp(ed))).toBe(1);
    expect(p.size).toBe(0);
  });

  it('is bounded: the least recently seen are dropped', () => {
    const p = createPendingHostKeys({ max: 3 });
    for (const h of ['a', 'b', 'c']) p.add(base(h, ed));
    p.add(base('a', ed)); // refreshes a
    p.add(base('d', ed));
    expect(p.list().map((x) => x.host)).toEqual(['d', 'a', 'c']);
    const got = p.list()[0]!;
    got.names.push('mutated');
    expect(p.list()[0]!.names).toEqual([]);
  });
});
