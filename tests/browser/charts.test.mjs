// A chart opened in headless Chromium: its SVG has a size, every label is text that Chromium
// lays out with a font that has Japanese glyphs, and the numbers read as they should.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname, relative, sep } from 'node:path';
import { servedSite, screenshotPath, buildSite, serve, REPO } from './lib.mjs';

const site = servedSite(join(REPO, 'content'));

/** The platform fonts Chromium used to draw the first element matching `selector`. */
async function fontsOf(page, selector) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
  const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector });
  const fonts = [];
  for (const nodeId of nodeIds) {
    const r = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    fonts.push(r.fonts.map((f) => f.familyName));
  }
  return fonts;
}

test('the ministry chart shows legible Japanese labels', async () => {
  const page = await site.browser.newPage({ viewport: { width: 1000, height: 1100 } });
  await page.goto(site.server.url + 'cohorts/2/charts/ministry.svg');
  const size = await page.evaluate(() => {
    const r = document.documentElement.getBoundingClientRect();
    return { w: r.width, h: r.height };
  });
  assert.ok(size.w > 600 && size.h > 800, JSON.stringify(size));
  const texts = await page.evaluate(() => [...document.querySelectorAll('text')].map((t) => {
    const b = t.getBBox();
    return { text: t.textContent, w: b.width, h: b.height };
  }));
  const labels = texts.map((t) => t.text);
  for (const want of ['内閣官房', '国土交通省', '40名（14.3%）', '北海道大学']) assert.ok(labels.includes(want), want);
  assert.equal(labels[0], '第2期の支援官の所属府省庁等：国土交通省が40名で最多');
  for (const t of texts) assert.ok(t.w > 0 && t.h > 0, `${t.text} is laid out`);
  // 国土交通省 is five full-width characters at 13 px: about 65 px wide in a CJK font.
  const mlit = texts.find((t) => t.text === '国土交通省');
  assert.ok(mlit.w > 50 && mlit.w < 80, `国土交通省 is ${mlit.w}px wide`);
  const fonts = await fontsOf(page, 'text');
  for (const [i, f] of fonts.entries()) {
    assert.ok(f.length > 0, `text ${i} (${labels[i]}) is drawn with some font`);
    assert.ok(f.some((name) => /CJK|Noto Sans JP|Hiragino|Gothic|Meiryo|IPA|Takao|VL|Droid Sans Fallback|WenQuanYi/i.test(name)),
      `${labels[i]} is drawn with ${f.join(', ')}, which has no Japanese glyphs`);
  }
  await page.screenshot({ path: screenshotPath('chart-ministry.png') });
  await page.close();
});

test('charts on the cohort page load as images with their numbers beside them', async () => {
  const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(site.server.url + 'cohorts/2/');
  const images = await page.evaluate(async () => {
    const imgs = [...document.querySelectorAll('figure.chart img')];
    for (const img of imgs) { img.loading = 'eager'; await img.decode().catch(() => {}); }
    return imgs.map((img) => ({ src: img.getAttribute('src'), w: img.naturalWidth, alt: img.alt }));
  });
  // 役職, 地域別, 人口規模別, 所属府省庁等: the four breakdowns the real roster has numbers for.
  assert.deepEqual(images.map((i) => i.src.split('/').pop()), ['grade.svg', 'region.svg', 'population.svg', 'ministry.svg']);
  for (const img of images) {
    assert.ok(img.w > 0, `${img.src} loaded`);
    assert.ok(img.alt.startsWith('第2期の'), img.alt);
  }
  // Finding 1: no chart whose every category is 0, —, 秘匿 or 未登録 (a reader could report
  // 「女性 0名」); what is missing is said once, in words.
  const tables = await page.evaluate(() => [...document.querySelectorAll('figure.chart table')].map((t) =>
    [...t.querySelectorAll('tbody tr')].map((r) => [r.querySelector('th').textContent, [...r.querySelectorAll('td')].map((d) => d.textContent)])));
  assert.equal(tables.length, 4);
  for (const rows of tables) {
    const counted = rows.filter(([name]) => name !== '未登録').flatMap(([, cells]) => cells.map((c) => parseInt(c.replace(/,/g, ''), 10) || 0));
    assert.ok(counted.some((n) => n > 0), JSON.stringify(rows));
  }
  const notes = await page.locator('main p.note').allTextContents();
  assert.ok(notes.some((n) => n.startsWith('支援官の性別、支援官の事務官・技官の別、支援官の年齢、伴走支援チームの課題分野は')), notes.join('\n'));
  await page.close();
});

/** Every page of the built site `root` (its path under the site) that shows a chart. */
function pagesWithCharts(root) {
  const pages = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name === 'index.html' && readFileSync(path, 'utf8').includes('<figure class="chart"')) {
        pages.push(relative(root, dirname(path)).split(sep).map((p) => `${p}/`).join(''));
      }
    }
  };
  walk(root);
  return pages.sort();
}

test('on a phone every chart of the real site is drawn 340 px wide with all its text inside, under a caption', async () => {
  const out = buildSite(join(REPO, 'content'), '2026-12-06');
  const server = await serve(out);
  const pages = pagesWithCharts(out);
  // The cohort page and the prefecture pages of 第2期 at least.
  assert.ok(pages.includes('cohorts/2/') && pages.length > 30, pages.join(' '));
  const page = await site.browser.newPage({ viewport: { width: 375, height: 800 } });
  const drawings = [];
  for (const path of pages) {
    await page.goto(server.url + path);
    const figures = await page.evaluate(async () => Promise.all([...document.querySelectorAll('figure.chart')].map(async (f) => {
      const img = f.querySelector('picture img');
      img.loading = 'eager';
      await img.decode().catch(() => {});
      return {
        id: f.id,
        caption: f.querySelector(':scope > figcaption')?.textContent.trim() ?? '',
        src: img.currentSrc,
        width: img.getBoundingClientRect().width,
      };
    })));
    assert.ok(figures.length > 0, path);
    for (const f of figures) {
      assert.ok(f.caption.length > 0, `${path}#${f.id} has no caption`);
      assert.ok(f.src.endsWith('-narrow.svg'), `${path}#${f.id} shows ${f.src} on a phone`);
      // Drawn at its own size, not scaled down: the text is read at the size it was drawn.
      assert.equal(f.width, 340, `${path}#${f.id} is ${f.width}px wide`);
      drawings.push({ page: path, src: f.src });
    }
  }
  const svg = await site.browser.newPage({ viewport: { width: 375, height: 800 } });
  const outside = [];
  for (const d of drawings) {
    await svg.goto(d.src);
    const measured = await svg.evaluate(() => {
      const root = document.documentElement;
      const box = root.viewBox.baseVal;
      return {
        box: { w: box.width, h: box.height },
        texts: [...document.querySelectorAll('text')].map((t) => {
          const b = t.getBBox();
          return { text: t.textContent, x: b.x, y: b.y, w: b.width, h: b.height };
        }),
      };
    });
    assert.equal(measured.box.w, 340, d.src);
    assert.ok(measured.texts.length > 3, d.src);
    for (const t of measured.texts) {
      assert.ok(t.w > 0 && t.h > 0, `${d.src}: 「${t.text}」 is laid out`);
      if (t.x < 0 || t.x + t.w > measured.box.w || t.y < 0 || t.y + t.h > measured.box.h) {
        outside.push(`${d.src}: 「${t.text}」 spans x ${t.x.toFixed(1)}..${(t.x + t.w).toFixed(1)}, y ${t.y.toFixed(1)}..${(t.y + t.h).toFixed(1)} of ${measured.box.w}×${measured.box.h}`);
      }
    }
  }
  assert.deepEqual(outside, []);
  console.log(`# measured ${drawings.length} phone drawings on ${pages.length} pages`);
  await svg.close();
  await page.close();
  await server.close();
});
