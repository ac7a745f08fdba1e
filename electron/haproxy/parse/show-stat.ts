import { parse } from 'csv-parse/sync';
import { CdError } from '../../../shared/errors';
import { quoteFirstLine } from './text';

/** `show stat` parsed by header name. */
export interface ShowStat {
  /** Column names in the order HAProxy sent them, without the empty trailing column and the `-` separator. */
  header: string[];
  /** One record per proxy/server line, keyed by header name; values verbatim (CSV quoting removed). */
  rows: Record<string, string>[];
}

/**
 * Parses the CSV of `show stat` (management guide §9.1). Columns are looked up by the names in the
 * `# pxname,svname,...` header only: fields after the `-` column have no guaranteed order, and other
 * versions add or drop columns. A row shorter than the header gets '' for the missing values.
 * Throws CdError HAPROXY_PROTOCOL when the text has no such header or is not valid CSV.
 */
export function parseShowStat(text: string): ShowStat {
  const body = text.replace(/^\uFEFF/, '').replace(/^(?:[ \t]*\r?\n)+/, '');
  const headerMatch = /^#[ \t]*/.exec(body);
  if (!headerMatch) {
    throw new CdError('HAPROXY_PROTOCOL', `show stat: expected a "# pxname,svname,..." CSV header, got ${quoteFirstLine(text)}`);
  }
  let records: string[][];
  const csv = body.slice(headerMatch[0].length);
  try {
    // HAProxy quotes a field only when it needs to (csv_enc); without any quote in the reply, every
    // line splits on commas exactly as a CSV parser would, at a fraction of the cost. `show stat`
    // sits on the drain hot path (read and re-read on every LB).
    records = csv.includes('"')
      ? (parse(csv, { relax_column_count: true, skip_empty_lines: true }) as string[][])
      : csv.split('\n').filter((l) => l.trim() !== '').map((l) => l.replace(/\r$/, '').split(','));
  } catch (e) {
    throw new CdError('HAPROXY_PROTOCOL', `show stat: malformed CSV: ${e instanceof Error ? e.message : String(e)}`);
  }
  const [names = [], ...lines] = records;

  const columns: Array<{ name: string; index: number }> = [];
  const seen = new Set<string>();
  names.forEach((raw, index) => {
    const name = raw.trim();
    if (name === '' || name === '-' || seen.has(name)) return;
    seen.add(name);
    columns.push({ name, index });
  });
  for (const required of ['pxname', 'svname']) {
    if (!seen.has(required)) {
      throw new CdError('HAPROXY_PROTOCOL', `show stat: header has no "${required}" column: ${quoteFirstLine(text)}`);
    }
  }

  const rows = lines.map((cells) => {
    const row: Record<string, string> = {};
    for (const { name, index } of columns) row[name] = cells[index] ?? '';
    return row;
  });
  return { header: columns.map((c) => c.name), rows };
}
