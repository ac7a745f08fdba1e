import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { CdError } from '../../shared/errors';
import { applyConfigChange, type ConfigTarget } from './config-change';
import type { ConfigJournal } from './config-journal';
import { localLink } from './config-test-support';

// The engine tells the journal before and after every step that changes a host, and waits for it:
// the order of events, what they carry, and a journal that cannot record stopping the change.
const root = mkdtempSync(join(tmpdir(), 'cd-cj-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const OLD = 'inter 1s\n';
const NEW = 'inter 500ms\n';
let dirs: Record<'lb1' | 'lb2', string>;
let n = 0;
beforeEach(() => {
  dirs = { lb1: join(root, `${n}-lb1`), lb2: join(root, `${n}-lb2`) };
  n++;
  for (const d of Object.values(dirs)) {
    mkdirSync(d);
    writeFileSync(join(d, 'haproxy.cfg'), OLD);
  }
});
const file = (lb: 'lb1' | 'lb2'): string => readFileSync(join(dirs[lb], 'haproxy.cfg'), 'utf8');

/** Records every event; the reload sees what the journal said at that moment. */
function memoryJournal(fail?: (event: string) => boolean): ConfigJournal & { events: string[] } {
  const events: string[] = [];
  const add = async (e: string): Promise<void> => {
    if (fail?.(e)) throw new CdError('IO_ERROR', 'No space left on device');
    events.push(e);
  };
  return {
    events,
    prepared: (list) => add(`prepared ${list.map((t) => `${t.target}:${t.unchanged ? 'same' : `${t.shaBefore?.slice(0, 4)}>${t.shaNew.slice(0, 4)}`}`).join(',')}`),
    starting: (t, _p, step) => add(`${t} ${step} start`),
    ended: (t, _p, step, f) => add(`${t} ${step} ${f.ok ? 'ok' : 'failed'}${f.backup ? ' backup' : ''}${f.oldPid ? ` pid ${f.oldPid}>${f.newPid}` : ''}`),
  };
}

function target(lb: 'lb1' | 'lb2', j: { events: string[] }, o: { reloadFails?: boolean } = {}): ConfigTarget {
  let reloads = 0;
  return {
    target: lb,
    link: localLink(lb),
    path: join(dirs[lb], 'haproxy.cfg'),
    render: () => NEW,
    async reload() {
      j.events.push(`${lb} reloading with the journal at "${j.events[j.events.length - 1]}"`);
      if (o.reloadFails && ++reloads === 1) throw new CdError('HAPROXY_ERROR', `${lb}: the reload did not take`, { oldPid: 10 });
      return { detail: 'worker 10 → 11', oldPid: 10, newPid: 11 };
    },
  };
}

const apply = (targets: ConfigTarget[], journal: ConfigJournal) => applyConfigChange({ id: 'c1', cluster: 'demo', kind: 'failover-settings', targets, journal });

describe('the config engine and the intent journal', () => {
  it('records every target before the first backup, and each step before and after it runs', async () => {
    const j = memoryJournal();
    const r = await apply([target('lb1', j), target('lb2', j)], j);
    expect(r.outcome).toBe('ok');
    const sha = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 4);
    expect(j.events).toEqual([
      `prepared lb1:${sha(OLD)}>${sha(NEW)},lb2:${sha(OLD)}>${sha(NEW)}`,
      'lb1 backup start',
      'lb1 backup ok backup',
      'lb1 replace start',
      'lb1 replace ok',
      'lb1 reload start',
      'lb1 reloading with the journal at "lb1 reload start"',
      'lb1 reload ok pid 10>11',
      'lb1 verify start',
      'lb1 verify ok',
      'lb2 backup start',
      'lb2 backup ok backup',
      'lb2 replace start',
      'lb2 replace ok',
      'lb2 reload start',
      'lb2 reloading with the journal at "lb2 reload start"',
      'lb2 reload ok pid 10>11',
      'lb2 verify start',
      'lb2 verify ok',
    ]);
  });

  it("records the engine's own rollback: restore and the reload after it, with the failed reload's old pid", async () => {
    const j = memoryJournal();
    const r = await apply([target('lb1', j), target('lb2', j, { reloadFails: true })], j);
    expect(r.outcome).toBe('rolled-back');
    const lb2 = j.events.filter((e) => e.startsWith('lb2 ') && !e.includes('reloading'));
    expect(lb2).toEqual([
      'lb2 backup start',
      'lb2 backup ok backup',
      'lb2 replace start',
      'lb2 replace ok',
      'lb2 reload start',
      'lb2 reload failed pid 10>null',
      'lb2 restore start',
      'lb2 restore ok',
      'lb2 reload start',
      'lb2 reload ok pid 10>11',
    ]);
    expect(j.events.slice(-5)).toEqual(['lb1 restore start', 'lb1 restore ok', 'lb1 reload start', 'lb1 reloading with the journal at "lb1 reload start"', 'lb1 reload ok pid 10>11']);
  });

  it('a journal that cannot record before the first backup stops the change: nothing replaced anywhere', async () => {
    const j = memoryJournal((e) => e.startsWith('prepared'));
    const r = await apply([target('lb1', j), target('lb2', j)], j);
    expect(r.outcome).toBe('failed');
    expect(r.message).toContain('could not record the change in the intent journal: No space left on device');
    expect([file('lb1'), file('lb2')]).toEqual([OLD, OLD]);
    expect(j.events).toEqual([]);
  });

  it('a journal that cannot record the reload start undoes the replace (nothing runs unrecorded)', async () => {
    const j = memoryJournal((e) => e === 'lb1 reload start');
    const r = await apply([target('lb1', j), target('lb2', j)], j);
    expect(r.outcome).toBe('rolled-back');
    expect(r.targets[0]!.steps.map((s) => `${s.step}:${s.ok}`)).toEqual(['read:true', 'stage:true', 'backup:true', 'replace:true', 'reload:false', 'restore:true']);
    expect(j.events.some((e) => e.includes('reloading'))).toBe(false);
    expect([file('lb1'), file('lb2')]).toEqual([OLD, OLD]);
    expect(r.targets[1]!.outcome).toBe('not-touched');
  });
});
