import { CdError } from '../../../shared/errors';
import { firstLine, truncate } from './text';

/**
 * Error replies of the HAProxy runtime API (2.6 wording, checked against the real binary: see
 * fixtures/err-*.txt). Matched against the first non-blank line of a reply, exactly, so that text
 * inside normal output (a check's reason phrase in `show stat`...) can never be mistaken for an error.
 */
const NOT_FOUND = new Map<string, 'server' | 'backend'>([
  ['No such server.', 'server'],
  ['No such backend.', 'backend'],
  // `show servers state <backend>` and `show stat <proxy> ...` with an unknown name.
  ["Can't find backend.", 'backend'],
  ['No such proxy.', 'backend'],
]);

const PERMISSION = new Set(['Permission denied']);

const KNOWN_ERRORS = new Set([
  "Require 'backend/server'.",
  'Proxy is disabled.',
  "'set server <srv> state' expects 'ready', 'drain' and 'maint'.",
  "'set server <srv> health' expects 'up', 'stopping', or 'down'.",
  "'set server <srv> agent' expects 'up' or 'down'.",
  'cannot change health on a tracking server.',
  'agent checks are not enabled on this server.',
  'Health check was not configured on this server, cannot enable.',
  'Agent was not configured on this server, cannot enable.',
  'Absolute weight can only be between 0 and 256 inclusive.',
  "Backend is using a static LB algorithm and only accepts weights '0%' and '100%'.",
  'Backend must use a dynamic load balancing to support dynamic servers.',
  'Already exists a server with the same name in backend.',
  'Only servers in maintenance mode can be deleted.',
  'Server still has connections attached to it, cannot remove it.',
  'This server cannot be removed at runtime due to other configuration elements pointing to it.',
  'Frontend was already shut down.',
  'Frontend was previously shut down, cannot disable.',
  'Frontend was previously shut down, cannot enable.',
]);

/**
 * `Unknown command: '<cmd>'...` (3.x), `Unknown command, but maybe one of the following ones is a better
 * match:` + help (2.6), `Unknown command. Please enter one of the following commands only:` (2.4).
 */
const UNKNOWN_COMMAND = /^Unknown command\b/;

/** Commands that print nothing on success (the reply is just the terminating empty line). */
const SILENT: RegExp[] = [
  /^set server \S+ (state|health|agent|weight)\b/,
  /^set weight\b/,
  /^set maxconn (server|frontend|global)\b/,
  /^(enable|disable) (server|health|agent|frontend|dynamic-cookie)\b/,
  /^shutdown (session|sessions|frontend)\b/,
  /^clear counters\b/,
];

function normalise(command: string): string {
  return command.trim().replace(/\s+/g, ' ');
}

/** True when the command prints nothing on success, so any reply text means it failed. */
export function isSilentCommand(command: string): boolean {
  const c = normalise(command);
  return SILENT.some((re) => re.test(c));
}

/** The backend (and server) a command is about: its `backend/server` argument, or `show stat|servers state <backend>`. */
function target(command: string): { backend: string | null; server: string | null } {
  const words = normalise(command).split(' ');
  for (const w of words.slice(1)) {
    const m = /^([^/]+)\/([^/]+)$/.exec(w);
    if (m && m[1] !== undefined && m[2] !== undefined) return { backend: m[1], server: m[2] };
  }
  const show = /^show (?:servers state|stat) (\S+)/.exec(normalise(command));
  if (show && show[1] !== undefined && !/^-?\d+$/.test(show[1])) return { backend: show[1], server: null };
  return { backend: null, server: null };
}

function quote(reply: string): string {
  return JSON.stringify(truncate(reply.trim().replace(/\s*\n\s*/g, ' | '), 200));
}

/**
 * The error an HAProxy reply carries, or null if the command succeeded as far as the reply tells.
 *  - SERVER_NOT_FOUND: "No such server." / "No such backend." (and the `show` equivalents);
 *  - HAPROXY_PERMISSION: "Permission denied" (the socket is not at `level admin`);
 *  - HAPROXY_ERROR: the other known error strings, any "Unknown command" wording, and, for commands that
 *    are silent on success (isSilentCommand), ANY non-blank reply.
 * For other commands (`show ...`, `add server`, `del server` that print on success), only known error
 * strings count.
 */
export function replyError(command: string, reply: string): CdError | null {
  const cmd = normalise(command);
  const line = firstLine(reply).trim();
  if (line === '') return null;
  const details = { command: cmd, reply: truncate(reply.trim(), 2000) };

  const missing = NOT_FOUND.get(line);
  if (missing !== undefined) {
    const { backend, server } = target(cmd);
    const what =
      missing === 'server' && backend !== null && server !== null
        ? `no server "${server}" in backend "${backend}"`
        : backend !== null
          ? `no backend "${backend}"`
          : `no such ${missing}`;
    return new CdError('SERVER_NOT_FOUND', `HAProxy has ${what} (${line} in reply to "${cmd}")`, {
      ...details,
      backend,
      server,
    });
  }
  if (PERMISSION.has(line)) {
    return new CdError(
      'HAPROXY_PERMISSION',
      `HAProxy refused "${cmd}": Permission denied. The stats socket needs "level admin" ` +
        `(e.g. "stats socket /run/haproxy/admin.sock mode 660 level admin").`,
      details,
    );
  }
  if (UNKNOWN_COMMAND.test(line)) {
    return new CdError('HAPROXY_ERROR', `HAProxy does not know the command "${cmd}": ${JSON.stringify(truncate(line, 120))}`, details);
  }
  if (KNOWN_ERRORS.has(line)) {
    return new CdError('HAPROXY_ERROR', `HAProxy rejected "${cmd}": ${quote(reply)}`, details);
  }
  if (isSilentCommand(cmd)) {
    return new CdError('HAPROXY_ERROR', `HAProxy answered "${cmd}", which prints nothing on success: ${quote(reply)}`, details);
  }
  return null;
}
