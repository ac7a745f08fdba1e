import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../../shared/contract/files';
import { contentRefusal, draftFromFile, emptyFileDraft, fileFieldsFromServer, readPicked, saveWords, sha256Hex, validateFileDraft, type FileDraft, type PickedContent } from './file-form';

const picked: PickedContent = { name: 'app.conf', text: 'a = 1\n', size: 6, sha256: 'f'.repeat(64) };
const good = (p: Partial<FileDraft> = {}): FileDraft => ({ ...emptyFileDraft(), id: 'app-conf', path: '/srv/app/app.conf', ...p });
const check = (d: FileDraft, o: Partial<Parameters<typeof validateFileDraft>[1]> = {}) => validateFileDraft(d, { isNew: true, content: picked, contentError: null, ...o });

describe('file form', () => {
  it('turns a good draft into the settings the contract takes (defaults filled, blanks as null)', () => {
    const r = check(good({ validate: '/srv/app/check-conf {file}', reloadKind: 'command', reloadCommand: ' /srv/app/reload ', servicePort: '8080' }));
    expect(r.errors).toEqual({});
    expect(r.settings).toEqual({
      id: 'app-conf',
      path: '/srv/app/app.conf',
      hosts: 'nodes',
      validate: '/srv/app/check-conf {file}',
      reload: { kind: 'command', command: '/srv/app/reload' },
      check: null,
      servicePort: 8080,
      process: null,
      owner: 'root',
      group: 'root',
      mode: '0644',
      keepBackups: 5,
    });
  });

  it("puts the schema's refusals on their fields", () => {
    const r = check(good({ id: 'App Conf', path: 'srv/../x', validate: 'check-conf', mode: '999', keepBackups: '0', servicePort: '80a', owner: 'bad user' }));
    expect(r.settings).toBeNull();
    expect(r.errors.id).toContain('lowercase');
    expect(r.errors.path).toBe('must be an absolute path');
    expect(r.errors.validate).toBe('must name the staged file as {file}');
    expect(r.errors.mode).toBe('must be an octal mode such as 0644');
    expect(r.errors.keepBackups).toBeDefined();
    expect(r.errors.servicePort).toBe('must be a whole number');
    expect(r.errors.owner).toBe('must be a user name');
    expect(check(good({ path: '/srv/app/../etc/passwd' })).errors.path).toBe("must not contain '.' or '..' segments");
    expect(check(good({ servicePort: '70000' })).errors.servicePort).toBeDefined();
  });

  it('needs chosen hosts, a reload command, and the content of a new file', () => {
    expect(check(good({ hostsKind: 'chosen' })).errors.chosenHosts).toBe('choose at least one host');
    expect(check(good({ hostsKind: 'chosen', chosenHosts: ['node2'] })).settings?.hosts).toEqual(['node2']);
    expect(check(good({ reloadKind: 'command' })).errors.reloadCommand).toContain('must not be empty');
    expect(check(good({ reloadKind: 'haproxy' })).settings?.reload).toEqual({ kind: 'haproxy' });
    expect(check(good(), { content: null }).errors.content).toBe('pick the local file with the desired content');
    // editing: the content may stay as it is
    expect(check(good(), { content: null, isNew: false }).settings).not.toBeNull();
    expect(check(good(), { contentError: 'x is not a text file' }).errors.content).toBe('x is not a text file');
  });

  it('round-trips a stored file into the draft', () => {
    const s = check(good({ hostsKind: 'chosen', chosenHosts: ['lb1'], reloadKind: 'command', reloadCommand: 'systemctl reload app', process: 'app-server' })).settings!;
    expect(check(draftFromFile(s)).settings).toEqual(s);
  });

  it("puts the core's INVALID_ARGUMENT refusals back on the fields", () => {
    const r = fileFieldsFromServer('files.put: settings.path: must be an absolute path; settings.reload.command: too long; content: must be at most 1048576 bytes; something else');
    expect(r.errors).toEqual({ path: 'must be an absolute path', reloadCommand: 'too long', content: 'must be at most 1048576 bytes' });
    expect(r.rest).toBe('something else');
  });

  it('refuses content over 1 MiB, with NUL bytes, or not UTF-8; keeps a BOM', async () => {
    const enc = new TextEncoder();
    expect(contentRefusal('a.conf', enc.encode('x = 1\n'))).toBeNull();
    expect(contentRefusal('big.bin', new Uint8Array(MAX_FILE_BYTES + 1).fill(65))).toBe('big.bin is 1.0 MiB: ClusterDeck manages configuration files up to 1.0 MiB.');
    expect(contentRefusal('x.bin', new Uint8Array([65, 0, 66]))).toContain('not a text file');
    expect(contentRefusal('latin1.conf', new Uint8Array([0x63, 0x61, 0x66, 0xe9]))).toContain('not UTF-8');
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, 0x61]);
    const r = await readPicked('bom.conf', bom.length, async () => bom.buffer);
    expect('content' in r && r.content.text).toBe('\ufeffa');
    expect('content' in r && r.content.sha256).toBe(createHash('sha256').update(bom).digest('hex'));
  });

  it('fingerprints as the core does (hex SHA-256 of the bytes), and refuses a big file before reading it', async () => {
    const bytes = new TextEncoder().encode('node = x\n');
    expect(await sha256Hex(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
    let read = false;
    const r = await readPicked('huge.log', 5 * 1024 * 1024, async () => {
      read = true;
      return new ArrayBuffer(0);
    });
    expect(r).toEqual({ error: 'huge.log is 5.0 MiB: ClusterDeck manages configuration files up to 1.0 MiB.' });
    expect(read).toBe(false);
    const ok = await readPicked('app.conf', bytes.length, async () => bytes.buffer as ArrayBuffer);
    expect(ok).toEqual({ content: { name: 'app.conf', text: 'node = x\n', size: 9, sha256: createHash('sha256').update(bytes).digest('hex') } });
  });

  it('says what Save does', () => {
    expect(saveWords(true, null, picked)).toContain('version 1');
    const f = { current: { version: 3, sha256: 'a'.repeat(64) } } as Parameters<typeof saveWords>[1];
    expect(saveWords(false, f, picked)).toContain('version 4');
    expect(saveWords(false, f, { ...picked, sha256: 'a'.repeat(64) })).toContain('desired content stays');
  });
});
