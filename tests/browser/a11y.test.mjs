// Accessibility as people meet it: every page type of a fixture site and of the real content,
// at 375 px and 1280 px, checked with axe-core against WCAG 2.0/2.1/2.2 A and AA (its experimental
// rules included), for horizontal overflow, for errors in the console and for requests to the
// site that fail, and by keyboard. Screenshots go to tests/browser/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { buildSite, serve, launch, screenshotPath, publishedPath, REPO } from './lib.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
// axe leaves the rules it files as experimental out unless their tag is asked for; among them are
// WCAG 2.5.3 (label in name), 1.3.4 (orientation) and 1.3.1 checks of tables and fake headings.
const AXE_OPTIONS = { runOnly: { type: 'tag', values: [...TAGS, 'experimental'] } };
const WIDTHS = [375, 1280];

const FIXTURE_PAGES = [
  '', 'about/', 'cohorts/', 'cohorts/1/', 'cohorts/1/teams/', 'prefectures/', 'prefectures/hokkaido/',
  'prefectures/tokyo/', 'municipalities/013455/', 'reports/', 'reports/1/mori-interim/', 'themes/', 'themes/03/',
  'data/', 'search/?q=棚田', 'ministries/', 'ministries/soumu/', 'no-such-page/',
];
// Every page kind of the real content: the lists, one page of each kind, the fixed pages, an empty
// and a filled search, and the 404 page.
const REAL_PAGES = [
  '', 'cohorts/', 'cohorts/1/', 'cohorts/2/', 'cohorts/2/teams/', 'prefectures/', 'prefectures/nagano/',
  'municipalities/013455/', 'ministries/', 'ministries/mlit/', 'themes/', 'themes/01/', 'reports/', 'programs/',
  'programs/digital-2025/', 'about/', 'faq/', 'schedule/', 'accessibility/', 'related/', 'results/', 'site/',
  'data/', 'search/', 'search/?q=てしお', 'no-such-page/',
];
const SHOTS = {
  '': 'top', 'cohorts/2/': 'cohort', 'cohorts/2/teams/': 'teams', 'prefectures/': 'prefectures', 'prefectures/nagano/': 'prefecture',
  'municipalities/013455/': 'municipality', 'about/': 'about', 'data/': 'data', 'ministries/': 'ministries', 'ministries/mlit/': 'ministry',
  'search/?q=てしお': 'search',
};

let fixture, real, browser;
const tally = { pages: 0, checks: 0, rules: new Set() };
before(async () => {
  const fixtureContent = join(REPO, 'tests/fixtures/embargo/content');
  const realContent = join(REPO, 'content');
  fixture = await serve(buildSite(fixtureContent), publishedPath(fixtureContent));
  real = await serve(buildSite(realContent, '2026-12-06'), publishedPath(realContent));
  browser = await launch();
});
after(async () => {
  console.log(`# axe-core ${AXE_OPTIONS.runOnly.values.join(', ')}: ${tally.pages} page loads, ${tally.rules.size} rules, `
    + `${tally.checks} rule results`);
  await browser?.close();
  await fixture?.close();
  await real?.close();
});

/**
 * Watch `page` for what should never happen on the site: an error in the console, an uncaught
 * exception, a request to the site that fails or answers 4xx/5xx (except `missing`, the address
 * of a page that is not there, whose 404 is the point). Returns the list the problems are added
 * to, as readable lines.
 */
function watch(page, site, missing = null) {
  const seen = [];
  const origin = new URL(site.url).origin;
  const own = (url) => url.startsWith(origin + '/');
  const expected = (r) => r.url() === missing && r.isNavigationRequest();
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const at = m.location()?.url ?? '';
    // Chromium reports the 404 of the page itself in the console too.
    if (at === missing && /status of 404/.test(m.text())) return;
    seen.push(`console error: ${m.text()}${at ? ` (${at})` : ''}`);
  });
  page.on('pageerror', (e) => seen.push(`uncaught: ${e.message}`));
  page.on('requestfailed', (r) => {
    if (own(r.url()) && !expected(r)) seen.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`);
  });
  page.on('response', (r) => {
    if (own(r.url()) && r.status() >= 400 && !expected(r.request())) seen.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return seen;
}

/**
 * Open `path` at `width`; run axe; check overflow, the console and the site's requests; return
 * the problems as readable lines.
 */
async function audit(site, path, width, shot) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const seen = watch(page, site, path === 'no-such-page/' ? site.url + path : null);
  await page.goto(site.url + path);
  if (/^search\/\?q=/.test(path)) await page.waitForSelector('.search-result a', { timeout: 15000 });
  // Load every image, the lazy ones below the fold too, so that a missing one is seen.
  await page.evaluate(async () => {
    for (const i of document.images) i.loading = 'eager';
    await Promise.all([...document.images].map((i) => i.decode().catch(() => {})));
  });
  await page.addScriptTag({ content: AXE });
  const results = await page.evaluate((options) => window.axe.run(document, options), AXE_OPTIONS);
  for (const kind of ['passes', 'violations', 'incomplete', 'inapplicable']) {
    for (const r of results[kind]) tally.rules.add(r.id);
    tally.checks += results[kind].length;
  }
  tally.pages += 1;
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (shot) await page.screenshot({ path: screenshotPath(`${shot}-${width}.png`), fullPage: true });
  const problems = results.violations.flatMap((v) =>
    v.nodes.map((n) => `${path} @${width}px: ${v.id} (${v.impact}) ${n.target.join(' ')} — ${n.failureSummary.split('\n').slice(1).join(' ')}`));
  if (overflow > 1) problems.push(`${path} @${width}px: the page is ${overflow}px wider than the screen`);
  problems.push(...seen.map((s) => `${path} @${width}px: ${s}`));
  await page.close();
  return problems;
}

test('the audit itself finds known problems, experimental rules and console errors included', async () => {
  const page = await browser.newPage();
  const seen = watch(page, real);
  await page.goto(real.url + 'about/');
  await page.setContent('<!DOCTYPE html><html lang="ja"><title>t</title><main><img src="x.png"><p style="color:#aaa">薄い文字</p>'
    + '<button aria-label="Close">Send</button>'
    // A caption written as the first row, which only axe's experimental rules catch.
    + '<table><tr><td colspan="3">各県の件数</td></tr><tr><th>県</th><th>件数</th><th>人数</th></tr>'
    + '<tr><td>北海道</td><td>1</td><td>2</td></tr><tr><td>青森</td><td>3</td><td>4</td></tr></table></main></html>');
  await page.addScriptTag({ content: AXE });
  const results = await page.evaluate((options) => window.axe.run(document, options), AXE_OPTIONS);
  await page.evaluate(async (url) => {
    console.error('壊れた');
    setTimeout(() => { throw new Error('捕まらない'); });
    await fetch(url).catch(() => {});
  }, real.url + 'no-such-file.css');
  await page.waitForTimeout(100);
  await page.close();
  const ids = results.violations.map((v) => v.id).sort();
  assert.deepEqual(ids, ['color-contrast', 'image-alt', 'label-content-name-mismatch', 'table-fake-caption', 'td-has-header']);
  const kinds = seen.map((s) => s.replace(/:.*/, '')).sort();
  assert.deepEqual([...new Set(kinds)], ['HTTP 404', 'console error', 'uncaught'], seen.join('\n'));
});

test('every page type of a fixture site passes axe-core at both widths, without overflow or console errors', async () => {

  const problems = [];
  for (const path of FIXTURE_PAGES) {
    for (const width of WIDTHS) {
      // Page kinds the real content has none of yet are shown from the fixture.
      const shot = { 'reports/1/mori-interim/': 'report', 'reports/': 'fixture-reports', 'themes/03/': 'fixture-theme',
        'cohorts/': 'fixture-cohorts' }[path] ?? null;
      problems.push(...await audit(fixture, path, width, shot));
    }
  }
  assert.deepEqual(problems, []);
});

test('every page kind of the real site passes axe-core at both widths, without overflow or console errors', async () => {
  const problems = [];
  for (const path of REAL_PAGES) {
    for (const width of WIDTHS) problems.push(...await audit(real, path, width, SHOTS[path]));
  }
  assert.deepEqual(problems, []);
});

/** Press Tab up to `n` times from the top of `path`; describe each focused element. */
async function tabOrder(site, path, n) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(site.url + path);
  const seen = [];
  for (let i = 0; i < n; i++) {
    await page.keyboard.press('Tab');
    seen.push(await page.evaluate(() => {
      const el = document.activeElement;
      const where = el.closest('nav[aria-label], form[role=search], table, .table-scroll, .tile-map, main, header, footer');
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      return {
        tag: el.tagName.toLowerCase(), text: (el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 30),
        in: where ? (where.getAttribute('aria-label') || where.className || where.tagName.toLowerCase()) : '',
        visible: box.width > 0 && box.height > 0,
        outline: style.outlineStyle !== 'none' || style.boxShadow !== 'none',
        hasTable: !!el.querySelector?.('table') || !!el.closest('table'),
      };
    }));
  }
  await page.close();
  return seen;
}

test('the keyboard reaches the skip link, search, menu and tables, with a visible focus', async () => {
  const top = await tabOrder(real, '', 12);
  assert.equal(top[0].text, '本文へ移動', JSON.stringify(top[0]));
  const search = top.findIndex((f) => f.tag === 'input' && f.in.split(' ').includes('site-search'));
  const menu = top.findIndex((f) => f.in === 'メインメニュー' && f.text === 'チーム一覧');
  assert.ok(search >= 0, 'the search box is reached');
  assert.ok(menu >= 0, 'the menu is reached');
  assert.ok(menu < search, 'Tab reaches the menu before the search box, as they stand on screen');
  for (const f of top) assert.ok(f.visible && f.outline, `focus is visible on ${JSON.stringify(f)}`);
  // The team list: the filter, then the jump list (38 prefectures), then the tables.
  const teams = await tabOrder(real, 'cohorts/2/teams/', 70);
  const filter = teams.findIndex((f) => f.tag === 'select');
  const jump = teams.findIndex((f) => f.text.startsWith('北海道'));
  assert.ok(filter >= 0 && jump > filter, `the filter, then the jump list: ${JSON.stringify(teams.map((f) => f.text))}`);
  assert.ok(teams.some((f) => f.hasTable), `a table is reached: ${JSON.stringify(teams.map((f) => f.in))}`);
  const cohort = await tabOrder(real, 'cohorts/2/', 20);
  assert.ok(cohort.some((f) => f.hasTable), 'the chart tables are reached');
});

test('a report prints without navigation, with its links written out', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(fixture.url + 'reports/1/mori-interim/');
  await page.emulateMedia({ media: 'print' });
  const shown = await page.evaluate(() => ['.global-nav', '.site-search', '.breadcrumbs', '.site-footer nav', 'article h1']
    .map((s) => getComputedStyle(document.querySelector(s)).display !== 'none'));
  assert.deepEqual(shown, [false, false, false, false, true]);
  await page.pdf({ path: screenshotPath('report-print.pdf'), format: 'A4' });
  await page.close();
});
