import { describe, expect, it } from 'vitest';
import type { PendingHostKey } from '../../shared/domain/host-keys';
import { clearSteps, forgetCommand, hostLabel, keyId, keyQueue, nextKeyToShow } from './host-key-view';

const key = (host: string, status: PendingHostKey['status'], seenAt: number): PendingHostKey => ({
  host,
  port: 22,
  keyType: 'ssh-ed25519',
  fingerprint: `SHA256:${host}`,
  key: 'AAAA',
  status,
  expected: status === 'changed' ? ['SHA256:old'] : [],
  names: [`n-${host}`],
  seenAt,
});

describe('host-key queue', () => {
  it('shows refused keys before unknown ones, then by age', () => {
    const list = [key('a', 'unknown', 1), key('b', 'changed', 5), key('c', 'unknown', 0)];
    expect(nextKeyToShow(list, [])?.host).toBe('b');
    expect(nextKeyToShow(list, [keyId(list[1]!)])?.host).toBe('c');
  });

  it('returns null when everything was dismissed', () => {
    const list = [key('a', 'unknown', 1)];
    expect(nextKeyToShow(list, [keyId(list[0]!)])).toBeNull();
    expect(keyQueue(list, [keyId(list[0]!)])).toEqual({ open: 0, dismissed: 1, changed: 0 });
  });

  it('labels hosts by inventory name and address', () => {
    expect(hostLabel({ host: '10.0.0.1', port: 22, names: ['lb1'] })).toBe('lb1 (10.0.0.1)');
    expect(hostLabel({ host: '10.0.0.1', port: 2222, names: [] })).toBe('10.0.0.1:2222');
  });

  it('builds the forget command with the port only when not 22', () => {
    expect(forgetCommand({ host: 'h', port: 22 })).toBe('clusterdeck host-keys forget h');
    expect(forgetCommand({ host: 'h', port: 2200 })).toBe('clusterdeck host-keys forget h --port 2200');
  });
});

describe('clearing a refused key', () => {
  const k = { host: 'h', port: 22, expected: ['SHA256:old', 'SHA256:old2'] };
  const pin = (fingerprint: string, readOnly: boolean, line: number) => ({ host: 'h', port: 22, keyType: 'ssh-ed25519', fingerprint, key: 'A', source: readOnly ? '/etc/kh' : '/data/known_hosts', readOnly, line });

  it('forgets ClusterDeck\'s own pins and names the lines of read-only files', () => {
    expect(clearSteps(k, [pin('SHA256:old', false, 3)])).toEqual({ forget: 'clusterdeck host-keys forget h', edits: [] });
    expect(clearSteps(k, [pin('SHA256:old', true, 9), pin('SHA256:old2', true, 10)])).toEqual({
      forget: null,
      edits: [
        { file: '/etc/kh', line: 9 },
        { file: '/etc/kh', line: 10 },
      ],
    });
  });

  it('falls back to the forget command when the pins are not known', () => {
    expect(clearSteps(k, [])).toEqual({ forget: 'clusterdeck host-keys forget h', edits: [] });
    expect(clearSteps(k, [{ ...pin('SHA256:old', true, 1), host: 'other' }]).forget).toBe('clusterdeck host-keys forget h');
  });
});
