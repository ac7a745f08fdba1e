import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  entryMatches,
  fingerprintSha256,
  formatKnownHostsLine,
  hashKnownHostsName,
  hostKeyAlgorithmsFor,
  knownHostsName,
  matchPattern,
  matchPatternList,
  parseKeyBlob,
  parseKnownHosts,
  type KnownHostsEntry,
} from './known-hosts-format';
import { haveSshKeygen, ssh2Key, sshKeygenFingerprint, sshKeygenKey, tempDir, type TestKey } from './test-support';

const ed = ssh2Key('ed25519');
const ec = ssh2Key('ecdsa');
const ED = `ssh-ed25519 ${ed.b64}`;
const EC = `ecdsa-sha2-nistp256 ${ec.b64}`;

function only(text: string): KnownHostsEntry {
  const { entries, problems } = parseKnownHosts(text);
  expect(problems).toEqual([]);
  expect(entries).toHaveLength(1);
  return entries[0]!;
}

describe('parseKnownHosts', () => {
  it('parses plain, [host]:port, markers and comments; skips blank and # lines', () => {
    const text = [
      '# a comment',
      '',
      '   ',
      `node1,10.0.0.5 ${ED} root@node1`,
      `[10.0.0.6]:2222 ${EC}`,
      `@revoked * ${ED}`,
      `@cert-authority *.example.com ${EC} ca key`,
      `\t  lb1 ${ED}\r`,
    ].join('\n');
    const { entries, problems } = parseKnownHosts(text + '\n');
    expect(problems).toEqual([]);
    expect(entries.map((e) => [e.line, e.marker, e.keyType, e.comment])).toEqual([
      [4, null, 'ssh-ed25519', 'root@node1'],
      [5, null, 'ecdsa-sha2-nistp256', ''],
      [6, 'revoked', 'ssh-ed25519', ''],
      [7, 'cert-authority', 'ecdsa-sha2-nistp256', 'ca key'],
      [8, null, 'ssh-ed25519', ''],
    ]);
    expect(entries[0]!.hosts).toEqual({ kind: 'plain', patterns: ['node1', '10.0.0.5'] });
    expect(entries[0]!.key).toBe(ed.b64);
    expect(entries[4]!.hosts).toEqual({ kind: 'plain', patterns: ['lb1'] });
  });

  it('reports garbage lines without losing the good ones around them', () => {
    const text = [
      `good1 ${ED}`,
      'justonefield',
      `@weird host ${ED}`,
      `@revoked @revoked host ${ED}`,
      'host ssh-ed25519 !!!notbase64!!!',
      'host ssh-ed25519 AAAA',
      `host ssh-rsa ${ed.b64}`,
      'host 2048 65537 1234567',
      '|1|bad|hash ssh-ed25519 ' + ed.b64,
      `good2 ${EC}`,
    ].join('\n');
    const { entries, problems } = parseKnownHosts(text);
    expect(entries.map((e) => e.line)).toEqual([1, 10]);
    expect(problems.map((p) => p.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(problems[0]!.reason).toMatch(/missing key type/);
    expect(problems[1]!.reason).toMatch(/unknown marker/);
    expect(problems[5]!.reason).toMatch(/does not match/);
    expect(problems[6]!.reason).toMatch(/protocol 1/);
    expect(problems[7]!.reason).toMatch(/hashed host/);
    expect(problems[0]!.text).toBe('justonefield');
  });

  it('tolerates unknown key types (kept as entries, validated only as far as the type string)', () => {
    const blob = Buffer.concat([Buffer.from([0, 0, 0, 26]), Buffer.from('sk-ssh-ed25519@openssh.com'), Buffer.from([0, 0, 0, 1, 7])]);
    const e = only(`host sk-ssh-ed25519@openssh.com ${blob.toString('base64')}`);
    expect(e.keyType).toBe('sk-ssh-ed25519@openssh.com');
    expect(parseKeyBlob(blob)).toEqual({ ok: true, keyType: 'sk-ssh-ed25519@openssh.com', supported: false });
  });

  it('parses hashed host fields', () => {
    const line = `${hashKnownHostsName('10.0.0.5', Buffer.alloc(20, 1))} ${ED}`;
    const e = only(line);
    expect(e.hosts.kind).toBe('hashed');
    expect(entryMatches(e, '10.0.0.5', 22)).toBe(true);
    expect(entryMatches(e, '10.0.0.6', 22)).toBe(false);
    expect(entryMatches(e, '10.0.0.5', 2222)).toBe(false);
  });
});

describe('matching', () => {
  it('uses host for port 22 and [host]:port otherwise, lowercased', () => {
    expect(knownHostsName('Node1.Example.COM', 22)).toBe('node1.example.com');
    expect(knownHostsName('10.0.0.5', 2222)).toBe('[10.0.0.5]:2222');
    const plain = only(`10.0.0.5 ${ED}`);
    expect(entryMatches(plain, '10.0.0.5', 22)).toBe(true);
    expect(entryMatches(plain, '10.0.0.5', 2222)).toBe(false);
    const bracket = only(`[10.0.0.5]:2222 ${ED}`);
    expect(entryMatches(bracket, '10.0.0.5', 2222)).toBe(true);
    expect(entryMatches(bracket, '10.0.0.5', 22)).toBe(false);
    // OpenSSH never looks up [host]:22.
    expect(entryMatches(only(`[10.0.0.5]:22 ${ED}`), '10.0.0.5', 22)).toBe(false);
    expect(entryMatches(only(`WEB1.example.com ${ED}`), 'web1.EXAMPLE.com', 22)).toBe(true);
  });

  it('supports * and ? wildcards and ! negation (a negated match excludes)', () => {
    expect(matchPattern('10.0.0.5', '10.0.0.*')).toBe(true);
    expect(matchPattern('10.0.0.55', '10.0.0.?')).toBe(false);
    expect(matchPattern('abcabd', '*ab?')).toBe(true);
    expect(matchPattern('a.b', 'a?b')).toBe(true);
    expect(matchPattern('', '*')).toBe(true);
    expect(matchPatternList('10.0.0.7', ['10.0.0.*', '!10.0.0.7'])).toBe(-1);
    expect(matchPatternList('10.0.0.7', ['!10.0.0.7', '10.0.0.*'])).toBe(-1);
    expect(matchPatternList('10.0.0.8', ['!10.0.0.7'])).toBe(0);
    const e = only(`10.0.0.*,!10.0.0.7 ${ED}`);
    expect(entryMatches(e, '10.0.0.5', 22)).toBe(true);
    expect(entryMatches(e, '10.0.0.7', 22)).toBe(false);
    expect(entryMatches(e, '10.0.0.5', 2222)).toBe(false);
    expect(entryMatches(only(`[db?.example.com]:2222 ${ED}`), 'db1.example.com', 2222)).toBe(true);
  });

  it('formats lines that parse back and match (plain and hashed)', () => {
    const plain = formatKnownHostsLine('10.0.0.5', 2222, 'ssh-ed25519', ed.b64, { comment: 'added by test' });
    expect(plain).toBe(`[10.0.0.5]:2222 ssh-ed25519 ${ed.b64} added by test`);
    expect(entryMatches(only(plain), '10.0.0.5', 2222)).toBe(true);
    const hashed = formatKnownHostsLine('Node1', 22, 'ssh-ed25519', ed.b64, { hash: true });
    expect(hashed.startsWith('|1|')).toBe(true);
    expect(entryMatches(only(hashed), 'node1', 22)).toBe(true);
    expect(() => formatKnownHostsLine('a,b', 22, 'ssh-ed25519', ed.b64)).toThrow();
    expect(() => formatKnownHostsLine('a b', 22, 'ssh-ed25519', ed.b64)).toThrow();
  });
});

describe('keys', () => {
  it('parseKeyBlob validates the supported types', () => {
    expect(parseKeyBlob(ed.blob)).toEqual({ ok: true, keyType: 'ssh-ed25519', supported: true });
    expect(parseKeyBlob(ec.blob)).toEqual({ ok: true, keyType: 'ecdsa-sha2-nistp256', supported: true });
    expect(parseKeyBlob(ed.blob.subarray(0, ed.blob.length - 1)).ok).toBe(false);
    expect(parseKeyBlob(Buffer.concat([ed.blob, Buffer.from([0])])).ok).toBe(false);
    expect(parseKeyBlob(Buffer.from([0, 0, 0, 9, 1])).ok).toBe(false);
    expect(parseKeyBlob(Buffer.alloc(0)).ok).toBe(false);
  });

  it('hostKeyAlgorithmsFor maps pinned types to ssh2 serverHostKey algorithms', () => {
    expect(hostKeyAlgorithmsFor([])).toBeUndefined();
    expect(hostKeyAlgorithmsFor(['ssh-rsa'])).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
    expect(hostKeyAlgorithmsFor(['ecdsa-sha2-nistp384'])).toEqual(['ecdsa-sha2-nistp384']);
    expect(hostKeyAlgorithmsFor(['ecdsa-sha2-nistp256', 'ssh-ed25519', 'ssh-ed25519'])).toEqual([
      'ssh-ed25519',
      'ecdsa-sha2-nistp256',
    ]);
    expect(hostKeyAlgorithmsFor(['sk-ssh-ed25519@openssh.com'])).toBeUndefined();
  });

  it('fingerprint format is SHA256:<base64 without padding>', () => {
    const fp = fingerprintSha256(ed.blob);
    expect(fp).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});

describe.skipIf(!haveSshKeygen)('against ssh-keygen', () => {
  let dir = '';
  let cleanup = () => {};
  const keys: Record<string, TestKey> = {};
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    keys.ed25519 = sshKeygenKey(dir, 'ed25519', 'ed');
    keys.ecdsa = sshKeygenKey(dir, 'ecdsa', 'ec');
    keys.ecdsa384 = sshKeygenKey(dir, 'ecdsa', 'ec384', 384);
    keys.rsa = sshKeygenKey(dir, 'rsa', 'rsa', 2048);
  });
  afterAll(() => cleanup());

  it('fingerprints equal ssh-keygen -lf for ed25519, ecdsa and rsa keys', () => {
    for (const k of Object.values(keys)) {
      expect(fingerprintSha256(k.blob)).toBe(sshKeygenFingerprint(k.pubPath!));
      expect(parseKeyBlob(k.blob)).toEqual({ ok: true, keyType: k.keyType, supported: true });
    }
    expect(keys.rsa!.keyType).toBe('ssh-rsa');
    expect(keys.ecdsa384!.keyType).toBe('ecdsa-sha2-nistp384');
  });

  it('matches the entries ssh-keygen -H hashed, and agrees with ssh-keygen -F on plain patterns', () => {
    const k = keys.ed25519!;
    const file = join(dir, 'known_hosts');
    const names = ['10.0.0.5', 'web2.example.com', '[10.0.0.9]:2222', '10.0.0.7', '[db1.example.com]:2222'];
    const text = [
      `10.0.0.5,WEB2.example.com ${k.keyType} ${k.b64}`,
      `[10.0.0.9]:2222 ${k.keyType} ${k.b64}`,
      `10.0.0.*,!10.0.0.7 ${k.keyType} ${k.b64}`,
      `[db?.example.com]:2222 ${k.keyType} ${k.b64}`,
    ].join('\n');
    writeFileSync(file, text + '\n');
    const probes = [...names, '10.0.0.6', 'web1.example.com', '[10.0.0.5]:2222', 'db1.example.com'];
    const plain = parseKnownHosts(text).entries;
    for (const name of probes) {
      const expected = spawnFound(file, name);
      const [host, port] = splitName(name);
      expect(plain.some((e) => entryMatches(e, host, port)), name).toBe(expected);
    }

    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const { entries, problems } = parseKnownHosts(readFileSync(file, 'utf8'));
    expect(problems).toEqual([]);
    const hashed = entries.filter((e) => e.hosts.kind === 'hashed');
    expect(hashed).toHaveLength(3); // 10.0.0.5, web2.example.com, [10.0.0.9]:2222 (wildcard lines stay plain)
    for (const [host, port] of [['10.0.0.5', 22], ['web2.example.com', 22], ['WEB2.example.com', 22], ['10.0.0.9', 2222]] as const) {
      expect(hashed.filter((e) => entryMatches(e, host, port)), `${host}:${port}`).toHaveLength(1);
    }
    expect(hashed.some((e) => entryMatches(e, '10.0.0.9', 22))).toBe(false);
    expect(hashed.some((e) => entryMatches(e, '10.0.0.6', 22))).toBe(false);
  });
});

function spawnFound(file: string, name: string): boolean {
  try {
    execFileSync('ssh-keygen', ['-F', name, '-f', file], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function splitName(name: string): [string, number] {
  const m = /^\[(.+)\]:(\d+)$/.exec(name);
  return m ? [m[1]!, Number(m[2])] : [name, 22];
}
