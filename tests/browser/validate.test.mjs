// Markup as the W3C checks it: every page (*.html) and every chart (*.svg) of the real site and of
// the fixture site (which has the page kinds the real content has none of yet, a report among
// them) goes through the Nu Html Checker (vnu.jar, from the npm package vnu-jar) in one Java run,
// together with a page and a chart known to be invalid, so the check cannot pass by checking
// nothing. The pages of both sites built with `--minify` are checked too: minifying must leave
// them valid. Needs Java 11 or later (`java`, or $JAVA); .ci/run installs Debian's JRE.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSite, REPO } from './lib.mjs';

const VNU_JAR = String(createRequire(import.meta.url)('vnu-jar'));
const JAVA = process.env.JAVA ?? 'java';

/** Every file under `dir` whose name ends with one of `exts`, as absolute paths. */
function filesUnder(dir, exts) {
  return readdirSync(dir, { recursive: true })
    .filter((f) => exts.some((e) => f.endsWith(e)))
    .map((f) => join(dir, f)).sort();
}

const BAD_PAGE = `<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>t</title></head>
<body><main><h1>見出し<div>区切り</div></h1><form action=""><input name="q"></form></main></body></html>`;
const BAD_CHART = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>図</title><bar/></svg>`;

const sites = {};
let bad;
let messages;
before(() => {
  sites.real = buildSite(join(REPO, 'content'), '2026-12-06');
  sites.fixture = buildSite(join(REPO, 'tests/fixtures/embargo/content'));
  sites.realMin = buildSite(join(REPO, 'content'), '2026-12-06', ['--minify']);
  sites.fixtureMin = buildSite(join(REPO, 'tests/fixtures/embargo/content'), '2026-11-23', ['--minify']);
  const dir = mkdtempSync(join(tmpdir(), 'banso-vnu-'));
  bad = { page: join(dir, 'bad.html'), chart: join(dir, 'bad.svg') };
  writeFileSync(bad.page, BAD_PAGE);
  writeFileSync(bad.chart, BAD_CHART);
  sites.files = [...filesUnder(sites.real, ['.html', '.svg']), ...filesUnder(sites.fixture, ['.html', '.svg']),
    ...filesUnder(sites.realMin, ['.html']), ...filesUnder(sites.fixtureMin, ['.html'])];
  const started = Date.now();
  const run = spawnSync(JAVA, ['-jar', VNU_JAR, '--errors-only', '--format', 'json', '--stdout', '--skip-non-html',
    '--also-check-svg', ...sites.files, bad.page, bad.chart], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.error) {
    throw new Error(`the Nu Html Checker needs Java 11 or later (${JAVA}: ${run.error.message}); .ci/run installs it`);
  }
  // Exit status 1 only says that errors were found; the JSON says which.
  try {
    messages = JSON.parse(run.stdout).messages;
  } catch {
    throw new Error(`the Nu Html Checker gave no report (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
  const pages = sites.files.filter((f) => f.endsWith('.html')).length;
  console.log(`# Nu Html Checker: ${pages} pages and ${sites.files.length - pages} charts in ${Date.now() - started} ms`);
});

/** The errors the checker reported for `file`, or for all files other than the known-bad ones. */
function errorsOf(file) {
  return messages.filter((m) => m.type !== 'info')
    .filter((m) => {
      const path = m.url ? fileURLToPath(m.url) : '';
      return file ? path === file : path !== bad.page && path !== bad.chart;
    });
}

/** One readable line per message: the file (relative to its site), line, column and message. */
function describe(m) {
  const path = m.url ? fileURLToPath(m.url) : '(no file)';
  const names = new Map([[sites.real, 'content'], [sites.fixture, 'fixture'], [sites.realMin, 'content --minify'],
    [sites.fixtureMin, 'fixture --minify']]);
  const site = [...names.keys()].find((s) => path.startsWith(s + '/'));
  const where = site ? `${names.get(site)}:${relative(site, path)}` : path;
  return `${where}:${m.lastLine ?? '?'}:${m.firstColumn ?? m.lastColumn ?? '?'}: ${m.type}: ${m.message}`;
}

test('the checker finds the errors in a known-bad page and chart', () => {
  const page = errorsOf(bad.page).map((m) => m.message).join('\n');
  assert.match(page, /Element “div” not allowed as child of element “h1”/);
  assert.match(page, /Bad value “” for attribute “action” on element “form”/);
  const chart = errorsOf(bad.chart).map((m) => m.message).join('\n');
  assert.match(chart, /“bar” element is a completely-unknown element/);
});

test('every page and chart of the real site and of the fixture site is valid', () => {
  assert.ok(sites.files.filter((f) => f.endsWith('.html')).length > 300, 'the pages of both sites are checked');
  assert.ok(sites.files.filter((f) => f.endsWith('.svg')).length > 90, 'the charts of both sites are checked');
  const errors = errorsOf(null).map(describe);
  assert.equal(errors.length, 0, `${errors.length} errors:\n${errors.join('\n')}`);
});

test('the pages of both sites built with --minify are valid too', () => {
  const minified = [sites.realMin, sites.fixtureMin];
  const inMinified = (f) => minified.some((s) => f.startsWith(s + '/'));
  const pages = sites.files.filter(inMinified);
  assert.ok(pages.length > 150, `${pages.length} minified pages checked`);
  const errors = errorsOf(null).filter((m) => m.url && inMinified(fileURLToPath(m.url))).map(describe);
  assert.equal(errors.length, 0, `${errors.length} errors:\n${errors.join('\n')}`);
});
