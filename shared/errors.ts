import { z } from 'zod';

/**
 * Stable error codes. Renderer, CLI and tests branch on these, never on message text,
 * so a code once published is never renamed.
 */
export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'INVENTORY_INVALID',
  'HOST_KEY_UNKNOWN',
  'HOST_KEY_CHANGED',
  'HOST_KEY_REVOKED',
  'SSH_AUTH_FAILED',
  'SSH_CONNECT_FAILED',
  'SSH_TIMEOUT',
  'SSH_DISCONNECTED',
  'SSH_CHANNEL_FAILED',
  'SOCKET_FORWARD_FAILED',
  'HAPROXY_ERROR',
  'HAPROXY_PERMISSION',
  'HAPROXY_TIMEOUT',
  'HAPROXY_PROTOCOL',
  'SERVER_NOT_FOUND',
  'GATE_REFUSED',
  'GATE_OVERRIDE_MISMATCH',
  'ACTION_PARTIAL',
  'DRAIN_TIMEOUT',
  'NOT_CONFIRMED',
  'LOCKED',
  'DATA_CORRUPT',
  'IO_ERROR',
  'TIMEOUT',
  'CANCELLED',
  'UNKNOWN_METHOD',
  'UNAUTHORIZED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const errorCodeSchema = z.enum(ERROR_CODES);

/** The one error shape that crosses every boundary: no stacks, no secrets. */
export const cdErrorSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  /** Small structured facts a UI can render (fingerprints, host, line...). */
  details: z.record(z.string(), z.unknown()).optional(),
});
export type CdErrorData = z.infer<typeof cdErrorSchema>;

/** Thrown inside the core; converted to CdErrorData at the RPC edge. */
export class CdError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'CdError';
    this.code = code;
    this.details = details;
  }
  toData(): CdErrorData {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function cdError(code: ErrorCode, message: string, details?: Record<string, unknown>): CdError {
  return new CdError(code, message, details);
}

export function isCdError(e: unknown): e is CdError {
  return e instanceof CdError;
}

/** Normalises anything thrown into the wire shape; unknown errors become INTERNAL with their message kept. */
export function toErrorData(e: unknown): CdErrorData {
  if (e instanceof CdError) return e.toData();
  const parsed = cdErrorSchema.safeParse(e);
  if (parsed.success) return parsed.data;
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'INTERNAL', message };
}

export function fromErrorData(d: CdErrorData): CdError {
  return new CdError(d.code, d.message, d.details);
}
