/**
 * Shell quoting and path rules for every command ClusterDeck builds for a remote host. Pure.
 *
 * Every path and value that reaches a remote shell goes through shq(): one single-quoted word, so
 * nothing in it (spaces, $, `, ;, newlines, quotes) is ever interpreted by the shell.
 */

/** POSIX single-quote: 'it'\''s' — the only character that needs care inside '...' is ' itself. */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Why a remote path is refused, or null when it is acceptable. Checked before any command is sent.
 * Absolute, canonical paths only: '..' would let a rendered path escape the directory the admin
 * configured, '.' and '//' make two spellings of one file (and so two sets of temp/backup names),
 * and control characters would break the line-oriented replies of our scripts.
 */
export function remotePathProblem(path: string): string | null {
  if (typeof path !== 'string' || path === '') return 'the path is empty';
  if (!path.startsWith('/')) return `"${path}" is not an absolute path`;
  if (/[\u0000-\u001f\u007f]/.test(path)) return `${JSON.stringify(path)} contains a control character`;
  if (path.length > 1024) return 'the path is longer than 1024 characters';
  if (path === '/') return '"/" is not a file';
  if (path.endsWith('/')) return `"${path}" ends with "/": name a file`;
  const segments = path.slice(1).split('/');
  if (segments.some((s) => s === '..')) return `"${path}" contains a ".." segment`;
  if (segments.some((s) => s === '.')) return `"${path}" contains a "." segment`;
  if (segments.some((s) => s === '')) return `"${path}" contains "//"`;
  if ((segments[segments.length - 1] ?? '').length > 200) return `the file name in "${path}" is longer than 200 characters`;
  return null;
}

/** Directory and file name of an accepted path ("/etc/haproxy/haproxy.cfg" → "/etc/haproxy", "haproxy.cfg"). */
export function splitPath(path: string): { dir: string; name: string } {
  const i = path.lastIndexOf('/');
  return { dir: i <= 0 ? '/' : path.slice(0, i), name: path.slice(i + 1) };
}

/** Escapes find(1)/fnmatch metacharacters so a file name matches only itself inside a -name pattern. */
export function globEscape(s: string): string {
  return s.replace(/[\\*?[\]]/g, (c) => `\\${c}`);
}

/** Escapes a string for use inside a RegExp. */
export function reEscape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, (c) => `\\${c}`);
}

/** `sync FILE` (coreutils ≥ 8.24) fsyncs just that file or directory; older tools only have a global sync. */
export function syncCmd(quotedPath: string): string {
  return `{ sync ${quotedPath} 2>/dev/null || sync; }`;
}
