// Fetches the home page the way a first visit does and sums the JS, WASM and CSS it pulls in,
// raw and compressed (gzip -9 and brotli q11, what a static pre-compression step would serve).
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import http from 'node:http';

// The bytes actually sent for a URL when the browser accepts brotli.
function servedBytes(url) {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { 'accept-encoding': 'br, gzip' } }, (res) => {
      let n = 0;
      res.on('data', (c) => (n += c.length));
      res.on('end', () => resolve([n, res.headers['content-encoding'] ?? 'identity']));
    }).on('error', reject);
  });
}

const base = process.argv[2];
const html = await (await fetch(base + '/')).text();
const urls = new Set();
for (const m of html.matchAll(/(?:href|src)="(\/pkg\/[^"]+)"/g)) urls.add(m[1]);
// The hydration script names the JS and WASM; the module preload and fetch preload carry them too.
// The JS glue imports the split loader (`__wasm_split.*.js`), which the browser fetches as well.
for (const url of [...urls].filter((u) => u.endsWith('.js'))) {
  const js = await (await fetch(base + url)).text();
  for (const m of js.matchAll(/from\s*"\.\/([^"]+\.js)"/g)) urls.add(url.replace(/[^/]+$/, m[1]));
}
const rows = [];
const totals = { js: [0, 0, 0], wasm: [0, 0, 0], css: [0, 0, 0] };
for (const url of urls) {
  const buf = Buffer.from(await (await fetch(base + url)).arrayBuffer());
  const kind = url.endsWith('.wasm') ? 'wasm' : url.endsWith('.css') ? 'css' : 'js';
  const gz = gzipSync(buf, { level: 9 }).length;
  const br = brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  rows.push([url, buf.length, gz, br]);
  totals[kind] = [totals[kind][0] + buf.length, totals[kind][1] + gz, totals[kind][2] + br];
}
const kb = (n) => (n / 1024).toFixed(1).padStart(8) + ' KB';
console.log('file'.padEnd(48), 'raw'.padStart(11), 'gzip'.padStart(11), 'brotli'.padStart(11));
for (const [u, r, g, b] of rows) console.log(u.padEnd(48), kb(r), kb(g), kb(b));
const htmlBr = brotliCompressSync(Buffer.from(html)).length;
console.log('html (/)'.padEnd(48), kb(Buffer.byteLength(html)), ''.padStart(11), kb(htmlBr));
const jsWasm = totals.js.map((v, i) => v + totals.wasm[i]);
console.log('JS+WASM total'.padEnd(48), kb(jsWasm[0]), kb(jsWasm[1]), kb(jsWasm[2]));
let served = 0;
for (const url of urls) {
  if (url.endsWith('.css')) continue;
  const [n, enc] = await servedBytes(base + url);
  console.log(('served ' + url).padEnd(48), kb(n), enc);
  served += n;
}
console.log('JS+WASM as served (Accept-Encoding: br)'.padEnd(48), kb(served));
console.log('budget: JS+WASM ≤ 250 KB brotli →', served <= 250 * 1024 ? 'within' : 'OVER');
