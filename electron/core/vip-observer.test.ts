import { describe, expect, it } from 'vitest';
import { holdsAddress } from './vip-observer';

const out = `1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
2: eth0    inet 10.88.0.21/24 brd 10.88.0.255 scope global eth0\\       valid_lft forever preferred_lft forever
2: eth0    inet 10.88.0.100/32 scope global eth0\\       valid_lft forever preferred_lft forever`;

describe('VIP detection', () => {
  it('finds the exact address and nothing that merely starts like it', () => {
    expect(holdsAddress(out, '10.88.0.100')).toBe(true);
    expect(holdsAddress(out, '10.88.0.10')).toBe(false);
    expect(holdsAddress(out, '10.88.0.1')).toBe(false);
    expect(holdsAddress(out, '10.88.0.21')).toBe(true);
  });
});
