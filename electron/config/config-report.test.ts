import { describe, expect, it } from 'vitest';
import type { ConfigTargetResult } from '../../shared/domain/config-change';
import { diffStat, names, summarize, validatorSummary } from './config-report';

// haproxy -c on a staged file with a bad keyword (HAProxy 2.6.12, the lab).
const HAPROXY_C = ` [NOTICE]   (12478) : haproxy version is 2.6.12-1+deb12u4
[NOTICE]   (12478) : path to executable is /usr/sbin/haproxy
[ALERT]    (12478) : config : parsing [/etc/haproxy/.haproxy.cfg.clusterdeck-0a1b2c3d4e5f6a7b.tmp:42] : unknown keyword 'frobnicate' in 'backend' section
[ALERT]    (12478) : config : Error(s) found in configuration file : /etc/haproxy/.haproxy.cfg.clusterdeck-0a1b2c3d4e5f6a7b.tmp
[ALERT]    (12478) : config : Fatal errors found in configuration.`;

function t(target: string, outcome: ConfigTargetResult['outcome'], steps: ConfigTargetResult['steps'] = [], backup: string | null = null): ConfigTargetResult {
  return { target, path: '/etc/haproxy/haproxy.cfg', diff: '', changed: true, outcome, steps, backup, error: null };
}
const replaced = [{ step: 'replace' as const, ok: true, detail: '', ms: 1 }];

describe('config change wording', () => {
  it('names lists like a person would', () => {
    expect([names([]), names(['lb1']), names(['lb1', 'lb2']), names(['a', 'b', 'c'])]).toEqual(['', 'lb1', 'lb1 and lb2', 'a, b and c']);
  });

  it("keeps HAProxy's specific [ALERT] lines, against the target's name", () => {
    expect(validatorSummary(HAPROXY_C, '/etc/haproxy/.haproxy.cfg.clusterdeck-0a1b2c3d4e5f6a7b.tmp', '/etc/haproxy/haproxy.cfg')).toBe(
      "[ALERT] config : parsing [/etc/haproxy/haproxy.cfg:42] : unknown keyword 'frobnicate' in 'backend' section",
    );
    expect(validatorSummary('checking...\nsyntax error near line 3\n', null, '/x')).toBe('syntax error near line 3');
    expect(validatorSummary('', null, '/x')).toBe('no output');
  });

  it('says what was refused and that nothing changed', () => {
    const r = summarize('failover-settings', [t('lb1', 'not-touched'), t('lb2', 'refused')], [{ target: 'lb2', step: 'validate', refusal: true, message: '[ALERT] … line 42' }]);
    expect(r).toEqual({ outcome: 'refused', message: 'lb2 refused the new file: [ALERT] … line 42; nothing was changed on any LB' });
    const m = summarize('managed-file', [t('node1', 'failed')], [{ target: 'node1', step: 'read', refusal: false, message: 'node1: /srv/app/app.conf does not exist' }]);
    expect(m).toEqual({ outcome: 'failed', message: 'reading the file failed on node1: /srv/app/app.conf does not exist; nothing was changed on any host' });
  });

  it('says who was restored, in the order it happened, and who could not be', () => {
    const targets = [t('lb1', 'restored', replaced, '/b1'), t('lb2', 'restored', replaced, '/b2'), t('lb3', 'restored', replaced, '/b3')];
    expect(summarize('failover-settings', targets, [{ target: 'lb3', step: 'reload', refusal: false, message: 'x' }], { reloads: true }).message).toBe(
      'reload failed on lb3: x; lb3, lb2 and lb1 were restored to their previous files and reloaded',
    );
    const bad = { ...t('lb1', 'failed', [...replaced, { step: 'restore', ok: false, detail: '', ms: 1 }], '/b1'), error: { code: 'SSH_DISCONNECTED' as const, message: 'lb1: link lost' } };
    const r = summarize('failover-settings', [bad, t('lb2', 'restored', replaced, '/b2')], [{ target: 'lb2', step: 'verify', refusal: false, message: 'y' }], { reloads: true });
    expect(r.outcome).toBe('failed');
    expect(r.message).toBe(
      'verification failed on lb2: y; lb2 was restored to its previous file and reloaded; could NOT restore lb1 (lb1: link lost; its previous file is kept at /b1): check it by hand (the file is whole, old or new: ClusterDeck only replaces files by rename)',
    );
  });

  it('tells a restored file whose reload failed apart from a file that could not be restored', () => {
    const steps = [...replaced, { step: 'restore' as const, ok: true, detail: '', ms: 1 }, { step: 'reload' as const, ok: false, detail: '', ms: 1 }];
    const lb1 = { ...t('lb1', 'failed', steps, '/b1'), error: { code: 'HAPROXY_ERROR' as const, message: 'lb1: worker 7 is still serving' } };
    const r = summarize('failover-settings', [lb1], [{ target: 'lb1', step: 'reload', refusal: false, message: 'lb1: worker 7 is still serving' }], { reloads: true });
    expect(r).toEqual({
      outcome: 'failed',
      message: 'reload failed on lb1: worker 7 is still serving; lb1 got its previous file back, but reloading it failed (lb1: worker 7 is still serving): reload by hand',
    });
  });

  it('counts diff lines', () => {
    expect(diffStat('--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y\n+z\n')).toBe('1 line removed, 2 added');
  });
});
