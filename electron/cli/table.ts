/** Left-aligned text columns; numbers-as-text are right-aligned so figures line up. */
export function table(header: string[], rows: string[][], indent = ''): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  const numeric = header.map((_, c) => rows.length > 0 && rows.every((r) => /^-?[\d.]+( ?ms| s)?$|^-$/.test(r[c] ?? '')));
  return all
    .map((r) =>
      indent +
      r
        .map((cell, c) => (numeric[c] ? (cell ?? '').padStart(widths[c]!) : (cell ?? '').padEnd(widths[c]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
