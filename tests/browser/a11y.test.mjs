// Accessibility as people meet it: every page type of a fixture site and of the real content,
// at 375 px and 1280 px, checked with axe-core against WCAG 2.0/2.1/2.2 A and AA, for horizontal
// overflow, and by keyboard. Screenshots go to tests/browser/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { buildSite, serve, launch, screenshotPath, REPO } from './lib.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const WIDTHS = [375, 1280];

const FIXTURE_PAGES = [
  '', 'about/', 'cohorts/', 'cohorts/1/', 'cohorts/1/teams/', 'prefectures/', 'prefectures/hokkaido/',
  'prefectures/tokyo/', 'municipalities/013455/', 'reports/', 'reports/1/mori-interim/', 'themes/', 'themes/03/',
  'data/', 'search/?q=棚田', 'ministries/', 'ministries/soumu/', 'no-such-page/',
];
const REAL_PAGES = [
  '', 'about/', 'accessibility/', 'cohorts/2/', 'cohorts/2/teams/', 'prefectures/', 'prefectures/nagano/',
  'municipalities/013455/', 'themes/', 'data/', 'ministries/', 'ministries/mlit/', 'search/?q=てしお',
];
const SHOTS = {
  '': 'top', 'cohorts/2/': 'cohort', 'cohorts/2/teams/': 'teams', 'prefectures/': 'prefectures', 'prefectures/nagano/': 'prefecture',
  'municipalities/013455/': 'municipality', 'about/': 'about', 'data/': 'data', 'ministries/': 'ministries', 'ministries/mlit/': 'ministry',
  'search/?q=てしお': 'search',
};

let fixture, real, browser;
const tally = { pages: 0, checks: 0, rules: new Set() };
before(async () => {
  fixture = await serve(buildSite(join(REPO, 'tests/fixtures/embargo/content')));
  real = await serve(buildSite(join(REPO, 'content')));
  browser = await launch();
});
after(async () => {
  console.log(`# axe-core ${TAGS.join(', ')}: ${tally.pages} page loads, ${tally.rules.size} rules, ${tally.checks} rule results`);
  await browser?.close();
  await fixture?.close();
  await real?.close();
});

/** Open `path` at `width`; run axe; check overflow; return violations as readable lines. */
async function audit(site, path, width, shot) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  await page.goto(site.url + path);
  if (path.startsWith('search/')) await page.waitForSelector('.search-result a', { timeout: 15000 });
  await page.addScriptTag({ content: AXE });
  const results = await page.evaluate((tags) => window.axe.run(document, {
    runOnly: { type: 'tag', values: tags },
    // WCAG 2.5.3 (label in name): axe files it as experimental, so it is asked for by name.
    rules: { 'label-content-name-mismatch': { enabled: true } },
  }), TAGS);
  for (const kind of ['passes', 'violations', 'incomplete', 'inapplicable']) {
    for (const r of results[kind]) tally.rules.add(r.id);
    tally.checks += results[kind].length;
  }
  tally.pages += 1;
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (shot) {
    await page.evaluate(async () => {
      for (const i of document.images) i.loading = 'eager';
      await Promise.all([...document.images].map((i) => i.decode().catch(() => {})));
    });
  }
  if (shot) await page.screenshot({ path: screenshotPath(`${shot}-${width}.png`), fullPage: true });
  await page.close();
  const problems = results.violations.flatMap((v) =>
    v.nodes.map((n) => `${path} @${width}px: ${v.id} (${v.impact}) ${n.target.join(' ')} — ${n.failureSummary.split('\n').slice(1).join(' ')}`));
  if (overflow > 1) problems.push(`${path} @${width}px: the page is ${overflow}px wider than the screen`);
  return problems;
}

test('the audit itself finds a known problem', async () => {
  const page = await browser.newPage();
  await page.setContent('<!DOCTYPE html><html lang="ja"><title>t</title><main><img src="x.png"><p style="color:#aaa">薄い文字</p></main></html>');
  await page.addScriptTag({ content: AXE });
  const results = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), TAGS);
  await page.close();
  const ids = results.violations.map((v) => v.id).sort();
  assert.deepEqual(ids, ['color-contrast', 'image-alt']);
});

test('every page type of a fixture site passes axe-core at both widths without overflow', async () => {

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

test('the real site passes axe-core at both widths without overflow', async () => {
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
  const teams = await tabOrder(real, 'cohorts/2/teams/', 20);
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
