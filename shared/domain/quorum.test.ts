import { describe, expect, it } from 'vitest';
import { failoverBudgetWords, quorumOf } from './quorum';

describe('quorum', () => {
  it.each([
    [1, 1, 0],
    [2, 2, 0],
    [3, 2, 1],
    [4, 3, 1],
    [5, 3, 2],
    [6, 4, 2],
  ])('size %i: majority %i, fault tolerance %i (the seed table)', (size, majority, tolerance) => {
    expect(quorumOf(size, size)).toMatchObject({ size, majority, faultTolerance: tolerance, hasQuorum: true, spare: tolerance });
  });

  it('says when quorum is lost and how much is spare', () => {
    expect(quorumOf(3, 1)).toMatchObject({ hasQuorum: false, spare: 0 });
    expect(quorumOf(5, 4)).toMatchObject({ hasQuorum: true, spare: 1 });
    expect(quorumOf(0, 0).hasQuorum).toBe(false);
  });

  it('words the failover budget', () => {
    expect(failoverBudgetWords(1000, 3)).toBe('fails over after 3 s: 1 s × 3 heartbeats');
    expect(failoverBudgetWords(500, 4)).toBe('fails over after 2 s: 500 ms × 4 heartbeats');
    expect(failoverBudgetWords(1500, 1)).toBe('fails over after 1.5 s: 1.5 s × 1 heartbeat');
  });
});
