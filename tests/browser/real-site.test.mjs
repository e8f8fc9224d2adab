// The real site as a citizen first sees it (issue findings, each on the real content/):
// what the menu leads to, where a prefecture page starts, and no column or chart that is empty.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { servedSite, screenshotPath, REPO } from './lib.mjs';

const site = servedSite(join(REPO, 'content'));

/** Every table of the page with a column whose cells are all empty, as `caption: header`. */
async function emptyColumns(page) {
  return page.evaluate(() => [...document.querySelectorAll('main table')].flatMap((t) => {
    const heads = [...t.querySelectorAll('thead th')].map((h) => h.textContent.trim());
    const rows = [...t.querySelectorAll('tbody tr')].map((r) => [...r.children].map((c) => c.textContent.trim()));
    if (rows.length === 0) return [];
    return heads.filter((_, i) => rows.every((r) => (r[i] ?? '') === ''))
      .map((h) => `${t.querySelector('caption')?.textContent ?? '?'}: ${h}`);
  }));
}

test('finding 2: the menu leads only to pages with something on them', async () => {
  const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(site.server.url);
  const menu = await page.locator('header nav a').allTextContents();
  // The real roster has no 課題分野 and no report is published yet.
  assert.ok(!menu.includes('課題分野') && !menu.includes('報告'), menu.join(' / '));
  assert.ok(menu.includes('都道府県別') && menu.includes('チーム一覧'), menu.join(' / '));
  await page.close();
});

test('finding 3: a prefecture page opens with its team table', async () => {
  for (const width of [375, 1280]) {
    const page = await site.browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(site.server.url + 'prefectures/hokkaido/');
    const first = await page.evaluate(() => {
      const h2 = document.querySelector('main h2');
      const next = document.querySelector('main table');
      return { heading: h2?.textContent, tableTop: next?.getBoundingClientRect().top + window.scrollY,
        table: next?.querySelector('caption')?.textContent, charts: document.querySelectorAll('main figure.chart').length };
    });
    assert.equal(first.heading, '伴走支援チーム');
    assert.equal(first.table, '北海道の伴走支援チーム');
    // The table starts on the first screen, above every chart.
    assert.ok(first.tableTop < 900, `table at ${first.tableTop}px at ${width}px`);
    const chartTop = await page.evaluate(() => document.querySelector('main figure.chart')?.getBoundingClientRect().top + window.scrollY);
    assert.ok(chartTop === undefined || Number.isNaN(chartTop) || chartTop > first.tableTop, `chart at ${chartTop}`);
    await page.close();
  }
});

test('finding 8: no table column is empty in every row, and no lead says what is not recorded', async () => {
  const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
  for (const path of ['municipalities/013455/', 'cohorts/2/teams/', 'prefectures/hokkaido/', 'cohorts/2/']) {
    await page.goto(site.server.url + path);
    assert.deepEqual(await emptyColumns(page), [], path);
    const lead = await page.locator('main p').first().textContent();
    assert.ok(!lead.includes('登録されていません'), `${path}: ${lead}`);
  }
  await page.screenshot({ path: screenshotPath('real-cohort-1280.png'), fullPage: true });
  await page.close();
});
