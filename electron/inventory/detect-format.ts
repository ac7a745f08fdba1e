// Which inventory plugin would read this file. Ansible tries `yaml` (for .yml/.yaml/.json or no
// extension) and then `ini`; here: the extension decides when it is telling, otherwise a file that
// parses as a YAML mapping is YAML, and a broken file whose first line looks like YAML (`---`,
// `%YAML`, `group:`) is YAML too, so its syntax error is reported as such instead of as INI noise.
import path from 'node:path';
import { isMap } from 'yaml';
import { parseYamlText } from './yaml-util';

export type InventoryFormat = 'yaml' | 'ini';

export function detectFormat(name: string, text: string): InventoryFormat {
  const ext = path.extname(name).toLowerCase();
  if (ext === '.yml' || ext === '.yaml' || ext === '.json') return 'yaml';
  if (ext === '.ini' || ext === '.cfg') return 'ini';
  const { doc } = parseYamlText(text);
  if (doc.errors.length === 0) return isMap(doc.contents) ? 'yaml' : 'ini';
  const first = text
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('#'));
  if (first === undefined) return 'ini';
  if (first === '---' || first.startsWith('%YAML') || first.startsWith('{')) return 'yaml';
  return /^[^\s[;=:'"][^=\s]*:(\s+#.*)?$/.test(first) ? 'yaml' : 'ini';
}
