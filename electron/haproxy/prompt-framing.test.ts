import { describe, expect, it } from 'vitest';
import { takeReplies, validateCommand } from './prompt-framing';

describe('prompt-mode framing', () => {
  // Captured from HAProxy 2.6.12: "prompt", then "set server app/node1 state drain;set server app/nodeX state drain".
  const captured = '\n> \n> No such server.\n\n> ';

  it('splits silent successes and error replies', () => {
    const r = takeReplies(captured, 3);
    expect(r.replies).toEqual(['', '', 'No such server.']);
    expect(r.rest).toBe('');
  });

  it('waits for the rest of a reply split across chunks', () => {
    const stat = '# pxname,svname,status\napp,node1,UP\n\n> ';
    for (let cut = 0; cut < stat.length; cut++) {
      const first = takeReplies(stat.slice(0, cut), 1);
      expect(first.replies).toEqual([]);
      const second = takeReplies(first.rest + stat.slice(cut), 1);
      expect(second.replies).toEqual(['# pxname,svname,status\napp,node1,UP']);
    }
  });

  it('keeps multi-line output intact and leaves further replies for later', () => {
    const r = takeReplies('1\n# be_id be_name\n3 app\n\n> \n> ', 1);
    expect(r.replies).toEqual(['1\n# be_id be_name\n3 app']);
    expect(r.rest).toBe('\n> ');
  });

  it('refuses characters that would split or escape a command', () => {
    expect(validateCommand('set server app/node1 state drain')).toBeNull();
    expect(validateCommand('show stat;shutdown sessions server app/x')).toMatch(/specially/);
    expect(validateCommand('show stat\nshow info')).toMatch(/specially/);
    expect(validateCommand('')).toMatch(/empty/);
  });
});
