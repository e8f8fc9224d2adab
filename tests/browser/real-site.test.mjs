// The real site as a citizen first sees it (issue findings, each on the real content/):
// what the menu leads to, where a prefecture page starts, and no column or chart that is empty.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { servedSite, screenshotPath, searchSettled, searchResults, buildSite, serve, REPO } from './lib.mjs';

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
    assert.equal(first.table, '北海道の伴走支援チーム（第2期）');
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
    if (query === 'てしお') {
      // Only pages that hold the word: not 岡谷市 (おかやし), which Pagefind matches by parts.
      assert.ok(results.every((r) => /てしお|天塩/.test(r.text + r.summary + r.excerpt)), results.map((r) => r.text).join(' | '));
    }
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
  // The team table names and links the towns; no second list repeats them.
  const listed = await page.locator('main table').first().locator('tbody th a').allTextContents();
  assert.equal(listed.length, teams, `one town a team: ${listed.join(' ')}`);
  assert.equal(await page.locator('main h2:text-is("地方創生伴走支援制度の支援先")').count(), 0);
  const related = await page.locator('.program-summary li').allTextContents();
  assert.ok(related.length > 0 && related.every((t) => !listed.includes(t)), 'towns of other programmes are listed apart');
  const links = await page.$$eval('.data-links a', (as) => as.map((a) => a.href));
  assert.deepEqual(links.map((h) => new URL(h).pathname.split('/').pop()), ['teams.csv', 'teams.json', 'members.csv', 'members.json']);
  const json = await (await fetch(links[1])).json();
  assert.equal(json.length, teams);
  assert.ok(json.every((t) => t['都道府県'] === '北海道' && /^01\d{4}$/.test(t['全国地方公共団体コード'])), JSON.stringify(json[0]));
  const csv = Buffer.from(await (await fetch(links[2])).arrayBuffer()).toString('utf8');
  assert.ok(csv.startsWith('\ufeff全国地方公共団体コード,市町村,期,チーム番号,所属府省庁,役職,氏名,職名,オフィサー,離任日\r\n'), csv.slice(0, 80));
  await page.close();
});

test('finding 11: the page font is named, ranges use one mark, map tiles are named by their text and show focus', async () => {
  const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
  for (const path of ['', 'cohorts/2/', 'prefectures/hokkaido/', 'about/']) {
    await page.goto(site.server.url + path);
    const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
    assert.match(font, /Noto Sans CJK JP/, path);
    const text = await page.evaluate(() => document.body.innerText);
    assert.ok(!text.includes('\u301c'), `${path}: 〜 (wave dash) beside ～`);
  }
  await page.goto(site.server.url);
  const tiles = await page.$$eval('svg.tile-map a', (as) => as.map((a) => ({
    name: a.getAttribute('aria-label'), visible: [...a.querySelectorAll('text')].map((t) => t.textContent).join(' '),
  })));
  assert.equal(tiles.length, 47);
  for (const t of tiles) assert.ok(t.name.startsWith(t.visible.split(' ')[0] + ' ' + t.visible.split(' ')[1]), `${t.name} / ${t.visible}`);
  await page.focus('svg.tile-map a[href$="prefectures/miyagi/"]');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  const ring = await page.$eval('svg.tile-map a[href$="prefectures/miyagi/"] rect', (r) => {
    const s = getComputedStyle(r);
    return { stroke: s.stroke, width: s.strokeWidth, focused: r.parentElement.matches(':focus-visible') };
  });
  assert.deepEqual(ring, { stroke: 'rgb(0, 0, 0)', width: '5px', focused: true });
  await page.close();
});

/** Each chart image of the page as drawn: its file, its rendered width and the smallest text in px as shown. */
async function chartText(page) {
  await page.evaluate(async () => {
    for (const i of document.images) i.loading = 'eager';
    await Promise.all([...document.images].map((i) => i.decode().catch(() => {})));
  });
  const imgs = await page.$$eval('figure.chart img', (is) => is.map((i) => ({ src: i.currentSrc, shown: i.getBoundingClientRect().width })));
  const out = [];
  for (const img of imgs) {
    const svg = await (await fetch(img.src)).text();
    const drawn = Number(svg.match(/<svg[^>]* width="(\d+)"/)[1]);
    const sizes = [...svg.matchAll(/<text[^>]*font-size="([\d.]+)"/g)].map((m) => Number(m[1]));
    out.push({ file: new URL(img.src).pathname, shown: img.shown, texts: sizes.length,
      smallest: Math.min(...sizes) * img.shown / drawn, svg });
  }
  return out;
}

test('finding 5: chart text renders at 11 px or more on a phone and on a desktop', async () => {
  for (const width of [375, 1280]) {
    const page = await site.browser.newPage({ viewport: { width, height: 900 } });
    for (const path of ['cohorts/2/', 'prefectures/hokkaido/', 'prefectures/nagano/']) {
      await page.goto(site.server.url + path);
      const charts = await chartText(page);
      assert.ok(charts.length > 0, `${path}: no chart`);
      for (const c of charts) {
        assert.ok(c.texts >= 5, `${c.file}: ${c.texts} texts`);
        assert.ok(c.smallest >= 11, `${path} @${width}px: ${c.file} shown ${c.shown}px wide, smallest text ${c.smallest.toFixed(1)}px`);
      }
      if (width === 375) assert.ok(charts.every((c) => c.file.endsWith('-narrow.svg')), `${path}: ${charts.map((c) => c.file)}`);
    }
    if (width === 375) await page.goto(site.server.url + 'cohorts/2/');
    await page.screenshot({ path: screenshotPath(`real-charts-${width}.png`), fullPage: true });
    await page.close();
  }
});

test('finding 6: each breakdown states its n and every share, and the table adds up to 100%', async () => {
  const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(site.server.url + 'cohorts/2/');
  const charts = await chartText(page);
  const tables = await page.$$eval('figure.chart table', (ts) => ts.map((t) => ({
    head: [...t.querySelectorAll('thead th')].map((h) => h.textContent.trim()),
    // A group's heading and 小計 rows (所属府省庁等) are not categories: the sums below skip them.
    rows: [...t.querySelectorAll('tbody tr:not(.group-heading):not(.subtotal)')].map((r) => [...r.children].map((c) => c.textContent.trim())),
  })));
  assert.equal(tables.length, charts.length);
  for (const [i, t] of tables.entries()) {
    assert.ok(t.head.includes('構成比'), t.head.join(' '));
    const last = t.rows.at(-1);
    assert.equal(last[0], '計');
    assert.equal(last.at(-1), '100.0%');
    // The shares as printed add up to 100% within rounding; the counts add up to n.
    const shares = t.rows.slice(0, -1).map((r) => parseFloat(r.at(-1)));
    assert.ok(Math.abs(shares.reduce((a, b) => a + b, 0) - 100) <= 0.05 * shares.length, `${t.head}: ${shares}`);
    const counts = t.rows.slice(0, -1).map((r) => parseInt(r[1].replace(/,/g, ''), 10));
    const n = parseInt(last[1].replace(/,/g, ''), 10);
    assert.equal(counts.reduce((a, b) => a + b, 0), n);
    assert.ok(charts[i].svg.includes(`n＝${last[1]}`), `${charts[i].file} states n＝${last[1]}`);
    assert.match(charts[i].svg, /（\d+\.\d%）</, `${charts[i].file}: shares beside the bars`);
  }
  await page.close();
});

test('finding 12: a ministry page says what its officials support, reached from a member and from search', async () => {
  const page = await site.browser.newPage({ viewport: { width: 375, height: 800 } });
  // From a town's team: the member's ministry is a link to that ministry's page.
  await page.goto(site.server.url + 'municipalities/014877/');
  const links = await page.$$eval('.member-table a[href*="ministries/"]', (as) => as.map((a) => ({ text: a.textContent, path: new URL(a.href).pathname })));
  assert.ok(links.length >= 2, JSON.stringify(links));
  await page.goto(site.server.url + 'cohorts/2/');
  // The cohort's ministry table gives 国土交通省's count; the ministry page must agree.
  const row = await page.$$eval('#table-ministry tbody tr', (rs) => rs.map((r) => [...r.children].map((c) => c.textContent.trim())).find((c) => c[0] === '国土交通省'));
  const members = Number(row[1].match(/^(\d+)名$/)[1]);
  await page.goto(site.server.url + 'ministries/mlit/');
  assert.equal(await page.locator('h1').textContent(), '国土交通省');
  const lead = await page.locator('.ministry-cohort p').first().textContent();
  assert.match(lead, new RegExp(`^第2期では、国土交通省の支援官${members}名が(\\d+)チームに加わり`), lead);
  const teams = Number(lead.match(/(\d+)チームに加わり/)[1]);
  // The compact table: its third column holds this body's members, one item each.
  assert.match(await page.locator('.ministry-cohort thead th').nth(2).textContent(), /^国土交通省の\s*支援官$/);
  const rows = await page.$$eval('.ministry-cohort tbody tr', (rs) => rs.map((r) => r.children[2].querySelectorAll('li').length));
  assert.equal(rows.length, teams, 'one row a team');
  assert.ok(rows.every((n) => n >= 1), 'every team listed has a 国土交通省 member');
  assert.equal(rows.reduce((a, b) => a + b, 0), members, 'its members add up to the count');
  await page.screenshot({ path: screenshotPath('real-ministry-375.png'), fullPage: false });
  // The list of ministries is in the menu, and search finds a ministry by its short name first.
  await page.goto(site.server.url + 'ministries/');
  assert.ok((await page.locator('header nav a').allTextContents()).includes('府省庁等別'));
  await page.goto(`${site.server.url}search/?q=${encodeURIComponent('国交省')}`);
  await searchSettled(page);
  const results = await searchResults(page);
  assert.equal(results[0]?.path, '/ministries/mlit/', results.map((r) => r.path).join(' '));
  assert.match(results[0].summary, /^国土交通省の地方創生支援官が加わる伴走支援チーム：第2期 \d+チーム（支援官\d+名）。$/);
  await page.close();
});

test('finding 1: no chart or table whose every category is 0 or 未登録, and no 0 for what is unknown', async () => {
  const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(site.server.url + 'prefectures/');
  const prefs = await page.$$eval('main a[href*="prefectures/"]', (as) => [...new Set(as
    .map((a) => new URL(a.getAttribute('href'), document.baseURI).pathname)
    .filter((p) => /^\/prefectures\/[a-z]+\/$/.test(p)))]);
  assert.ok(prefs.length >= 47, `${prefs.length} prefecture links`);
  let charts = 0;
  for (const path of ['/cohorts/2/', ...prefs]) {
    await page.goto(new URL(path, site.server.url).href);
    const tables = await page.$$eval('figure.chart table', (ts) => ts.map((t) => ({
      caption: t.querySelector('caption').textContent,
      rows: [...t.querySelectorAll('tbody tr')].map((r) => [...r.children].map((c) => c.textContent.trim())),
    })));
    for (const t of tables) {
      charts += 1;
      const recorded = t.rows.filter((r) => r[0] !== '未登録' && r[0] !== '計');
      assert.ok(recorded.some((r) => r.slice(1).some((c) => /^[1-9][\d,]*(名|市町村|チーム)$/.test(c))), `${path}: ${t.caption} shows only 0 or 未登録`);
    }
  }
  assert.ok(charts >= 4, `${charts} charts checked`);
  // Gender, age and track are not in the real records: no chart, no CSV of zeros.
  for (const id of ['gender', 'age', 'track', 'area']) {
    const res = await fetch(`${site.server.url}cohorts/2/charts/${id}.csv`);
    assert.equal(res.status, 404, `${id}.csv`);
  }
  await page.close();
});

test('finding 4: the top page says what is new, with dates, and leads to towns and teams', async () => {
  const page = await site.browser.newPage({ viewport: { width: 375, height: 667 } });
  await page.goto(site.server.url);
  const tasks = await page.locator('.home-tasks a').allTextContents();
  assert.deepEqual(tasks, ['市町村を探す', '伴走支援チームを見る'], 'no 報告を読む while no report is published');
  const news = await page.$$eval('.news li', (ls) => ls.map((l) => ({
    date: l.querySelector('time, .date')?.textContent.trim() ?? '', title: l.querySelector('a')?.textContent ?? '' })));
  assert.ok(news.length >= 2, JSON.stringify(news));
  for (const n of news) assert.match(n.date, /^(令和\d+年|\d{4}年)/, JSON.stringify(n));
  assert.ok(news.some((n) => n.title.includes('第2期')), JSON.stringify(news));
  // お知らせ starts on the first screen, and nothing there reads like a warning box.
  const top = await page.locator('#news').evaluate((h) => h.getBoundingClientRect().top);
  assert.ok(top < 667, `お知らせ at ${top}px`);
  const firstScreen = await page.evaluate(() => [...document.querySelectorAll('main *')]
    .filter((e) => e.getBoundingClientRect().top < 667 && e.children.length === 0).map((e) => e.textContent).join(''));
  assert.ok(!firstScreen.includes('記録では') && !firstScreen.includes('合いません'), firstScreen);
  await page.screenshot({ path: screenshotPath('real-top-375.png') });
  await page.close();
});

test('finding 10: on a phone the map goes with its legend and the header is small; 北海道 prints without blank pages', async () => {
  const page = await site.browser.newPage({ viewport: { width: 375, height: 667 } });
  await page.goto(site.server.url);
  const shown = await page.evaluate(() => ['.tile-map-wrap', '.map-legend'].map((s) => {
    const e = document.querySelector(s);
    return e ? getComputedStyle(e).display !== 'none' : null;
  }));
  assert.deepEqual(shown, [false, false], 'map and legend are both hidden on a phone');
  const header = await page.locator('header').first().evaluate((h) => h.getBoundingClientRect().height);
  assert.ok(header < 667 * 0.25, `header ${header}px of 667`);
  await page.goto(site.server.url + 'prefectures/hokkaido/');
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ format: 'A4', printBackground: false });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  // Eleven teams, the towns, one chart: a few pages (it was 7, three nearly blank).
  assert.ok(pages >= 1 && pages <= 5, `${pages} A4 pages`);
  await page.close();
});

test('the header: at 320 and 375 px one row with a メニュー button that opens every menu item on screen, tasks first; at 1280 px one row', async () => {
  for (const width of [320, 375]) {
    const page = await site.browser.newPage({ viewport: { width, height: 667 } });
    await page.goto(site.server.url + 'cohorts/2/');
    const header = await page.locator('header').first().evaluate((h) => h.getBoundingClientRect().height);
    assert.ok(header < 667 * 0.25, `${width}px: header ${header}px of 667`);
    await page.click('.phone-menu > summary');
    const items = await page.$$eval('.menu-panel nav a', (as) => as.map((a) => {
      const r = a.getBoundingClientRect();
      return { text: a.textContent.trim(), left: r.left, right: r.right, h: r.height };
    }));
    assert.deepEqual(items.slice(0, 4).map((i) => i.text), ['チーム一覧', '都道府県別', '府省庁等別', 'オープンデータ'], 'the tasks first');
    for (const i of items) assert.ok(i.left >= 0 && i.right <= width && i.h >= 44, `${width}px: ${JSON.stringify(i)} is on screen and tall enough to tap`);
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(sideways <= width, `${width}px: the page scrolls sideways (${sideways})`);
    assert.ok(await page.locator('.menu-panel input[type=search]').isVisible(), 'the search box is in the menu');
    await page.screenshot({ path: screenshotPath(`real-menu-${width}.png`) });
    await page.close();
  }
  const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(site.server.url + 'cohorts/2/');
  const tops = await page.$$eval('.global-nav a, .wide-search input', (es) => es.map((e) => Math.round(e.getBoundingClientRect().top)));
  assert.ok(tops.length > 5 && Math.max(...tops) - Math.min(...tops) < 20, `one row at 1280: ${tops}`);
  assert.equal(await page.locator('.phone-menu').isVisible(), false);
  await page.close();
});

test('finding 13: before 第2期 is announced, no free page or search entry states its figures', async () => {
  const early = await serve(buildSite(join(REPO, 'content'), '2026-03-01'));
  const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    for (const path of ['', 'about/', 'faq/', 'schedule/', 'cohorts/']) {
      const res = await page.goto(early.url + path);
      if (res.status() === 404) continue;
      const text = await page.evaluate(() => document.body.innerText);
      for (const figure of ['278名', '279名', '308名', '97チーム', '97市町村', '38道府県']) {
        assert.ok(!text.includes(figure), `${path || '/'} states ${figure} before the announcement`);
      }
    }
    await page.goto(`${early.url}search/?q=${encodeURIComponent('97チーム')}`);
    await searchSettled(page);
    const results = await searchResults(page);
    assert.ok(results.every((r) => !/97チーム|278名/.test(r.summary + r.excerpt)), JSON.stringify(results));
  } finally {
    await page.close();
    await early.close();
  }
});

test('finding 14: dates the source does not give are its words, and the contact point is given', async () => {
  const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(site.server.url + 'cohorts/2/');
  const text = await page.evaluate(() => document.querySelector('main').innerText);
  assert.ok(text.includes('令和8年3月中下旬以降'), 'the announcement as the source words it');
  assert.ok(!text.includes('2026年3月27日'), 'no invented instant');
  await page.goto(site.server.url + 'about/');
  const about = await page.evaluate(() => document.querySelector('main').innerText);
  assert.ok(about.includes('03-6257-1873'), 'the contact point of seed 000');
  assert.ok(!about.includes('24省庁等の278名'), 'no figure the roster contradicts');
  await page.goto(site.server.url + 'ministries/');
  assert.ok((await page.locator('tbody th').allTextContents()).includes('国税庁金沢国税局'));
  await page.close();
});

test('the team list: by prefecture with a jump list; the filter narrows it by prefecture and by ministry', async () => {
  const page = await site.browser.newPage({ viewport: { width: 375, height: 667 } });
  await page.goto(site.server.url + 'cohorts/2/teams/');
  const groups = await page.$$eval('.team-group', (gs) => gs.map((g) => ({ id: g.id, h: g.querySelector('h2').textContent, rows: g.querySelectorAll('tbody tr').length })));
  assert.equal(groups.reduce((n, g) => n + g.rows, 0), 97, 'every team once');
  assert.equal(groups[0].id, 'pref-hokkaido');
  assert.match(groups.find((g) => g.id === 'pref-nagano').h, /^長野県（5チーム）$/);
  const jumps = await page.$$eval('.jump-list a', (as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(jumps, groups.map((g) => `#${g.id}`), 'the jump list names every group, in order');
  const visible = () => page.$$eval('.team-group tbody tr', (rs) => rs.filter((r) => r.getClientRects().length > 0)
    .map((r) => ({ id: r.id, group: r.closest('.team-group').id, members: r.querySelector('.members').textContent })));
  await page.selectOption('.team-filter select[name=prefecture]', 'pref-nagano');
  let rows = await visible();
  assert.deepEqual(rows.map((r) => r.id), ['team-2-40', 'team-2-41', 'team-2-42', 'team-2-43', 'team-2-44']);
  assert.match(await page.textContent('.filter-status'), /5チーム/);
  await page.selectOption('.team-filter select[name=prefecture]', '');
  await page.selectOption('.team-filter select[name=ministry]', '国土交通省');
  rows = await visible();
  const all = await page.$$eval('.team-group tbody tr .members', (ms) => ms.filter((m) => m.textContent.includes('国土交通省')).length);
  assert.equal(rows.length, all, 'every team with a 国土交通省 member, and no other');
  assert.ok(rows.length > 10 && rows.every((r) => r.members.includes('国土交通省')), `${rows.length} rows`);
  const hidden = await page.$$eval('.team-group', (gs) => gs.filter((g) => g.hidden).length);
  assert.ok(hidden > 0, 'a prefecture with no such team is hidden with its heading');
  const sideways = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(sideways <= 375, `the filter fits a phone (${sideways})`);
  await page.close();
  // Without script: no filter, but the way to each ministry's page.
  const ctx = await site.browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 667 } });
  const plain = await ctx.newPage();
  await plain.goto(site.server.url + 'cohorts/2/teams/');
  assert.equal(await plain.locator('.team-filter').isVisible(), false);
  assert.equal(await plain.getAttribute('.filter-links a', 'href'), '../../../ministries/');
  await ctx.close();
});

test('each team is reached by its anchor from its town, its prefecture and a ministry page', async () => {
  const page = await site.browser.newPage({ viewport: { width: 375, height: 667 } });
  for (const from of ['municipalities/202045/', 'prefectures/nagano/', 'ministries/mlit/']) {
    await page.goto(site.server.url + from);
    const link = page.locator('main a[href$="#team-2-40"], main a[href$="#team-2-43"]').first();
    const href = await link.getAttribute('href');
    await link.click();
    await page.waitForLoadState();
    const id = new URL(page.url()).hash.slice(1);
    assert.ok(/^team-2-4[03]$/.test(id), `${from}: ${href} → ${page.url()}`);
    const box = await page.locator(`#${id}`).boundingBox();
    assert.ok(box && box.y >= -2 && box.y < 667, `${from}: ${id} is on screen after the jump (${box?.y})`);
    assert.match(await page.locator(`#${id}`).textContent(), /岡谷市|朝日村/);
  }
  await page.close();
});
