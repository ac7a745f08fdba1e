import { describe, expect, it } from 'vitest';
import { explainError, toErrorLike } from './explain';

describe('explainError', () => {
  it('names the host, keeps the core message and says what to do next', () => {
    const s = explainError({ code: 'SOCKET_FORWARD_FAILED', message: 'lb1: connect ENOENT /run/haproxy/admin.sock' }, 'lb1');
    expect(s.title).toBe("lb1: HAProxy's admin socket unreachable");
    expect(s.detail).toContain('ENOENT');
    expect(s.next).toMatch(/HAProxy runs on that LB/);
  });

  it('never offers a way around a changed host key except the deliberate forget', () => {
    const s = explainError({ code: 'HOST_KEY_CHANGED', message: 'x' });
    expect(s.next).toContain('clusterdeck host-keys forget');
  });

  it('falls back to a generic next step for unknown codes', () => {
    const s = explainError({ message: 'boom' });
    expect(s.code).toBe('INTERNAL');
    expect(s.next).toMatch(/command drawer/);
  });

  it('normalises thrown values', () => {
    expect(toErrorLike(new Error('x'))).toEqual({ message: 'x' });
    expect(toErrorLike({ code: 'LOCKED', message: 'busy', details: { a: 1 } })).toEqual({ code: 'LOCKED', message: 'busy', details: { a: 1 } });
    expect(toErrorLike('plain')).toEqual({ message: 'plain' });
  });
});
