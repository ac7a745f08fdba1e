import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The layout rules of DEVELOPERS.md, enforced on every import in the tree.
const root = join(__dirname, '..');

function files(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(root, dir))) {
    const p = join(dir, e);
    if (e === 'node_modules' || e === 'fixtures' || e.startsWith('.')) continue;
    if (statSync(join(root, p)).isDirectory()) out.push(...files(p));
    else if (/\.(ts|tsx|mts)$/.test(e)) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const found = new Set<string>();
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"\n]*?from\s+['"]([^'"]+)['"]/g)) found.add(m[1]!);
  for (const m of text.matchAll(/\b(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g)) found.add(m[1]!);
  return [...found];
}

const isTest = (f: string) => /\.(test|spec)\.tsx?$|test-support\.ts$|testing\.ts$/.test(f);
const SHELL = /^electron\/(main|preload)\.ts$|^electron\/shell\//;

describe('layering', () => {
  it('shared/ imports only shared/ and zod (it runs in the renderer too: no Node built-ins)', () => {
    const bad: string[] = [];
    for (const f of files('shared').filter((x) => !isTest(x))) {
      for (const i of imports(f)) {
        const ok = i === 'zod' || (i.startsWith('.') && relative(root, join(root, f, '..', i)).startsWith('shared'));
        if (!ok) bad.push(`${f} -> ${i}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('only the Electron shell imports electron', () => {
    const bad = files('electron')
      .filter((f) => !SHELL.test(f))
      .flatMap((f) => imports(f).filter((i) => i === 'electron' || i.startsWith('electron/')).map((i) => `${f} -> ${i}`));
    expect(bad).toEqual([]);
  });

  it('production code never imports test code or the lab', () => {
    const bad: string[] = [];
    for (const f of [...files('electron'), ...files('shared')].filter((x) => !isTest(x))) {
      for (const i of imports(f)) {
        if (/e2e\/|\.test$|test-support|\/testing$/.test(i)) bad.push(`${f} -> ${i}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('nothing refers to the ../shared folder beside the repository', () => {
    const bad: string[] = [];
    for (const f of ['package.json', '.ci/run', ...files('scripts'), ...files('e2e')]) {
      const text = readFileSync(join(root, f), 'utf8');
      if (/\.\.\/shared\/(seeds|design|hooks)|\/work\/shared/.test(text)) bad.push(f);
    }
    expect(bad).toEqual([]);
  });
});
