import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the Electron binary would be, found by path: requiring the `electron` package instead would
 * try to download the binary, which these machines can't do.
 */
export function electronBinary(root = process.cwd()): { path: string | null; reason: string } {
  const dir = join(root, 'node_modules', 'electron');
  if (!existsSync(join(dir, 'package.json'))) return { path: null, reason: 'the electron package is not installed' };
  const pathTxt = join(dir, 'path.txt');
  const rel = existsSync(pathTxt)
    ? readFileSync(pathTxt, 'utf8').trim()
    : process.platform === 'darwin'
      ? 'Electron.app/Contents/MacOS/Electron'
      : process.platform === 'win32'
        ? 'electron.exe'
        : 'electron';
  const bin = join(dir, 'dist', rel);
  if (!existsSync(bin)) {
    return { path: null, reason: `no Electron binary at ${bin} (its download is not possible on this machine; ELECTRON_SKIP_BINARY_DOWNLOAD=1)` };
  }
  return { path: bin, reason: '' };
}
