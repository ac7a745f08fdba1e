// The README's test command (`npm test`): sets up what it needs, runs every suite, and ends with
// one line "N passed, N failed, N skipped". Skipped tests are never counted as passed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNodeModules, ensureSystemPackages } from './system-deps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
ensureSystemPackages();
ensureNodeModules(root);

const out = join(root, 'test-results');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const bin = (name) => join(root, 'node_modules', '.bin', name);
const totals = { passed: 0, failed: 0, skipped: 0 };
const notes = [];

function run(label, cmd, args, env = {}) {
  console.log(`\n=== ${label} ===`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env }, cwd: root });
  return r.status ?? 1;
}

// 1. Types (core and renderer): a type error is a failed check, counted as one failure each.
for (const [label, project] of [['typecheck: core', 'tsconfig.json'], ['typecheck: renderer', 'renderer/tsconfig.json']]) {
  if (run(label, bin('tsc'), ['-p', project, '--noEmit']) === 0) totals.passed++;
  else {
    totals.failed++;
    notes.push(`${label} failed`);
  }
}

// 2. Build what the browser and Electron tests load (renderer, shell, CLI bundle).
console.log('\n=== build ===');
try {
  const { ensureBuilt } = await import('./build.mjs');
  const built = await ensureBuilt({ force: true });
  console.log(`built: ${built.join(', ')}`);
  totals.passed++;
} catch (e) {
  totals.failed++;
  notes.push(`build failed: ${e instanceof Error ? e.message : e}`);
}

// 3. Unit and lab tests (vitest). A file that fails to load has no tests: count it as a failure.
const vitestJson = join(out, 'vitest.json');
run('unit and lab tests (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
if (existsSync(vitestJson)) {
  const v = JSON.parse(readFileSync(vitestJson, 'utf8'));
  totals.passed += v.numPassedTests ?? 0;
  totals.failed += v.numFailedTests ?? 0;
  totals.skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
  for (const f of v.testResults ?? []) {
    for (const a of f.assertionResults ?? []) {
      if (a.status === 'skipped' || a.status === 'pending' || a.status === 'todo') notes.push(`skipped ${a.ancestorTitles.join(' > ')} > ${a.title}`);
    }
  }
  const brokenFiles = (v.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0);
  totals.failed += brokenFiles.length;
  for (const f of brokenFiles) notes.push(`could not run ${f.name.replace(root + '/', '')}: ${(f.message ?? '').split('\n')[0]}`);
} else {
  totals.failed++;
  notes.push('vitest produced no report');
}

// 4. Browser and Electron tests (Playwright), when there are any.
const hasSpecs = existsSync(join(root, 'e2e')) && readdirSync(join(root, 'e2e'), { recursive: true }).some((f) => String(f).endsWith('.spec.ts'));
if (hasSpecs) {
  const pwJson = join(out, 'playwright.json');
  run('end-to-end tests (playwright: Chromium against the headless host, and Electron where a binary exists)', bin('playwright'), ['test'], {
    PW_JSON_REPORT: pwJson,
  });
  if (existsSync(pwJson)) {
    const p = JSON.parse(readFileSync(pwJson, 'utf8'));
    const s = p.stats ?? {};
    totals.passed += (s.expected ?? 0) + (s.flaky ?? 0);
    totals.failed += s.unexpected ?? 0;
    totals.skipped += s.skipped ?? 0;
    // A skip is never silent: name each skipped test and why.
    const visit = (suite) => {
      for (const sub of suite.suites ?? []) visit(sub);
      for (const spec of suite.specs ?? []) {
        for (const t of spec.tests ?? []) {
          if (t.status !== 'skipped') continue;
          const why = (t.annotations ?? []).find((a) => a.type === 'skip')?.description ?? 'no reason given';
          notes.push(`skipped [${t.projectName}] ${spec.title}: ${why}`);
        }
      }
    };
    for (const suite of p.suites ?? []) visit(suite);
    if ((p.errors ?? []).length) {
      totals.failed += p.errors.length;
      for (const e of p.errors) notes.push(`playwright: ${(e.message ?? '').split('\n')[0]}`);
    }
  } else {
    totals.failed++;
    notes.push('playwright produced no report');
  }
}

for (const n of notes) console.log(`note: ${n}`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
