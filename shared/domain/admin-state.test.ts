import { describe, expect, it } from 'vitest';
import { adminStateOf, SRV_ADMIN, strictestAdmin, withAdminWords } from './admin-state';

describe('admin state', () => {
  it('reads the bits: maintenance wins over drain, inherited bits count', () => {
    expect(adminStateOf(null)).toBeNull();
    expect(adminStateOf(0)).toBe('ready');
    expect(adminStateOf(SRV_ADMIN.FDRAIN)).toBe('drain');
    expect(adminStateOf(SRV_ADMIN.IDRAIN)).toBe('drain');
    expect(adminStateOf(SRV_ADMIN.FDRAIN | SRV_ADMIN.FMAINT)).toBe('maint');
    expect(adminStateOf(SRV_ADMIN.CMAINT)).toBe('maint');
  });

  it('takes the strictest across LBs', () => {
    expect(strictestAdmin([])).toBeNull();
    expect(strictestAdmin([null, 'ready'])).toBe('ready');
    expect(strictestAdmin(['ready', 'drain', null])).toBe('drain');
    expect(strictestAdmin(['maint', 'drain'])).toBe('maint');
  });

  it('says what the admin asked when the state hides it', () => {
    expect(withAdminWords('down', 'drain')).toBe('down, drained');
    expect(withAdminWords('DOWN', 'maint')).toBe('DOWN, in maintenance');
    expect(withAdminWords('DRAIN', 'drain')).toBe('DRAIN');
    expect(withAdminWords('draining', 'drain')).toBe('draining');
    expect(withAdminWords('MAINT (via app/x)', 'maint')).toBe('MAINT (via app/x)');
    expect(withAdminWords('UP', 'ready')).toBe('UP');
    expect(withAdminWords('UP', null)).toBe('UP');
  });
});
