// The real site as a citizen first sees it (issue findings, each on the real content/):
// what the menu leads to, where a prefecture page starts, and no column or chart that is empty.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { servedSite, screenshotPath, searchSettled, searchResults, REPO } from './lib.mjs';

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

test('finding 7: a town found by its reading comes first, with a clean summary, from one labelled field', async () => {
  const page = await site.browser.newPage({ viewport: { width: 375, height: 800 } });
  for (const [query, first] of [['てしお', '/municipalities/014877/'], ['天塩町', '/municipalities/014877/'], ['宮城県', '/prefectures/miyagi/']]) {
    await page.goto(`${site.server.url}search/?q=${encodeURIComponent(query)}`);
    await searchSettled(page);
    const results = await searchResults(page);
    assert.equal(results[0]?.path, first, `${query}: ${results.map((r) => r.path).join(' ')}`);
  }
  await page.goto(`${site.server.url}search/?q=${encodeURIComponent('国土交通省')}`);
  await searchSettled(page);
  const results = await searchResults(page);
  assert.ok(results.length >= 5, JSON.stringify(results));
  for (const r of results.filter((r) => r.path.startsWith('/municipalities/'))) {
    // The summary names the team's ministries in a sentence; no table cells run together.
    assert.match(r.summary, /^.+(市|町|村)が受けている国の伴走支援：.*チーム\d+（[^）]*国土交通省[^）]*）/, r.summary);
    assert.equal(r.excerpt, '', `${r.path}: no excerpt of table cells`);
  }
  for (const r of results) assert.doesNotMatch(r.summary + r.excerpt, /職名|役職[^、。]*級[^、。]*級|秘匿/, r.path);
  const fields = await page.$$eval('input[type=search], input[type=text]', (is) => is.map((i) => ({
    id: i.id, label: i.labels?.[0]?.textContent.trim() ?? '', visible: i.offsetParent !== null })));
  assert.deepEqual(fields, [{ id: 'search-q', label: '検索する言葉', visible: true }], 'one search field, with a visible label');
  await page.screenshot({ path: screenshotPath('real-search-375.png'), fullPage: true });
  await page.close();
});

test('finding 9: a prefecture lists the towns this programme supports, and offers its data', async () => {
  const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(site.server.url + 'prefectures/hokkaido/');
  const teams = await page.locator('main table').first().locator('tbody tr').count();
  const listed = await page.locator('main h2:text-is("地方創生伴走支援制度の支援先") + p + ul li').allTextContents();
  assert.equal(listed.length, teams, `one town a team: ${listed.join(' ')}`);
  const related = await page.locator('.program-summary li').allTextContents();
  assert.ok(related.length > 0 && related.every((t) => !listed.includes(t)), 'towns of other programmes are listed apart');
  const links = await page.$$eval('.data-links a', (as) => as.map((a) => a.href));
  assert.deepEqual(links.map((h) => new URL(h).pathname.split('/').pop()), ['teams.csv', 'teams.json', 'members.csv', 'members.json']);
  const json = await (await fetch(links[1])).json();
  assert.equal(json.length, teams);
  assert.ok(json.every((t) => t['都道府県'] === '北海道' && /^01\d{4}$/.test(t['全国地方公共団体コード'])), JSON.stringify(json[0]));
  const csv = Buffer.from(await (await fetch(links[2])).arrayBuffer()).toString('utf8');
  assert.ok(csv.startsWith('\ufeff全国地方公共団体コード,市町村,期,チーム番号,所属府省庁,役職,氏名,職名\r\n'), csv.slice(0, 80));
  await page.close();
});
