import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MissingProgramError, missingFromShell, packageOf, requireProgram, which } from './programs';

describe('programs', () => {
  it('names the Debian package of each listed program', () => {
    expect(packageOf('socat')).toBe('socat');
    expect(packageOf('sshd')).toBe('openssh-server');
    expect(packageOf('/usr/sbin/ip')).toBe('iproute2');
    expect(packageOf('no-such-tool')).toBeNull();
  });

  it('lists every package once', () => {
    const list = JSON.parse(readFileSync(fileURLToPath(new URL('../../scripts/system-packages.json', import.meta.url)), 'utf8')) as { packages: Array<{ package: string }> };
    const names = list.packages.map((p) => p.package);
    expect(new Set(names).size).toBe(names.length);
  });

  it('fails with the package to install when a program is missing', () => {
    const prog = 'clusterdeck-no-such-program';
    expect(which(prog)).toBeNull();
    expect(() => requireProgram(prog)).toThrow(MissingProgramError);
    expect(new MissingProgramError('socat').message).toMatch(/^socat is missing on this machine: install the Debian package socat/);
    expect(requireProgram('sh')).toMatch(/\/sh$/);
  });

  it("reads a shell's not-found as the missing program", () => {
    expect(missingFromShell('sh: 1: socat: not found\n')?.message).toMatch(/^socat is missing .*: install the Debian package socat/);
    expect(missingFromShell('bash: line 1: socat: command not found\n')?.program).toBe('socat');
    expect(missingFromShell('grep: x: No such file or directory\n')).toBeNull();
    expect(missingFromShell('')).toBeNull();
  });
});
