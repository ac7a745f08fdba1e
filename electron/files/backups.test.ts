import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupsScript, parseBackups, stampToMs } from './backups';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('backups', () => {
  it('lists only this file’s backups, newest first, with sha, size, date and matching version', () => {
    const dir = mkdtempSync(join(tmpdir(), "cd-bak it's-"));
    const path = join(dir, 'app.conf');
    writeFileSync(path, 'now\n');
    writeFileSync(`${path}.clusterdeck-20250611T101530.123Z.bak`, 'a = 1\n');
    writeFileSync(`${path}.clusterdeck-20250612T080000.000Z.bak`, 'hand edit\n');
    writeFileSync(`${path}.clusterdeck-20250612T080000.000Z.bak.partial`, 'cut');
    writeFileSync(join(dir, 'other.conf.clusterdeck-20250612T080000.000Z.bak'), 'x');
    symlinkSync('/etc/passwd', `${path}.clusterdeck-20250613T000000.000Z.bak`);
    const out = execFileSync('sh', ['-c', backupsScript(path)], { encoding: 'utf8' });
    const versions = [
      { version: 1, sha256: sha('a = 1\n'), size: 6, addedAt: 0, source: '', by: '' },
      { version: 3, sha256: sha('a = 1\n'), size: 6, addedAt: 0, source: '', by: '' },
    ];
    const list = parseBackups(path, out, versions);
    expect(list).toEqual([
      { id: 'app.conf.clusterdeck-20250612T080000.000Z.bak', path: `${path}.clusterdeck-20250612T080000.000Z.bak`, sha256: sha('hand edit\n'), size: 10, at: Date.parse('2025-06-12T08:00:00.000Z'), version: null },
      { id: 'app.conf.clusterdeck-20250611T101530.123Z.bak', path: `${path}.clusterdeck-20250611T101530.123Z.bak`, sha256: sha('a = 1\n'), size: 6, at: Date.parse('2025-06-11T10:15:30.123Z'), version: 3 },
    ]);
  });
  it('no backups is an empty list; a cut reply is an error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cd-bak-'));
    expect(parseBackups(join(dir, 'x'), execFileSync('sh', ['-c', backupsScript(join(dir, 'x'))], { encoding: 'utf8' }), [])).toEqual([]);
    expect(() => parseBackups('/a/x', `B ${'a'.repeat(64)} 1 x.clusterdeck-20250611T101530Z.bak\n`, [])).toThrow(/cut short/);
    expect(stampToMs('20250611T101530Z')).toBe(Date.parse('2025-06-11T10:15:30Z'));
  });
});
