// Japanese full-text search on the built site, served over loopback: a two-kanji word from a
// published report's body finds it from the header search box; a held-back report's word finds
// nothing. On the real content/: the navigation pages by what readers call them, one page
// whatever the spelling, a query nothing holds said so, and results that do not move the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildSite, serve, launch, screenshotPath, searchSettled, searchResults, REPO } from './lib.mjs';

let server, released, real, browser;
before(async () => {
  server = await serve(buildSite(join(REPO, 'tests/fixtures/embargo/content'), '2026-11-23'));
  released = await serve(buildSite(join(REPO, 'tests/fixtures/embargo/content'), '2030-01-01'));
  real = await serve(buildSite(join(REPO, 'content'), '2026-12-06T12:00:00+09:00'));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  await released?.close();
  await real?.close();
});

/** Type `query` into the header box of the top page and return the result titles. */
async function search(query, shot, site = server) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(site.url);
  await page.fill('#site-search-q', query);
  await page.press('#site-search-q', 'Enter');
  await page.waitForURL(/\/search\/\?q=/);
  await searchSettled(page);
  const message = await page.textContent('#search-status');
  const titles = await searchResults(page);
  const sections = titles.flatMap((t) => t.sections);

  if (shot) await page.screenshot({ path: screenshotPath(shot), fullPage: true });
  await page.close();
  return { message, titles, sections };

}

test('a two-kanji word from a published report finds it', async () => {
  const { message, titles, sections } = await search('棚田', 'search-tanada.png');
  assert.match(message, /棚田.*1 件/);
  assert.equal(titles.length, 1, JSON.stringify(titles));
  assert.equal(titles[0].text, '森町チーム 中間報告（架空）');
  assert.equal(new URL(titles[0].href).pathname, '/reports/1/mori-interim/');
  assert.deepEqual(sections.map((h) => decodeURIComponent(new URL(h).hash)), ['#h-取組の概要'], 'the hit links to its section');

});

test('another word of the same report also finds it', async () => {
  const { titles } = await search('資源');
  assert.ok(titles.some((t) => t.text === '森町チーム 中間報告（架空）'), JSON.stringify(titles));
});

test('a word only a held-back report contains finds nothing', async () => {
  const { message, titles } = await search('渓谷', 'search-held.png');
  assert.equal(titles.length, 0, JSON.stringify(titles));
  assert.match(message, /『渓谷』に当たるページはありません。/);
});

test('after its release the same word finds that report', async () => {
  const { titles } = await search('渓谷', null, released);
  assert.deepEqual(titles.map((t) => t.text), ['HOLD-report-title 森町（静岡）チーム 最終報告']);
});

/** Open the search page of `site` at `?q=query`; what it says, answers and lists apart. */
async function open(query, site = real, viewport = { width: 1280, height: 900 }) {
  const page = await browser.newPage({ viewport });
  await page.goto(`${site.url}search/?q=${encodeURIComponent(query)}`);
  await searchSettled(page);
  const got = {
    message: await page.textContent('#search-status'),
    statusLinks: await page.$$eval('#search-status a', (as) => as.map((a) => new URL(a.href).pathname)),
    results: await searchResults(page),
    partial: (await page.$$eval('#search-partial:not([hidden])', (ss) => ss.map((s) => ({
      heading: s.querySelector('h2')?.textContent ?? '',
      paths: [...s.querySelectorAll('.search-result-title a')].map((a) => new URL(a.href).pathname),
    }))))[0],
    partialItems: await page.$$eval('.search-result', (rs) => rs.filter((r) => !r.closest('#search-results')).length),
  };
  await page.close();
  return got;
}

const paths = (results) => results.map((r) => r.path);

test('第2期 finds its cohort page among the first three, written with full-width digits too', async () => {
  for (const q of ['第2期', '第２期']) {
    const { results } = await open(q);
    assert.ok(paths(results).slice(0, 3).includes('/cohorts/2/'), `${q}: ${JSON.stringify(paths(results).slice(0, 5))}`);
  }
  const { results } = await open('第1期');
  assert.equal(results[0]?.path, '/cohorts/1/', JSON.stringify(paths(results).slice(0, 5)));
});

test('the open data, schedule and contact pages are found by what readers call them', async () => {
  for (const [q, want] of [['オープンデータ', '/data/'], ['データ', '/data/'], ['CSV', '/data/'],
    ['スケジュール', '/schedule/'], ['日程', '/schedule/'], ['問い合わせ', '/about/'], ['連絡先', '/about/']]) {
    const { results } = await open(q);
    assert.equal(results[0]?.path, want, `${q}: ${JSON.stringify(paths(results).slice(0, 5))}`);
  }
});

test('問合せ and お問い合わせ lead to the contact section, as 問い合わせ does', async () => {
  for (const q of ['問合せ', 'お問い合わせ', '問合わせ']) {
    const { results } = await open(q);
    assert.equal(results[0]?.path, '/about/', `${q}: ${JSON.stringify(paths(results).slice(0, 5))}`);
    assert.equal(decodeURIComponent(new URL(results[0].href).hash), '#h-お問い合わせ', q);
  }
});

test('ヶ/ケ/が and 旧字/新字 spellings of a place find the same first page', async () => {
  for (const [a, b, want] of [['駒ヶ根', '駒ケ根', '/municipalities/202100/'], ['駒ヶ根', '駒が根', '/municipalities/202100/'],
    ['檜枝岐', '桧枝岐', '/municipalities/073644/'], ['戸沢村', '戸澤村', '/municipalities/063673/']]) {
    const first = (await open(a)).results[0]?.path;
    const second = (await open(b)).results[0]?.path;
    assert.equal(first, want, `${a}`);
    assert.equal(second, first, `${b} finds what ${a} finds`);
  }
});

test('a town nothing holds is said to have no page, with the way to the prefectures, and no answer', async () => {
  const got = await open('海士町');
  assert.match(got.message, /^『海士町』に当たるページはありません。/);
  assert.deepEqual(got.statusLinks, ['/prefectures/']);
  assert.deepEqual(got.results, [], 'nothing presented as an answer');
  if (got.partialItems > 0) assert.equal(got.partial?.heading, '一部の言葉だけが合うページ');
});

test('pages holding only part of the query are listed apart, under a heading that says so', async () => {
  const got = await open('棚田 海士町', server);
  assert.deepEqual(got.results, []);
  assert.match(got.message, /当たるページはありません/);
  assert.equal(got.partial?.heading, '一部の言葉だけが合うページ');
  assert.ok(got.partial.paths.includes('/reports/1/mori-interim/'), JSON.stringify(got.partial));
  const whole = await open('棚田', server);
  assert.equal(whole.partial, undefined, 'a query a page holds lists nothing apart');
});

test('results arriving do not shift the page (phone and desktop)', async () => {
  for (const viewport of [{ width: 375, height: 700 }, { width: 1280, height: 900 }]) {
    for (const q of ['第2期', '海士町']) {
      const page = await browser.newPage({ viewport });
      await page.addInitScript(() => {
        window.shifts = 0;
        new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.shifts += e.value; })
          .observe({ type: 'layout-shift', buffered: true });
      });
      await page.goto(`${real.url}search/?q=${encodeURIComponent(q)}`);
      await searchSettled(page);
      await page.waitForTimeout(300);
      const shifts = await page.evaluate(() => window.shifts);
      await page.close();
      assert.ok(shifts < 0.01, `${q} at ${viewport.width} px: layout shift ${shifts}`);
    }
  }
});
