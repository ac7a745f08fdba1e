import { appendFileSync, chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HostKey } from '../../../shared/domain/host-keys';
import { CdError } from '../../../shared/errors';
import { createHostKeyStore } from './host-key-store';
import { fingerprintSha256, formatKnownHostsLine, hashKnownHostsName } from './known-hosts-format';
import { ssh2Key, tempDir, type TestKey } from './test-support';

const ed = ssh2Key('ed25519');
const ed2 = ssh2Key('ed25519');
const ec = ssh2Key('ecdsa');

function hostKey(host: string, port: number, k: TestKey): HostKey {
  return { host, port, keyType: k.keyType, fingerprint: fingerprintSha256(k.blob), key: k.b64 };
}

async function rejects(p: Promise<unknown>, code: string): Promise<CdError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CdError);
  expect((err as CdError).code).toBe(code);
  return err as CdError;
}

let dir = '';
let cleanup = () => {};
let own = '';
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  own = join(dir, 'state', 'nested', 'known_hosts');
});
afterEach(() => cleanup());

describe('host key store', () => {
  it('unknown → pin → trusted; own file created 0600 in a created dir; pinning twice never duplicates', async () => {
    const store = createHostKeyStore({ ownFile: own });
    expect((await store.check('10.0.0.5', 22, ed.blob)).status).toBe('unknown');
    expect(existsSync(own)).toBe(false);

    const r = await store.pin(hostKey('10.0.0.5', 22, ed));
    expect(r.added).toBe(true);
    expect(r.pin).toMatchObject({ host: '10.0.0.5', port: 22, source: own, readOnly: false, line: 1 });
    expect(statSync(own).mode & 0o777).toBe(0o600);
    expect(readFileSync(own, 'utf8')).toBe(`10.0.0.5 ssh-ed25519 ${ed.b64}\n`);

    const c = await store.check('10.0.0.5', 22, ed.blob);
    expect(c.status).toBe('trusted');
    if (c.status === 'trusted') expect(c.pin.line).toBe(1);
    expect((await store.pin(hostKey('10.0.0.5', 22, ed))).added).toBe(false);
    await store.pin(hostKey('10.0.0.5', 2222, ed));
    expect(readFileSync(own, 'utf8').trim().split('\n')).toEqual([
      `10.0.0.5 ssh-ed25519 ${ed.b64}`,
      `[10.0.0.5]:2222 ssh-ed25519 ${ed.b64}`,
    ]);
    expect(await store.pinnedTypes('10.0.0.5', 2222)).toEqual(['ssh-ed25519']);
    expect(readdirSync(join(dir, 'state', 'nested')).sort()).toEqual(['known_hosts']); // no temp or lock left
  });

  it('a different key (same or other type) for a pinned host is changed, and is never pinned over', async () => {
    const store = createHostKeyStore({ ownFile: own });
    await store.pin(hostKey('node1', 22, ed));
    const before = readFileSync(own, 'utf8');

    const c = await store.check('node1', 22, ed2.blob);
    expect(c.status).toBe('changed');
    if (c.status === 'changed') expect(c.expected.map((p) => p.fingerprint)).toEqual([fingerprintSha256(ed.blob)]);
    expect((await store.check('node1', 22, ec.blob)).status).toBe('changed');

    const err = await rejects(store.pin(hostKey('node1', 22, ed2)), 'HOST_KEY_CHANGED');
    expect(err.details).toMatchObject({ fingerprint: fingerprintSha256(ed2.blob), expectedFingerprints: [fingerprintSha256(ed.blob)] });
    await rejects(store.pin(hostKey('node1', 22, ec)), 'HOST_KEY_CHANGED');
    expect(readFileSync(own, 'utf8')).toBe(before);
  });

  it('trusts a key when the host also has pins of other types, as long as one equals type and blob', async () => {
    const extra = join(dir, 'extra');
    writeFileSync(extra, `node1 ${ec.keyType} ${ec.b64}\nnode1 ${ed.keyType} ${ed.b64}\n`);
    const store = createHostKeyStore({ ownFile: own, extraFiles: [extra] });
    expect((await store.check('node1', 22, ed.blob)).status).toBe('trusted');
    expect((await store.check('node1', 22, ec.blob)).status).toBe('trusted');
    expect((await store.check('node1', 22, ed2.blob)).status).toBe('changed');
    expect((await store.pinnedTypes('node1', 22)).sort()).toEqual(['ecdsa-sha2-nistp256', 'ssh-ed25519']);
  });

  it('extra files are read-only: pin of a key they hold writes nothing, forget never touches them', async () => {
    const extra = join(dir, 'admin_known_hosts');
    const text = `# admin's file\n10.0.0.5 ${ed.keyType} ${ed.b64}\n`;
    writeFileSync(extra, text);
    chmodSync(extra, 0o644);
    const mtime = statSync(extra).mtimeMs;
    const store = createHostKeyStore({ ownFile: own, extraFiles: [extra] });

    const r = await store.pin(hostKey('10.0.0.5', 22, ed));
    expect(r).toMatchObject({ added: false, pin: { source: extra, readOnly: true, line: 2 } });
    await rejects(store.pin(hostKey('10.0.0.5', 22, ed2)), 'HOST_KEY_CHANGED');
    expect(await store.forget('10.0.0.5', 22)).toBe(0);
    expect((await store.check('10.0.0.5', 22, ed.blob)).status).toBe('trusted');

    expect(readFileSync(extra, 'utf8')).toBe(text);
    expect(statSync(extra).mtimeMs).toBe(mtime);
    expect(statSync(extra).mode & 0o777).toBe(0o644);
    expect(existsSync(`${extra}.lock`)).toBe(false);
    const list = await store.list();
    expect(list).toEqual([
      { host: '10.0.0.5', port: 22, keyType: ed.keyType, fingerprint: fingerprintSha256(ed.blob), key: ed.b64, source: extra, readOnly: true, line: 2 },
    ]);
  });

  it('forget removes matching plain and hashed lines of the own file only, keeping everything else byte for byte', async () => {
    const lines = [
      '# keep me',
      `10.0.0.5 ${ed.keyType} ${ed.b64}`,
      `${hashKnownHostsName('10.0.0.5')} ${ec.keyType} ${ec.b64}`,
      `node1,10.0.0.5 ${ed.keyType} ${ed.b64}`,
      `[10.0.0.5]:2222 ${ed.keyType} ${ed.b64}`,
      `@revoked 10.0.0.5 ${ed2.keyType} ${ed2.b64}`,
      'this line is garbage',
      `10.0.0.6 ${ed.keyType} ${ed.b64}\r`,
    ];
    const store = createHostKeyStore({ ownFile: own });
    await store.pin(hostKey('10.0.0.9', 22, ed)); // creates dirs
    writeFileSync(own, lines.join('\n') + '\n');
    expect(await store.forget('10.0.0.5', 22)).toBe(3);
    expect(readFileSync(own, 'utf8')).toBe([lines[0], lines[4], lines[5], lines[6], lines[7]].join('\n') + '\n');
    expect(await store.forget('10.0.0.5', 22)).toBe(0);
    expect((await store.check('10.0.0.5', 22, ed.blob)).status).toBe('unknown');
    expect((await store.check('10.0.0.5', 2222, ed.blob)).status).toBe('trusted');
  });

  it('@revoked keys are refused for any host and cannot be pinned; @cert-authority is ignored and reported', async () => {
    const extra = join(dir, 'extra');
    writeFileSync(
      extra,
      [`@revoked some-other-host ${ed2.keyType} ${ed2.b64}`, `@cert-authority *.example.com ${ec.keyType} ${ec.b64}`, 'garbage'].join('\n'),
    );
    const store = createHostKeyStore({ ownFile: own, extraFiles: [extra] });
    const c = await store.check('10.0.0.5', 22, ed2.blob);
    expect(c).toMatchObject({ status: 'revoked', revokedBy: { source: extra, line: 1 } });
    await rejects(store.pin(hostKey('10.0.0.5', 22, ed2)), 'HOST_KEY_REVOKED');
    expect(existsSync(own)).toBe(false);
    // A CA line does not make a host known.
    expect((await store.check('db.example.com', 22, ec.blob)).status).toBe('unknown');
    expect(await store.list()).toEqual([]);
    expect(await store.revoked()).toEqual([
      { keyType: ed2.keyType, fingerprint: fingerprintSha256(ed2.blob), key: ed2.b64, source: extra, line: 1 },
    ]);
    const issues = await store.issues();
    expect(issues.map((i) => [i.line, i.kind])).toEqual([
      [2, 'ignored'],
      [3, 'invalid'],
    ]);
    expect(issues[1]!.text).toBe('garbage');
  });

  it('a corrupt line never loses the others: it is skipped, reported and kept when pinning', async () => {
    const store = createHostKeyStore({ ownFile: own });
    await store.pin(hostKey('a', 22, ed));
    appendFileSync(own, 'b ssh-ed25519 AAAA-broken\n');
    appendFileSync(own, `c ${ec.keyType} ${ec.b64}`); // no trailing newline
    await store.pin(hostKey('d', 22, ed));
    const text = readFileSync(own, 'utf8');
    expect(text).toBe(
      `a ssh-ed25519 ${ed.b64}\nb ssh-ed25519 AAAA-broken\nc ${ec.keyType} ${ec.b64}\nd ssh-ed25519 ${ed.b64}\n`,
    );
    expect((await store.list()).map((p) => [p.host, p.line])).toEqual([
      ['a', 1],
      ['c', 3],
      ['d', 4],
    ]);
    expect((await store.issues()).map((i) => [i.source, i.line, i.kind])).toEqual([[own, 2, 'invalid']]);
  });

  it('lists patterns and hashed names as one row per line with port 0', async () => {
    const extra = join(dir, 'extra');
    const hashed = hashKnownHostsName('x', Buffer.alloc(20, 7));
    writeFileSync(extra, `[10.0.0.5]:2222 ${ed.keyType} ${ed.b64}\n10.0.0.*,!10.0.0.7 ${ed.keyType} ${ed.b64}\n${hashed} ${ed.keyType} ${ed.b64}\n`);
    const store = createHostKeyStore({ ownFile: own, extraFiles: [extra] });
    expect((await store.list()).map((p) => [p.host, p.port, p.line])).toEqual([
      ['10.0.0.5', 2222, 1],
      ['10.0.0.*,!10.0.0.7', 0, 2],
      [hashed, 0, 3],
    ]);
    expect((await store.pinsFor('10.0.0.5', 22)).map((p) => [p.host, p.port, p.line])).toEqual([['10.0.0.5', 22, 2]]);
  });

  it('hashOnWrite pins hashed names that check and forget still find', async () => {
    const store = createHostKeyStore({ ownFile: own, hashOnWrite: true });
    await store.pin(hostKey('Node1.example.com', 2222, ed));
    expect(readFileSync(own, 'utf8')).toMatch(/^\|1\|[^ ]+ ssh-ed25519 /);
    expect((await store.check('node1.example.com', 2222, ed.blob)).status).toBe('trusted');
    expect((await store.pin(hostKey('node1.example.com', 2222, ed))).added).toBe(false);
    expect(await store.forget('NODE1.example.com', 2222)).toBe(1);
  });

  it('re-reads files another store (another process) changed', async () => {
    const a = createHostKeyStore({ ownFile: own });
    const b = createHostKeyStore({ ownFile: own });
    expect((await a.check('n1', 22, ed.blob)).status).toBe('unknown');
    await b.pin(hostKey('n1', 22, ed));
    expect((await a.check('n1', 22, ed.blob)).status).toBe('trusted');
    // An in-place append (what ssh itself does) is noticed as well.
    appendFileSync(own, formatKnownHostsLine('n2', 22, ec.keyType, ec.b64) + '\n');
    expect((await a.check('n2', 22, ec.blob)).status).toBe('trusted');
    await b.forget('n1', 22);
    expect((await a.check('n1', 22, ed.blob)).status).toBe('unknown');
    expect(await a.pinnedTypes('n2', 22)).toEqual(['ecdsa-sha2-nistp256']);
  });

  it('concurrent pins from two stores on the same file all land', async () => {
    const a = createHostKeyStore({ ownFile: own });
    const b = createHostKeyStore({ ownFile: own });
    const hosts = Array.from({ length: 12 }, (_, i) => `10.1.0.${i + 1}`);
    await Promise.all(hosts.flatMap((h, i) => [a.pin(hostKey(h, 22, i % 2 ? ed : ec)), b.pin(hostKey(h, 2200, ed))]));
    const list = await createHostKeyStore({ ownFile: own }).list();
    expect(list).toHaveLength(24);
    for (const h of hosts) {
      expect((await a.check(h, 2200, ed.blob)).status).toBe('trusted');
    }
    // Same unknown key from both: one line. Different keys for one host: exactly one wins.
    const same = await Promise.all([a.pin(hostKey('dup', 22, ed)), b.pin(hostKey('dup', 22, ed))]);
    expect(same.map((r) => r.added).sort()).toEqual([false, true]);
    const race = await Promise.allSettled([a.pin(hostKey('race', 22, ed)), b.pin(hostKey('race', 22, ed2))]);
    expect(race.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = race.find((r) => r.status === 'rejected');
    expect((lost as PromiseRejectedResult).reason).toMatchObject({ code: 'HOST_KEY_CHANGED' });
    const text = readFileSync(own, 'utf8');
    expect(text.split('\n').filter((l) => l.startsWith('dup ') || l.startsWith('race '))).toHaveLength(2);
  });

  it('rejects malformed input: bad HostKey for pin, malformed presented blob', async () => {
    const store = createHostKeyStore({ ownFile: own });
    await rejects(store.pin({ ...hostKey('h', 22, ed), fingerprint: fingerprintSha256(ed2.blob) }), 'INVALID_ARGUMENT');
    await rejects(store.pin({ ...hostKey('h', 22, ed), keyType: 'ssh-rsa' }), 'INVALID_ARGUMENT');
    await rejects(store.pin(hostKey('a,b', 22, ed)), 'INVALID_ARGUMENT');
    await rejects(store.pin(hostKey('*', 22, ed)), 'INVALID_ARGUMENT');
    await rejects(store.pin(hostKey('h', 0, ed)), 'INVALID_ARGUMENT');
    await rejects(store.check('h', 22, Buffer.from('garbage')), 'DATA_CORRUPT');
    expect(existsSync(own)).toBe(false);
  });

  it('I/O failures surface as IO_ERROR and leave the file as it was', async () => {
    const store = createHostKeyStore({ ownFile: own });
    await store.pin(hostKey('a', 22, ed));
    const before = readFileSync(own, 'utf8');
    // The "own file" turned into a directory: reads fail, nothing is written.
    const asDir = createHostKeyStore({ ownFile: join(dir, 'state') });
    await rejects(asDir.check('a', 22, ed.blob), 'IO_ERROR');
    await rejects(asDir.pin(hostKey('a', 22, ed)), 'IO_ERROR');
    // An unreadable extra file is an error too (it could hold a revocation), not silently empty.
    const badExtra = createHostKeyStore({ ownFile: own, extraFiles: [join(dir, 'state')] });
    await rejects(badExtra.check('a', 22, ed.blob), 'IO_ERROR');
    // A missing extra file is simply empty.
    const missing = createHostKeyStore({ ownFile: own, extraFiles: [join(dir, 'nope')] });
    expect((await missing.check('a', 22, ed.blob)).status).toBe('trusted');
    expect(readFileSync(own, 'utf8')).toBe(before);
  });
});
