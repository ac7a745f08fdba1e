import type { ClusterStatus } from '../../shared/domain/status';
import { clock } from '../nodes/node-view';

export interface VipView {
  /** "10.88.0.100 on lb1" (after the "VIP" label). */
  text: string;
  tone: 'ok' | 'warn' | 'error';
  tip: string;
}

const and = (xs: string[]): string => (xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/**
 * Which LB holds the cluster's virtual IP. Exactly one is right; none means clients reach nothing,
 * two means both answer ARP for it (split brain). Null when the cluster has no VIP.
 */
export function vipView(vip: ClusterStatus['vip']): VipView | null {
  if (!vip) return null;
  const when = vip.checkedAt ? ` (checked ${clock(vip.checkedAt)})` : '';
  const err = vip.error ? `\n${vip.error}` : '';
  if (vip.holders.length === 1) {
    return { text: `${vip.address} on ${vip.holders[0]}`, tone: vip.error ? 'warn' : 'ok', tip: `${vip.holders[0]} holds ${vip.address}${when}${err}` };
  }
  if (vip.holders.length === 0) {
    if (vip.error && vip.checkedAt === null) return { text: `${vip.address}: not checked`, tone: 'warn', tip: `Could not check who holds ${vip.address}${err}` };
    return {
      text: `${vip.address} held by no LB`,
      tone: 'error',
      tip: `No LB has ${vip.address}${when}: clients using the VIP reach nothing. Check keepalived on the LBs.${err}`,
    };
  }
  return {
    text: `${vip.address} on ${and(vip.holders)}: split brain`,
    tone: 'error',
    tip: `${and(vip.holders)} all hold ${vip.address}${when}: both answer for it. Check keepalived (VRRP) between them.${err}`,
  };
}
