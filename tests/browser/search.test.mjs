// Japanese full-text search on the built site, served over loopback: a two-kanji word from a
// published report's body finds it from the header search box; a held-back report's word finds
// nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildSite, serve, launch, screenshotPath, searchSettled, searchResults, REPO } from './lib.mjs';

let server, released, browser;
before(async () => {
  server = await serve(buildSite(join(REPO, 'tests/fixtures/embargo/content'), '2026-11-23'));
  released = await serve(buildSite(join(REPO, 'tests/fixtures/embargo/content'), '2030-01-01'));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  await released?.close();
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
  assert.match(message, /一致するページはありません/);
});

test('after its release the same word finds that report', async () => {
  const { titles } = await search('渓谷', null, released);
  assert.deepEqual(titles.map((t) => t.text), ['HOLD-report-title 森町（静岡）チーム 最終報告']);
});
