// `banso serve` in a real browser: the open page reloads itself after an edit and shows a
// problem on the page when an edit breaks the content.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { BANSO, REPO, launch } from './lib.mjs';

test('the open page reloads after an edit and shows a broken edit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'banso-serve-'));
  const content = join(dir, 'content');
  cpSync(join(REPO, 'tests/fixtures/basic/content'), content, { recursive: true });
  const child = spawn(BANSO, ['serve', '--content', content, '--port', '0', '--as-of', '2026-11-23'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let browser;
  try {
    // The server prints its URL first; a server that never starts fails the test, not hangs it.
    const url = await new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(new Error('banso serve printed no URL within 30 s')), 30000);
      child.once('exit', (code) => fail(new Error(`banso serve exited (${code}) before printing its URL`)));
      createInterface({ input: child.stdout }).once('line', (line) => { clearTimeout(timer); ok(line); });
    });
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    browser = await launch();
    const page = await browser.newPage();
    await page.goto(url + 'about/');
    assert.equal(await page.textContent('h1'), '制度の概要（試験）');
    const file = join(content, 'pages/about.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('title: 制度の概要（試験）', 'title: ブラウザで見る題名'));
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'ブラウザで見る題名', null, { timeout: 10000 });
    writeFileSync(file, readFileSync(file, 'utf8').replace('title: ブラウザで見る題名', 'title: [壊れた'));
    await page.waitForSelector('#banso-errors', { timeout: 10000 });
    assert.match(await page.textContent('#banso-errors'), /pages\/about\.md:\d+/);
    assert.equal(await page.textContent('h1'), 'ブラウザで見る題名', 'the last good page stays');
  } finally {
    // The server goes whatever failed, Chromium's start included.
    child.kill();
    await browser?.close();
  }
});
