/**
 * Lab errors carry the host and service they are about, so a failing test says which piece of the
 * cluster broke instead of a bare "timeout".
 */
export type LabErrorKind = 'unavailable' | 'busy' | 'timeout' | 'command' | 'service' | 'argument';

export class LabError extends Error {
  readonly kind: LabErrorKind;
  readonly host: string | undefined;
  readonly service: string | undefined;
  constructor(kind: LabErrorKind, message: string, where?: { host?: string; service?: string }) {
    super(message);
    this.name = 'LabError';
    this.kind = kind;
    this.host = where?.host;
    this.service = where?.service;
  }
}

export class LabTimeoutError extends LabError {
  constructor(message: string, where?: { host?: string; service?: string }) {
    super('timeout', message, where);
    this.name = 'LabTimeoutError';
  }
}

export class LabCommandError extends LabError {
  readonly command: string;
  readonly exitCode: number | null;
  readonly stderr: string;
  constructor(command: string, exitCode: number | null, stderr: string) {
    super('command', `command failed (exit ${exitCode ?? 'signal'}): ${command}${stderr ? `\n${stderr.trim()}` : ''}`);
    this.name = 'LabCommandError';
    this.command = command;
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
