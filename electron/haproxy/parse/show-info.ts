import { CdError } from '../../../shared/errors';
import { quoteFirstLine } from './text';

/** `show info` as name/value pairs plus the few values ClusterDeck reads. */
export interface ShowInfo {
  /** Every `Name: value` line, keyed by name (e.g. "Version", "Uptime_sec", "Unstoppable Jobs"). */
  fields: Record<string, string>;
  version: string | null;
  pid: number | null;
  uptimeSec: number | null;
}

const FIELD_LINE = /^([A-Za-z][A-Za-z0-9_. -]*?):(?: (.*))?$/;

function int(v: string | undefined): number | null {
  return v !== undefined && /^\d+$/.test(v.trim()) ? Number(v.trim()) : null;
}

/**
 * Parses `show info` (`Name: value` lines). Blank lines are skipped; any other line that is not a field
 * (an error message, help text) makes the reply a protocol error, so is a reply with no field at all.
 */
export function parseShowInfo(text: string): ShowInfo {
  const fields: Record<string, string> = {};
  let count = 0;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') continue;
    const m = FIELD_LINE.exec(line);
    if (!m || m[1] === undefined) {
      throw new CdError('HAPROXY_PROTOCOL', `show info: expected "Name: value" lines, got ${JSON.stringify(line.slice(0, 80))}`);
    }
    if (!(m[1] in fields)) fields[m[1]] = m[2] ?? '';
    count++;
  }
  if (count === 0) {
    throw new CdError('HAPROXY_PROTOCOL', `show info: no "Name: value" lines in the reply: ${quoteFirstLine(text)}`);
  }
  return {
    fields,
    version: fields['Version'] ?? null,
    pid: int(fields['Pid']),
    uptimeSec: int(fields['Uptime_sec']),
  };
}
