/** Small text helpers shared by the runtime-API parsers. */

/** Cuts `s` to at most `max` characters, marking the cut with an ellipsis. */
export function truncate(s: string, max = 120): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** The first non-blank line of a reply, without its line ending ('' when there is none). */
export function firstLine(text: string): string {
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() !== '') return line.replace(/\r$/, '');
  }
  return '';
}

/** The first line of a reply, truncated and JSON-quoted, for error messages ("(empty reply)" if blank). */
export function quoteFirstLine(text: string, max = 80): string {
  const line = firstLine(text);
  return line === '' ? '(empty reply)' : JSON.stringify(truncate(line, max));
}

/**
 * Strict decimal number for a runtime-API field: '' (and '-' where the format uses it) is null, anything
 * that is not a plain integer or decimal is `undefined` so the caller can report a protocol error.
 */
export function toNumber(raw: string | undefined): number | null | undefined {
  if (raw === undefined) return null;
  const s = raw.trim();
  if (s === '') return null;
  if (!/^-?\d+(\.\d+)?$/.test(s)) return undefined;
  return Number(s);
}
