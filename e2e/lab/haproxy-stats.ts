/** Pure parsers for the HAProxy runtime API answers the lab reads. */

export type Row = Record<string, string>;

/** `show stat` CSV: first line "# pxname,svname,...", one row per proxy/server. */
export function parseShowStat(csv: string): Row[] {
  const lines = csv.split('\n').filter((l) => l.trim() !== '');
  const head = lines[0];
  if (!head || !head.startsWith('# ')) throw new Error(`unexpected show stat answer: ${csv.slice(0, 120)}`);
  const cols = head.slice(2).split(',');
  return lines.slice(1).map((l) => {
    const vals = l.split(',');
    const row: Row = {};
    cols.forEach((c, i) => {
      if (c) row[c] = vals[i] ?? '';
    });
    return row;
  });
}

/** `show servers state [backend]`: a version line, a "# col col" header, space-separated rows. */
export function parseServersState(text: string): Row[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const headIdx = lines.findIndex((l) => l.startsWith('# '));
  const head = lines[headIdx];
  if (headIdx < 0 || !head) throw new Error(`unexpected show servers state answer: ${text.slice(0, 120)}`);
  const cols = head.slice(2).trim().split(/\s+/);
  return lines.slice(headIdx + 1).map((l) => {
    const vals = l.trim().split(/\s+/);
    const row: Row = {};
    cols.forEach((c, i) => {
      row[c] = vals[i] ?? '';
    });
    return row;
  });
}

export function findServerRow(rows: Row[], backend: string, server: string): Row | undefined {
  return rows.find((r) => (r.pxname ?? r.be_name) === backend && (r.svname ?? r.srv_name) === server);
}
