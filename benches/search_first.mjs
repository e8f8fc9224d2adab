// How long a reader waits for a first search: from opening the search page with a query to the
// results shown, for two built sites side by side (A, then B, alternating), in Debian's
// headless Chromium over an emulated slow link (latency per request, 1.5 MB/s down, no cache).
// A site of over 1,000 pages has its index in parts, which the search page merges first.
//
//   (cd tests/browser && npm ci)   # once: playwright-core
//   node benches/search_first.mjs OUTPUT_A OUTPUT_B [latency ms, default 100] [query]
import { serve, launch } from '../tests/browser/lib.mjs';
const [dirA, dirB, latencyArg, queryArg] = process.argv.slice(2);
if (!dirA || !dirB) {
  console.error('usage: node benches/search_first.mjs OUTPUT_A OUTPUT_B [latency ms] [query]');
  process.exit(2);
}
const query = queryArg ?? '合成 1234';
const browser = await launch();
async function once(root, latency) {
  const server = await serve(root);
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency, downloadThroughput: 1.5e6, uploadThroughput: 7.5e5 });
  const t0 = Date.now();
  await page.goto(`${server.url}search/?q=${encodeURIComponent(query)}`);
  await page.waitForSelector('#search-status[data-state=done]', { timeout: 120000 });
  const ms = Date.now() - t0;
  await ctx.close();
  await server.close();
  return ms;
}
for (const latency of [Number(latencyArg ?? 100)]) {
  const a = [], b = [];
  for (let i = 0; i < 3; i++) { a.push(await once(dirA, latency)); b.push(await once(dirB, latency)); }
  console.log(`latency ${latency} ms: A ${a.join(' ')} ms; B ${b.join(' ')} ms`);
}
await browser.close();
