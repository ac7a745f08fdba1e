/**
 * Line-level reading of haproxy.cfg, close enough to HAProxy's own parse_line() to find word
 * boundaries: words are separated by spaces/tabs, '...' and "..." quote (also mid-word), a backslash
 * escapes the next character, and an unquoted, unescaped '#' starts a comment. Every token keeps
 * its offsets in the original line so an edit touches only the characters it means to. Pure.
 */

export interface CfgToken {
  /** The characters as written (quotes and escapes kept). */
  raw: string;
  /** The word as HAProxy sees it (quotes removed, escapes resolved; no env expansion). */
  value: string;
  start: number;
  end: number;
}

export interface CfgLine {
  text: string;
  /** '\n', '\r\n' or '' (last line without a newline): written back exactly. */
  eol: string;
}

export function splitLines(text: string): CfgLine[] {
  const out: CfgLine[] = [];
  const re = /\r?\n/g;
  let at = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ text: text.slice(at, m.index), eol: m[0] });
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push({ text: text.slice(at), eol: '' });
  return out;
}

export function joinLines(lines: CfgLine[]): string {
  return lines.map((l) => l.text + l.eol).join('');
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t' };

/** Tokens of one line and where its comment starts (-1 when none). */
export function tokenize(line: string): { tokens: CfgToken[]; commentAt: number } {
  const tokens: CfgToken[] = [];
  let i = 0;
  let commentAt = -1;
  const n = line.length;
  while (i < n) {
    const c = line[i]!;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '#') {
      commentAt = i;
      break;
    }
    const start = i;
    let value = '';
    let quote: '"' | "'" | null = null;
    while (i < n) {
      const ch = line[i]!;
      if (quote) {
        if (ch === quote) quote = null;
        else if (ch === '\\' && quote === '"' && i + 1 < n) value += line[++i]!;
        else value += ch;
        i++;
        continue;
      }
      if (ch === ' ' || ch === '\t' || ch === '#') break;
      if (ch === "'" || ch === '"') {
        quote = ch;
        i++;
        continue;
      }
      if (ch === '\\' && i + 1 < n) {
        const next = line[i + 1]!;
        value += ESCAPES[next] ?? next;
        i += 2;
        continue;
      }
      value += ch;
      i++;
    }
    tokens.push({ raw: line.slice(start, i), value, start, end: i });
  }
  return { tokens, commentAt };
}

/** HAProxy time values: a number with an optional unit (us, ms, s, m, h, d); no unit means ms. NaN when malformed. */
export function parseTimeMs(v: string): number {
  const m = /^(\d+)(us|ms|s|m|h|d)?$/.exec(v.trim());
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  const unit = m[2] ?? 'ms';
  const factor: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  return n * factor[unit]!;
}

/** Whole seconds as "Ns", anything else as "Nms": exact, never rounded (1500 → "1500ms"). */
export function formatTimeMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
