import type { ActionResult } from '../../shared/domain/action';
import { table } from './table';

export function formatAction(r: ActionResult, verbose: boolean): string {
  const out: string[] = [];
  const head = { ok: 'OK', partial: 'PARTIAL', failed: 'FAILED', refused: 'REFUSED', timeout: 'NOT DRAINED' }[r.outcome];
  out.push(`${head}: ${r.message}`);
  out.push('');
  out.push(
    table(
      ['LB', 'OUTCOME', 'STATUS', 'SESSIONS', 'DETAIL'],
      r.lbs.map((l) => [l.lb, l.outcome, l.statusAfter ?? '-', l.sessions === null ? '-' : String(l.sessions), l.error ? `${l.error.code}: ${l.error.message}` : '']),
    ),
  );
  if (r.forced) out.push(`\nSafety gate override recorded (typed "${r.node}").`);
  if (verbose) {
    out.push('\nCommands sent:');
    for (const l of r.lbs) {
      for (const c of l.commands) {
        const reply = c.reply === '' ? '(no output)' : c.reply.split('\n').length > 3 ? `${c.reply.split('\n').length} lines` : c.reply;
        out.push(`  ${l.lb}> ${c.command}  [${c.ms} ms] ${c.error ? `ERROR ${c.error.message}` : reply}`);
      }
    }
  }
  return out.join('\n');
}
