// A large site's search index is made in parts (src/render/search.rs) that the search page
// merges in the browser. On a synthetic site big enough for four parts (at most 1,000 pages
// each), a report indexed in each part is found from the search box, so merging works over
// relative bundle paths.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSite, serve, launch, searchSettled, searchResults, REPO } from './lib.mjs';

let root, server, browser;
before(async () => {
  const content = join(mkdtempSync(join(tmpdir(), 'banso-parts-')), 'content');
  // 1,800 synthetic reports: with the 1,741 municipality pages and the others, between 3,000
  // and 4,000 indexed pages.
  execFileSync('python3', [join(REPO, 'benches/generate.py'), '--reports', '1800', '--banso', content]);
  root = buildSite(content, '2030-01-01');
  server = await serve(root);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Title and URL of every page indexed in the part at `dir` (fragments are gzip'd JSON). */
function fragments(dir) {
  return readdirSync(join(dir, 'fragment')).map((f) => {
    const bytes = gunzipSync(readFileSync(join(dir, 'fragment', f)));
    const json = JSON.parse(bytes.subarray('pagefind_dcd'.length).toString('utf8'));
    return { url: json.url, title: json.meta.title };
  });
}

async function search(query) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${server.url}search/?q=${encodeURIComponent(query)}`);
  await searchSettled(page);
  const titles = await searchResults(page);
  await page.close();
  return titles;
}

const PARTS = ['pagefind', 'pagefind/part-2', 'pagefind/part-3', 'pagefind/part-4'];

test('the index has four parts, the later ones holding only index data', () => {
  for (const dir of PARTS.slice(1)) {
    assert.ok(existsSync(join(root, dir, 'pagefind-entry.json')), dir);
    assert.ok(!existsSync(join(root, dir, 'pagefind.js')), `${dir}: scripts come from the first part`);
  }
  assert.ok(!existsSync(join(root, 'pagefind/part-5')));
  const html = readFileSync(join(root, 'search/index.html'), 'utf8');
  const parts = html.match(/data-parts="([^"]*)"/)[1].split(/\s+/);
  assert.deepEqual(parts, PARTS.slice(1).map((d) => `../${d}/`));
});

test('a report of each part is found by its number and linked', async () => {
  for (const dir of PARTS) {
    const report = fragments(join(root, dir)).find((f) => f.url.startsWith('reports/'));
    assert.ok(report, `a report is indexed in ${dir}`);
    const no = report.title.match(/合成 (\d+)/)[1];
    const results = await search(`合成 ${no}`);
    const hit = results.find((r) => r.text === report.title);
    assert.ok(hit, `${report.title} (in ${dir}) found: ${JSON.stringify(results)}`);
    assert.equal(hit.path, `/${report.url}`, 'the result links to the report');
  }
});
