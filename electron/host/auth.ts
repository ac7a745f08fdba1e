import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The subprotocol the page asks for besides its token; the server answers with this one. */
export const WS_PROTOCOL = 'clusterdeck.v1';
const TOKEN_PREFIX = 'cdtoken.';

/** A per-launch secret: 32 random bytes, base64url (valid as a WebSocket subprotocol token). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the page sends in Sec-WebSocket-Protocol: ours plus the token (browsers can't set headers). */
export function protocolsFor(token: string): string[] {
  return [WS_PROTOCOL, `${TOKEN_PREFIX}${token}`];
}

/**
 * Checks an upgrade's offered subprotocols for exactly one token equal to ours, in constant time
 * (both sides hashed first so lengths match and nothing leaks through timing).
 */
export function tokenMatches(offered: ReadonlySet<string> | string[], expected: string): boolean {
  const tokens = [...offered].filter((p) => p.startsWith(TOKEN_PREFIX));
  if (tokens.length !== 1 || !expected) return false;
  const a = createHash('sha256').update(tokens[0]!.slice(TOKEN_PREFIX.length)).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The page must come from this very server: a browser always sends Origin on a WebSocket upgrade. */
export function originAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  if (!origin) return false;
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    return false;
  }
  return allowed.includes(o.origin);
}
