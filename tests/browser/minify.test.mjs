// A site built with --minify works as the plain one does in the browser: search finds the same
// report through the minified search page's script and the unminified index, the team list's
// filter script runs, and no page logs an error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildSite, serve, launch, searchSettled, searchResults, REPO } from './lib.mjs';

const CONTENT = join(REPO, 'tests/fixtures/embargo/content');
let plain, minified, browser;
before(async () => {
  plain = await serve(buildSite(CONTENT, '2026-11-23'));
  minified = await serve(buildSite(CONTENT, '2026-11-23', ['--minify']));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await plain?.close();
  await minified?.close();
});

/** Open `path` of `site`; returns the page and the errors it logged or threw. */
async function open(site, path) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(site.url + path);
  return { page, errors };
}

async function search(site, query) {
  const { page, errors } = await open(site, '');
  await page.fill('#site-search-q', query);
  await page.press('#site-search-q', 'Enter');
  await page.waitForURL(/\/search\/\?q=/);
  await searchSettled(page);
  const found = { message: await page.textContent('#search-status'), results: await searchResults(page) };
  await page.close();
  assert.deepEqual(errors, []);
  return found;
}

test('search on the minified site finds what it finds on the plain one', async () => {
  for (const query of ['棚田', '資源', '渓谷']) {
    const [a, b] = [await search(plain, query), await search(minified, query)];
    const strip = (r) => ({ message: r.message, results: r.results.map((x) => ({ ...x, href: new URL(x.href).pathname, sections: x.sections.map((s) => new URL(s).pathname + new URL(s).hash) })) });
    assert.deepEqual(strip(b), strip(a), query);
  }
  const { results } = await search(minified, '棚田');
  assert.equal(results[0]?.text, '森町チーム 中間報告（架空）');
});

test('the minified team list runs its filter script and no page logs an error', async () => {
  for (const path of ['', 'cohorts/1/teams/', 'reports/1/mori-interim/', 'prefectures/', 'data/']) {
    const { page, errors } = await open(minified, path);
    if (path === 'cohorts/1/teams/') {
      assert.equal(await page.locator('.team-filter').isVisible(), true, 'the filter shown by its script');
    }
    await page.close();
    assert.deepEqual(errors, [], path);
  }
});
