// The real site on paper, as of today (issue 34): Chromium's print-to-PDF at A4 and Letter,
// read back with pdftotext. A prefecture and the 97-team list fit in a few pages, no page holds
// only the footer, every link printed has its absolute address, and every page says where it
// came from and when its records last changed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSite, serve, launch, REPO } from './lib.mjs';

const content = join(REPO, 'content');
const BASE = /^base_url:\s*(\S+)/m.exec(readFileSync(join(content, 'site.yaml'), 'utf8'))[1];
const site = {};
before(async () => {
  site.server = await serve(buildSite(content, '2026-12-06'));
  site.browser = await launch();
});
after(async () => {
  await site.browser?.close();
  await site.server?.close();
});

const tmp = mkdtempSync(join(tmpdir(), 'banso-print-'));

/** The text of a PDF (pages split at form feeds), with every run of white space removed:
 * an address broken over two lines reads as one. */
function pdfPages(pdf, name) {
  const file = join(tmp, `${name}.pdf`);
  writeFileSync(file, pdf);
  const text = execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' });
  const pages = text.split('\f');
  if (pages.at(-1).trim() === '') pages.pop();
  const count = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))[1]);
  assert.equal(pages.length, count, `${name}: pdftotext and pdfinfo agree on the page count`);
  return pages.map((p) => p.replace(/\s+/g, ''));
}

const CASES = [
  ['prefectures/nagano/', 2],
  ['prefectures/hokkaido/', 4],
  ['cohorts/2/teams/', 10],
];

for (const [path, most] of CASES) {
  test(`${path} prints on at most ${most} pages (A4 and Letter), with addresses, date and source`, async () => {
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(site.server.url + path);
    await page.emulateMedia({ media: 'print' });
    // What a reader sees on paper: every link with an address of its own (not a place on this
    // page), in what print shows.
    const links = await page.$$eval('main a[href]', (as) => as
      .filter((a) => a.getClientRects().length > 0 && !a.closest('nav'))
      .map((a) => new URL(a.getAttribute('href'), location.href))
      .filter((u) => u.pathname !== location.pathname)
      .map((u) => decodeURIComponent(u.pathname.slice(1) + u.hash)));
    assert.ok(links.length > 5, `${path}: ${links.length} links`);
    const updated = await page.$eval('main', () => document.querySelector('.updated')?.textContent.replace(/^数値の更新：/, '') ?? null);
    for (const format of ['A4', 'Letter']) {
      const pages = pdfPages(await page.pdf({ format }), `${path.replace(/\//g, '_')}${format}`);
      assert.ok(pages.length <= most, `${path} ${format}: ${pages.length} pages (at most ${most})`);
      const all = pages.join('');
      const footer = (BASE + path).replace(/\s+/g, '');
      pages.forEach((p, i) => {
        assert.ok(p.includes(footer), `${path} ${format} page ${i + 1} names the page's address`);
        assert.ok(p.includes(`${i + 1}/${pages.length}`), `${path} ${format} page ${i + 1} is numbered`);
        assert.ok(p.includes('「地方創生伴走支援制度」'), `${path} ${format} page ${i + 1} names the site and its publisher`);
        const body = p.replace(footer, '').replace(/[^「]*「地方創生伴走支援制度」(更新：.*?)?\d+\/\d+/, '');
        assert.ok(body.length > 40, `${path} ${format} page ${i + 1} holds only the footer: ${p}`);
      });
      if (updated) assert.ok(all.includes(`更新：${updated.replace(/\s+/g, '')}`), `${path} ${format}: the date line (${updated})`);
      else assert.ok(/更新：/.test(all), `${path} ${format}: a date line`);
      const missing = [...new Set(links)].filter((l) => !all.includes(BASE + l));
      assert.deepEqual(missing, [], `${path} ${format}: links printed without their address`);
    }
    await page.close();
  });
}

test('on screen the addresses are not shown and links stay relative', async () => {
  const page = await site.browser.newPage({ viewport: { width: 375, height: 667 } });
  await page.goto(site.server.url + 'prefectures/nagano/');
  const shown = await page.$eval('main', (m) => m.innerText);
  assert.ok(!shown.includes('https://'), 'no address on screen');
  const hrefs = await page.$$eval('main a[href]', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.every((h) => !h.startsWith('http') || !h.includes('banso-shien')), hrefs.join(' '));
  await page.close();
});
