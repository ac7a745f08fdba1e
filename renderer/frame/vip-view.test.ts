import { describe, expect, it } from 'vitest';
import { vipView } from './vip-view';

describe('VIP in the top bar', () => {
  it('nothing when the cluster has no VIP', () => {
    expect(vipView(null)).toBeNull();
  });

  it('one holder is right', () => {
    expect(vipView({ address: '10.88.0.100', holders: ['lb1'], checkedAt: 0, error: null })).toMatchObject({ text: '10.88.0.100 on lb1', tone: 'ok' });
  });

  it('none or two is a problem, and says which', () => {
    expect(vipView({ address: '10.88.0.100', holders: [], checkedAt: 0, error: null })).toMatchObject({ text: '10.88.0.100 held by no LB', tone: 'error' });
    const two = vipView({ address: '10.88.0.100', holders: ['lb1', 'lb2'], checkedAt: 0, error: null });
    expect(two).toMatchObject({ text: '10.88.0.100 on lb1 and lb2: split brain', tone: 'error' });
    expect(two?.tip).toMatch(/keepalived/);
  });

  it('could not check', () => {
    expect(vipView({ address: '10.88.0.100', holders: [], checkedAt: null, error: 'lb1: timeout' })).toMatchObject({ text: '10.88.0.100: not checked', tone: 'warn' });
    expect(vipView({ address: '10.88.0.100', holders: ['lb1'], checkedAt: 1, error: 'could not check lb2: timeout' })?.tone).toBe('warn');
  });
});
