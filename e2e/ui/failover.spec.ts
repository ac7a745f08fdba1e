import { readFileSync, writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { CdError } from '../../shared/errors';
import { lbEtc } from '../lab/layout';
import type { Lab } from '../lab';
import { expect, requireLab, shot, test, watchConsole, type TestHost } from '../support/fixtures';
import { checkParams, expectAllUp, LAB_FAILOVER_SETTINGS, LBS, NODES, openApp, resetLab, rpcClient, hostWithLab } from './helpers';

requireLab();

const cfgPath = (lab: Lab, lb: (typeof LBS)[number]): string => `${lbEtc(lab.dir, lb)}/haproxy.cfg`;
const readCfg = (lab: Lab, lb: (typeof LBS)[number]): string => readFileSync(cfgPath(lab, lb), 'utf8');

async function openFailoverTab(page: Page): Promise<void> {
  await page.getByTestId('tab-failover').click();
  await expect(page.getByTestId('fo-interval')).toBeVisible();
}

/** The refusal an RPC call ends with (it must end with one). */
async function refusal(p: Promise<unknown>): Promise<CdError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CdError) return e;
    throw e;
  }
  throw new Error('the call was accepted');
}

// The Failover settings tab on the lab's two LBs: bad values refused by the form (by field) and by the
// core (schema), a change previewed as a per-LB haproxy.cfg diff validated on each LB, applied with
// per-LB progress, and checked on the LBs themselves (their files, `show stat`). The LBs are put
// back as the lab had them at the end, so later specs see interval 1 s, fall 3, rise 2, node3 backup.
test.describe.serial('failover settings', () => {
  let host: TestHost;
  const original: Partial<Record<(typeof LBS)[number], string>> = {};

  test.beforeAll(async ({ browser, lab }) => {
    await resetLab(lab);
    for (const lb of LBS) original[lb] = readCfg(lab, lb);
    host = await hostWithLab(browser, lab);
  });

  test.afterAll(async ({ lab }) => {
    // Whatever happened above: files readable by HAProxy, the lab's own settings back on both LBs.
    for (const lb of LBS) {
      const cur = readCfg(lab, lb);
      if (cur.includes('bogus-keyword')) writeFileSync(cfgPath(lab, lb), original[lb]!);
    }
    const client = await rpcClient(host);
    try {
      const r = await client.call('failover.apply', { cluster: 'demo', settings: LAB_FAILOVER_SETTINGS });
      expect(['ok', 'unchanged']).toContain(r.result.outcome);
    } finally {
      client.close();
    }
    for (const lb of LBS) {
      for (const n of NODES) expect(await checkParams(lab, lb, n)).toMatchObject({ fall: 3, rise: 2, backup: n === 'node3' });
    }
    await lab.fault.moveVip('lb1');
    await resetLab(lab);
    await host?.stop();
  });

  test('bad values are refused by their field; the core refuses them again (INVALID_ARGUMENT) and changes nothing', async ({ page, lab }) => {
    const con = watchConsole(page);
    await openApp(page, host);
    await expectAllUp(page);
    await openFailoverTab(page);
    // the settings in force, as the LBs run them
    await expect(page.getByTestId('fo-interval')).toHaveValue('1s');
    await expect(page.getByTestId('fo-heartbeats')).toHaveValue('3');
    await expect(page.getByTestId('fo-rise')).toHaveValue('2');
    await expect(page.getByTestId('fo-active')).toHaveValue('2');
    await expect(page.getByTestId('fo-standby-node3')).toBeChecked();
    await expect(page.getByTestId('fo-standby-node1')).not.toBeChecked();
    await expect(page.getByTestId('fo-min-active')).toHaveValue('1');
    await expect(page.getByTestId('fo-vip')).toHaveValue('');
    await expect(page.getByTestId('failover-time')).toHaveText('3 s');
    await expect(page.getByTestId('failover-words')).toHaveText(
      'If a node stops answering, HAProxy takes it out after 3 s: 3 checks 1 s apart; ClusterDeck marks it unreachable after the same time.',
    );
    await expect(page.getByTestId('failover-form-status')).toHaveText('These are the settings in force.');

    const interval = page.getByTestId('fo-interval');
    const err = page.getByTestId('fo-interval-error');
    for (const [typed, reason] of [
      ['0', '0 is not an interval: at least 100 ms'],
      ['-500ms', 'cannot be negative'],
      ['fast', 'not a duration: write it like 500ms, 1s or 1.5s'],
      ['2s5', 'not a duration: write it like 500ms, 1s or 1.5s'],
      ['99999999', 'must be at most 60 s'],
    ] as const) {
      await interval.fill(typed);
      await expect(err).toHaveText(reason);
      await expect(interval).toHaveAttribute('aria-invalid', 'true');
      await expect(page.getByTestId('failover-preview')).toBeDisabled();
    }
    await page.getByTestId('fo-heartbeats').fill('abc');
    await expect(page.getByTestId('fo-heartbeats-error')).toHaveText('must be a number');
    await page.getByTestId('fo-rise').fill('0');
    await expect(page.getByTestId('fo-rise-error')).toHaveText('must be at least 1');
    await page.getByTestId('fo-vip').fill('10.0.0.300');
    await expect(page.getByTestId('fo-vip-error')).toContainText('not an IPv4 address');
    await expect(page.getByTestId('failover-form-status')).toHaveText('Fix the fields marked in red to preview.');
    // the explanation keeps describing what runs while the form is wrong, and says so
    await expect(page.getByTestId('failover-time')).toHaveText('3 s');
    await expect(page.getByTestId('failover-changes-invalid')).toBeVisible();
    await page.getByTestId('fo-interval').scrollIntoViewIfNeeded();
    await shot(page, 'failover-settings-field-errors');
    // the last active node cannot become standby
    await page.getByTestId('fo-active').fill('1');
    await expect(page.getByTestId('fo-standby-node2')).toBeChecked();
    await expect(page.getByTestId('fo-standby-node1')).toBeDisabled();
    await page.getByTestId('failover-reset').click();
    await expect(interval).toHaveValue('1s');
    await expect(page.getByTestId('failover-reset')).toBeDisabled();
    await expect(page.getByTestId('fo-standby-node2')).not.toBeChecked();
    await expect(err).toHaveCount(0);

    // the same values straight to the API: the schema in main refuses them, nothing is touched
    const client = await rpcClient(host);
    try {
      for (const bad of [
        { heartbeatIntervalMs: 0 },
        { heartbeatIntervalMs: -500 },
        { heartbeatIntervalMs: 1.5 },
        { heartbeatIntervalMs: 99_999_999 },
        { failoverHeartbeats: 0 },
        { riseCount: -1 },
        { vip: '10.0.0.300' },
      ]) {
        for (const method of ['failover.preview', 'failover.apply'] as const) {
          const e = await refusal(client.call(method, { cluster: 'demo', settings: { ...LAB_FAILOVER_SETTINGS, ...bad } }));
          expect(e.code, `${method} ${JSON.stringify(bad)}`).toBe('INVALID_ARGUMENT');
          expect(e.message).toContain(`settings.${Object.keys(bad)[0]}`);
        }
      }
      const e = await refusal(client.call('failover.apply', { cluster: 'demo', settings: { ...LAB_FAILOVER_SETTINGS, heartbeatIntervalMs: '2s5' as unknown as number } }));
      expect(e.code).toBe('INVALID_ARGUMENT');
    } finally {
      client.close();
    }
    for (const lb of LBS) expect(readCfg(lab, lb)).toBe(original[lb]);
    expect(con.errors).toEqual([]);
  });

  test('HAProxy refusing the new file on one LB shows its message, and nothing can be applied', async ({ page, lab }) => {
    const con = watchConsole(page);
    // someone left a typo in lb2's haproxy.cfg: HAProxy runs the old config, but the file no longer validates
    writeFileSync(cfgPath(lab, 'lb2'), original.lb2!.replace('    balance roundrobin', '    balance roundrobin\n    bogus-keyword 1'));
    try {
      await openApp(page, host);
      await expectAllUp(page);
      await openFailoverTab(page);
      await page.getByTestId('fo-heartbeats').fill('4');
      await page.getByTestId('failover-preview').click();
      await expect(page.getByTestId('preview-target-lb1')).toHaveAttribute('data-valid', 'true', { timeout: 30_000 });
      await expect(page.getByTestId('preview-target-lb2')).toHaveAttribute('data-valid', 'false');
      await expect(page.getByTestId('preview-valid-lb2')).toHaveText('✗ HAProxy refuses it');
      await expect(page.getByTestId('preview-message-lb2')).toContainText('bogus-keyword');
      await expect(page.getByTestId('failover-apply')).toBeDisabled();
      await expect(page.getByTestId('apply-disabled-why')).toHaveText('HAProxy refuses the new file on lb2: nothing can be applied.');
      await page.getByTestId('preview-target-lb2').scrollIntoViewIfNeeded();
      await shot(page, 'failover-preview-refused');
      for (const lb of LBS) expect(await checkParams(lab, lb, 'node1')).toMatchObject({ fall: 3 });
      expect(readCfg(lab, 'lb1')).toBe(original.lb1);
    } finally {
      writeFileSync(cfgPath(lab, 'lb2'), original.lb2!);
    }
    expect(con.errors).toEqual([]);
  });

  test('500ms × 4, node3 standby: per-LB diff, apply with progress, both LBs changed, standby badge', async ({ page, lab }) => {
    const con = watchConsole(page);
    await openApp(page, host);
    await expectAllUp(page);
    await openFailoverTab(page);
    await page.getByTestId('fo-interval').fill('500ms');
    await page.getByTestId('fo-heartbeats').fill('4');
    // all three active first (no standby), then node3 ticked as standby again: the count follows
    await page.getByTestId('fo-active').fill('3');
    await expect(page.getByTestId('fo-standby-node3')).not.toBeChecked();
    await expect(page.getByTestId('mode-title')).toHaveText('Load-balanced: all 3 nodes active');
    await page.getByTestId('fo-standby-node3').check();
    await expect(page.getByTestId('fo-active')).toHaveValue('2');
    await expect(page.getByTestId('mode-title')).toHaveText('Load-balanced: 2 active, 1 standby');
    await expect(page.getByTestId('mode-words')).toContainText('node3 is standby: HAProxy sends it traffic only when none of node1 and node2 is UP');
    await expect(page.getByTestId('failover-time')).toHaveText('2 s');
    await expect(page.getByTestId('failover-words')).toHaveText(
      'If a node stops answering, HAProxy takes it out after 2 s: 4 checks 500 ms apart; ClusterDeck marks it unreachable after the same time.',
    );
    await expect(page.getByTestId('failover-changes')).toContainText('Heartbeat interval');
    await expect(page.getByTestId('failover-changes')).toContainText('500 ms');

    await page.getByTestId('failover-preview').click();
    for (const lb of LBS) {
      const t = page.getByTestId(`preview-target-${lb}`);
      await expect(t).toHaveAttribute('data-valid', 'true', { timeout: 30_000 });
      await expect(t).toHaveAttribute('data-changed', 'true');
      await expect(page.getByTestId(`preview-valid-${lb}`)).toHaveText('✓ HAProxy accepts it');
      const diff = page.getByTestId(`preview-diff-${lb}`);
      await expect(diff.getByTestId('diff-add')).toHaveCount(3);
      await expect(diff.getByTestId('diff-del')).toHaveCount(3);
      await expect(diff.getByTestId('diff-add').first()).toContainText('fall 4');
      await expect(diff.getByTestId('diff-del').first()).toContainText('fall 3');
      // marked, not only coloured
      await expect(diff.locator('.diff-add .diff-mark').first()).toHaveText('+');
      await expect(diff.locator('.diff-del .diff-mark').first()).toHaveText('−');
    }
    // nothing written by a preview
    for (const lb of LBS) expect(readCfg(lab, lb)).toBe(original[lb]);
    const apply = page.getByTestId('failover-apply');
    await expect(apply).toHaveText('Apply to lb1 and lb2');
    await expect(apply).toBeEnabled();
    await page.getByTestId('failover-preview-result').scrollIntoViewIfNeeded();
    await shot(page, 'failover-preview-diff');

    await apply.click();
    // progress per LB while it runs (a second or two on the lab), then the result
    const progress = page.getByTestId('apply-progress');
    const sawProgress = await progress
      .waitFor({ state: 'visible', timeout: 3000 })
      .then(() => true)
      .catch(() => false);
    if (sawProgress) {
      await expect(page.getByTestId('apply-steps-lb1').locator('[data-state=done]').first()).toBeVisible({ timeout: 10_000 }).catch(() => undefined);
      await shot(page, 'failover-apply-progress');
    }
    const result = page.getByTestId('apply-result');
    await expect(result).toHaveAttribute('data-outcome', 'ok', { timeout: 60_000 });
    await expect(page.getByTestId('apply-result-title')).toHaveText('Applied on lb1 and lb2');
    for (const lb of LBS) {
      await expect(page.getByTestId(`apply-lb-${lb}`)).toHaveAttribute('data-outcome', 'applied');
      for (const step of ['validate', 'replace', 'reload', 'verify']) {
        await expect(page.getByTestId(`apply-steps-${lb}`).locator(`[data-step=${step}]`)).toHaveAttribute('data-state', 'done');
      }
    }
    await expect(page.getByTestId('toast-ok').filter({ hasText: 'Applied on lb1 and lb2' })).toBeVisible();
    await result.scrollIntoViewIfNeeded();
    await shot(page, 'failover-apply-result');

    // on the LBs themselves: each file changed, HAProxy runs fall 4 (and node3 stays the backup)
    for (const lb of LBS) {
      const now = readCfg(lab, lb);
      expect(now).not.toBe(original[lb]);
      for (const n of NODES) expect(now).toMatch(new RegExp(`server ${n} \\S+ check inter 500(ms)? fall 4 rise 2${n === 'node3' ? ' backup' : ''}\\n`));
      for (const n of NODES) expect(await checkParams(lab, lb, n)).toMatchObject({ fall: 4, rise: 2, backup: n === 'node3' });
    }
    // the form now shows what runs; the top bar's budget and the Overview follow
    await expect(page.getByTestId('fo-interval')).toHaveValue('500ms');
    await expect(page.getByTestId('failover-form-status')).toHaveText('These are the settings in force.');
    await expect(page.getByTestId('failover-budget')).toHaveText('fails over after 2 s: 500 ms × 4 heartbeats');
    await page.getByTestId('tab-overview').click();
    await expect(page.getByTestId('state-badge-node3')).toHaveAttribute('data-state', 'standby');
    await expect(page.getByTestId('node-row-node3')).toContainText('standby');
    await expect(page.getByTestId('lb-chip-node3-lb2')).toContainText('bck');
    await expect(page.getByTestId('state-badge-node1')).toHaveAttribute('data-state', 'active');
    await shot(page, 'overview-after-failover-apply');
    expect(con.errors).toEqual([]);
  });

  test('Activity records the change: outcome, message, steps per LB and the diff', async ({ page }) => {
    const con = watchConsole(page);
    await openApp(page, host);
    await page.getByTestId('tab-activity').click();
    const first = page.getByTestId('activity-list').getByTestId('audit-entry').first();
    await expect(first).toHaveAttribute('data-kind', 'config-change');
    await expect(first).toContainText('Failover settings');
    await expect(first).toContainText('applied');
    await first.getByRole('button').first().click();
    const d = first.getByTestId('audit-config-change');
    await expect(d).toContainText('Applied on lb1 and lb2');
    for (const lb of LBS) {
      await expect(d.getByTestId(`audit-lb-${lb}`)).toContainText('applied');
      await expect(d.getByTestId(`audit-steps-${lb}`).locator('[data-step=reload]')).toHaveAttribute('data-state', 'done');
      await d.getByTestId(`audit-lb-${lb}`).locator('summary').click();
      await expect(d.getByTestId(`audit-diff-${lb}`).getByTestId('diff-add').first()).toContainText('fall 4');
    }
    await shot(page, 'activity-config-change');
    expect(con.errors).toEqual([]);
  });

  test('the VIP saved with the settings shows in the top bar, and follows the lab when it moves', async ({ page, lab }) => {
    const con = watchConsole(page);
    await openApp(page, host);
    await expectAllUp(page);
    await expect(page.getByTestId('vip-fact')).toHaveCount(0);
    await openFailoverTab(page);
    await page.getByTestId('fo-vip').fill(lab.vip);
    await page.getByTestId('failover-preview').click();
    for (const lb of LBS) await expect(page.getByTestId(`preview-target-${lb}`)).toHaveAttribute('data-changed', 'false', { timeout: 30_000 });
    const apply = page.getByTestId('failover-apply');
    await expect(apply).toHaveText('Save settings (haproxy.cfg unchanged)');
    await apply.click();
    await expect(page.getByTestId('apply-result')).toHaveAttribute('data-outcome', /^(ok|unchanged)$/, { timeout: 60_000 });
    const vip = page.getByTestId('vip');
    await expect(vip).toHaveText(`${lab.vip} on lb1`, { timeout: 20_000 });
    await lab.fault.moveVip('lb2');
    await expect(vip).toHaveText(`${lab.vip} on lb2`, { timeout: 20_000 });
    await lab.fault.moveVip('lb1');
    await expect(vip).toHaveText(`${lab.vip} on lb1`, { timeout: 20_000 });
    expect(con.errors).toEqual([]);
  });
});
