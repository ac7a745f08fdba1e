/**
 * Framing of HAProxy's interactive CLI ("prompt" mode), as HAProxy 2.6 writes it: every command's
 * output is followed by an empty line and then the prompt "> ". A silent success is just "\n> ".
 * Several commands on one line separated by ';' each get their own output and prompt, so one
 * round trip can carry a change and its re-read.
 */
export const PROMPT_TERMINATOR = '\n> ';

export interface FrameResult {
  /** Complete replies found, in order, with the framing newline removed. */
  replies: string[];
  /** Bytes after the last complete reply. */
  rest: string;
}

export function takeReplies(buffer: string, max: number): FrameResult {
  const replies: string[] = [];
  let rest = buffer;
  while (replies.length < max) {
    const i = rest.indexOf(PROMPT_TERMINATOR);
    if (i < 0) break;
    let body = rest.slice(0, i);
    // Non-empty output ends with its own newline before the empty line; drop exactly that one.
    if (body.endsWith('\n')) body = body.slice(0, -1);
    replies.push(body);
    rest = rest.slice(i + PROMPT_TERMINATOR.length);
  }
  return { replies, rest };
}

/** ';' separates commands and a newline ends the line: neither may appear inside one command. */
export function validateCommand(cmd: string): string | null {
  if (cmd.length === 0) return 'empty command';
  if (/[;\n\r\\]/.test(cmd)) return `command contains a character HAProxy's CLI treats specially (; \\ or newline): ${JSON.stringify(cmd)}`;
  if (cmd.length > 4000) return 'command too long';
  return null;
}
