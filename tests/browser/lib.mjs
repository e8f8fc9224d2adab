// Shared helpers for the browser tests: build a site with banso, serve it on loopback, drive
// Debian's Chromium through playwright-core.
import { before, after } from 'node:test';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, statSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, extname, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BANSO = process.env.BANSO ?? join(REPO, 'target/release/banso');
export const SCREENSHOTS = join(REPO, 'tests/browser/screenshots');

/**
 * Build `content` at `asOf` into a fresh temporary directory, with `extra` arguments
 * (`['--minify']`); returns the output path.
 */
export function buildSite(content, asOf = '2026-11-23', extra = []) {
  const dir = mkdtempSync(join(tmpdir(), 'banso-browser-'));
  const out = join(dir, 'site');
  execFileSync(BANSO, ['build', '--content', content, '--output', out, '--as-of', asOf, ...extra], { stdio: 'pipe' });
  return out;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml',
  '.csv': 'text/csv; charset=utf-8', '.json': 'application/json', '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8', '.js': 'text/javascript', '.pdf': 'application/pdf',
};

/**
 * The path the site built from `content` is published under (from its site.yaml `base_url`):
 * the 404 page, served at any address, links its style sheet and menu from there.
 */
export function publishedPath(content) {
  const base = /^base_url:\s*(\S+)/m.exec(readFileSync(join(content, 'site.yaml'), 'utf8'));
  return base ? new URL(base[1]).pathname : '/';
}

/**
 * Serve `root` on 127.0.0.1 (a free port); resolves to { url, close }. With `base` (a path such
 * as `/banso/`), the site is also served under it, as where it is published.
 */
export function serve(root, base = '/') {
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (base !== '/' && path.startsWith(base)) path = '/' + path.slice(base.length);
    let file = join(root, path);
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404, { 'content-type': TYPES['.html'] }).end(readFileSync(join(root, '404.html')));
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => {
    ok({ url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((c) => server.close(c)) });
  }));
}

/** Debian's Chromium, headless, with nothing reaching for the network. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

export function screenshotPath(name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return join(SCREENSHOTS, name);
}

/** Wait until the search page has finished a search and shown its first results. */
export async function searchSettled(page) {
  await page.waitForSelector('#search-status[data-state=done]', { timeout: 30000 });
}

/** The results the search page gives as answers (not those listed apart as matching only part
 * of the query): title, link path, summary line and excerpt text. */
export function searchResults(page) {
  return page.$$eval('#search-results .search-result', (rs) => rs.map((r) => {
    const a = r.querySelector('.search-result-title a');
    return {
      text: a.textContent.trim(), href: a.href, path: new URL(a.href).pathname,
      summary: r.querySelector('.search-result-summary')?.textContent ?? '',
      excerpt: [...r.querySelectorAll('.search-result-excerpt')].map((e) => e.textContent).join(' '),
      sections: [...r.querySelectorAll('.search-result-sections a')].map((s) => s.href),
    };
  }));
}

/**
 * Build `content`, serve it and open a browser for the tests of one file; both are closed after
 * them. Returns `{ server, browser }`, filled in once the file's `before` has run.
 */
export function servedSite(content) {
  const site = {};
  before(async () => {
    site.server = await serve(buildSite(content));
    site.browser = await launch();
  });
  after(async () => {
    await site.browser?.close();
    await site.server?.close();
  });
  return site;
}
