/** One line of a unified diff as the diff view draws it. */
export interface DiffLine {
  kind: 'file' | 'hunk' | 'add' | 'del' | 'ctx' | 'note';
  /** The line without its +, - or space marker. */
  text: string;
  /** Line number in the current file (del, ctx) and in the new one (add, ctx). */
  oldNo: number | null;
  newNo: number | null;
}

export interface ParsedDiff {
  lines: DiffLine[];
  added: number;
  removed: number;
}

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@(.*)$/;

/**
 * Reads a unified diff (what `diff` / jsdiff's createTwoFilesPatch write: optional Index and ===
 * lines, ---/+++ headers, @@ hunks) into numbered lines. Anything unexpected is kept as a note, so
 * the view never hides part of what the core sent.
 */
export function parseUnifiedDiff(text: string): ParsedDiff {
  const lines: DiffLine[] = [];
  let oldNo = 0;
  let newNo = 0;
  let added = 0;
  let removed = 0;
  let inHunk = false;
  const raw = text.replace(/\n$/, '').split('\n');
  for (const l of text === '' ? [] : raw) {
    const h = HUNK.exec(l);
    if (h) {
      oldNo = Number(h[1]);
      newNo = Number(h[2]);
      inHunk = true;
      lines.push({ kind: 'hunk', text: l, oldNo: null, newNo: null });
    } else if (!inHunk && (l.startsWith('--- ') || l.startsWith('+++ '))) {
      lines.push({ kind: 'file', text: l, oldNo: null, newNo: null });
    } else if (!inHunk && (l.startsWith('Index: ') || /^={5,}$/.test(l))) {
      // jsdiff's banner: says nothing the --- / +++ lines don't
    } else if (inHunk && l.startsWith('+')) {
      added++;
      lines.push({ kind: 'add', text: l.slice(1), oldNo: null, newNo: newNo++ });
    } else if (inHunk && l.startsWith('-')) {
      removed++;
      lines.push({ kind: 'del', text: l.slice(1), oldNo: oldNo++, newNo: null });
    } else if (inHunk && (l.startsWith(' ') || l === '')) {
      lines.push({ kind: 'ctx', text: l.slice(1), oldNo: oldNo++, newNo: newNo++ });
    } else {
      // "\ No newline at end of file", or anything else: shown as it came
      lines.push({ kind: 'note', text: l, oldNo: null, newNo: null });
    }
  }
  return { lines, added, removed };
}

/** "+2 −2" for a diff's header; "no change" when empty. */
export function diffStat(d: ParsedDiff): string {
  if (!d.added && !d.removed) return 'no change';
  return `+${d.added} −${d.removed} line${d.added + d.removed === 1 ? '' : 's'}`;
}

/** The marker drawn in the gutter: never colour alone. */
export const DIFF_MARK: Record<DiffLine['kind'], string> = { add: '+', del: '−', ctx: ' ', hunk: '', file: '', note: '' };
