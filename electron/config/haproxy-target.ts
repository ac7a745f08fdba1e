/**
 * An LB's haproxy.cfg as a ConfigTarget of the generic engine: the server lines of some backends
 * rewritten, `haproxy -c` as the validator, a confirmed reload, and `show stat` as the check.
 */
import type { LbSpec } from '../../shared/domain/cluster';
import { CdError } from '../../shared/errors';
import type { RuntimeClient } from '../haproxy/runtime-client';
import type { SshLink } from '../ssh/ssh-link';
import type { ConfigTarget } from './config-change';
import { rewriteBackendServers, type ServerPlan } from './haproxy-cfg';
import { reloadHaproxy, verifyServers } from './haproxy-reload';
import { shq } from './shell';

export interface HaproxyTargetOptions {
  lb: LbSpec;
  link: SshLink;
  /** The LB's shared runtime client. */
  runtime: RuntimeClient;
  /** Backend name → its servers' settings. */
  plans: Record<string, ServerPlan>;
  haproxyBin?: string;
  keepBackups?: number;
  /** Passed to reloadHaproxy (tests shorten them). */
  reloadTimeoutMs?: number;
}

export function haproxyServersTarget(o: HaproxyTargetOptions): ConfigTarget {
  const { lb, link, runtime, plans } = o;
  const bin = o.haproxyBin ?? 'haproxy';
  return {
    target: lb.name,
    link,
    path: lb.configPath,
    render(current) {
      let text = current;
      for (const [backend, plan] of Object.entries(plans)) {
        // No `where`: the engine's message already names the LB and the file.
        const r = rewriteBackendServers(text, backend, plan);
        if (r instanceof CdError) return r;
        text = r.text;
      }
      return text;
    },
    validate: `${shq(bin)} -c -f {file}`,
    // The whole result, not just its words: the journal keeps the old and new worker pid.
    reload: () => reloadHaproxy({ link, lb, runtime, haproxyBin: bin, ...(o.reloadTimeoutMs !== undefined ? { timeoutMs: o.reloadTimeoutMs } : {}) }),
    verify: async () => {
      const out: string[] = [];
      for (const [backend, plan] of Object.entries(plans)) {
        const expected = Object.fromEntries(
          Object.entries(plan).map(([s, p]) => [s, { backup: p.backup, ...(p.fall !== undefined ? { fall: p.fall } : {}), ...(p.rise !== undefined ? { rise: p.rise } : {}) }]),
        );
        out.push(await verifyServers(runtime, backend, expected));
      }
      return out.join('; ');
    },
    ...(o.keepBackups !== undefined ? { keepBackups: o.keepBackups } : {}),
  };
}
