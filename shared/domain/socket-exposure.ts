/**
 * HAProxy's runtime API has no authentication: a TCP `stats socket` bound anywhere but the loopback
 * lets whoever reaches the port drain, stop or reconfigure servers. The one rule for "exposed", and
 * its wording, used when an inventory is imported and when an LB's own haproxy.cfg is read.
 */

/** 127.0.0.0/8, ::1 and localhost: reachable only from the LB itself (ClusterDeck goes through SSH). */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** '', '*', 0.0.0.0 and :: listen on every address of the LB. */
export function isWildcardHost(host: string): boolean {
  const h = host.trim().replace(/^\[|\]$/g, '');
  return h === '' || h === '*' || h === '0.0.0.0' || h === '::';
}

/** The sentence an admin acts on, and the fix, for a runtime socket reachable from the network. */
export function exposedSocketWarning(o: { lb: string; address: string; level: string; where: string }): { message: string; fix: string } {
  const port = /:(\d+)$/.exec(o.address)?.[1] ?? 'PORT';
  const every = isWildcardHost(o.address.replace(/:\d+$/, '').replace(/^ipv[46]@/, ''));
  return {
    message:
      `${o.where} binds ${o.lb}'s runtime API to ${o.address}${every ? ' (every address of the LB)' : ''} at level ${o.level}: ` +
      `HAProxy's CLI has no authentication, so anyone who can reach that port can ${o.level === 'user' ? 'read its statistics' : 'drain, stop or reconfigure its servers'}`,
    fix: `bind it to the loopback (stats socket ipv4@127.0.0.1:${port} level ${o.level}) or use a unix socket (stats socket /run/haproxy/admin.sock mode 660 level admin), which ClusterDeck reaches through the LB's SSH connection`,
  };
}
