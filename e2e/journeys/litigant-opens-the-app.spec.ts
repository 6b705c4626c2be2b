import http from 'node:http';
import { Shell } from '../pages/shell';
import {
  BASE_URL,
  COMING_SOON,
  NEEDS_SIGN_IN,
  NAV_KEYS,
  NAV_PATH,
  SANDBOX_WORD_ZH_HANS,
  T,
  expect,
  gotoHydrated,
  test,
} from '../fixtures';

const zh = T['zh-Hans'];

test('the home page is rendered by the server, also with JavaScript disabled', async ({ page, makeContext }) => {
  // With JavaScript on, the HTML that arrives already holds the page.
  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  expect(await response?.text()).toContain(zh.homeTitle);

  // With JavaScript off, everything a person needs to find their way is there.
  const noScript = await makeContext({ javaScriptEnabled: false });
  const bare = await noScript.newPage();
  const bareResponse = await bare.goto('/');
  expect(bareResponse?.status()).toBe(200);
  const shell = new Shell(bare);
  await expect(shell.html).toHaveAttribute('lang', 'zh-Hans');
  await expect(shell.html).not.toHaveAttribute('data-hydrated', 'true');
  await expect(shell.heading).toHaveText(zh.homeTitle);
  await expect(shell.skipLink).toHaveAttribute('href', '#main');
  await expect(shell.main).toHaveCount(1);
  await expect(shell.sandboxBanner).toContainText(SANDBOX_WORD_ZH_HANS);
  await expect(shell.nav).toBeVisible();
  await expect(shell.navLinks).toHaveCount(NAV_KEYS.length);
  for (const key of NAV_KEYS) {
    await expect(shell.navLink(key)).toHaveAttribute('href', NAV_PATH[key]);
  }
  await expect(shell.navLink('home')).toHaveAttribute('aria-current', 'page');
  await expect(shell.settingsToggle).toHaveText(zh.settings);

  // Every page of the navigation is rendered by the server too.
  for (const key of [...COMING_SOON, ...NEEDS_SIGN_IN]) {
    const pageResponse = await bare.goto(NAV_PATH[key]);
    expect(pageResponse?.status(), `${NAV_PATH[key]} status`).toBe(200);
    await expect(shell.heading).toHaveText(zh.navLink[key]);
    await expect(shell.signedOutBody(key)).toBeVisible();
    await expect(shell.navLink(key)).toHaveAttribute('aria-current', 'page');
    await expect(shell.navLink('home')).not.toHaveAttribute('aria-current', 'page');
  }
});

/** The Foundation's budget: what a first visit downloads before the page is interactive. */
const FIRST_VISIT_BUDGET_BYTES = 250 * 1024;

test('a first visit downloads at most 250 KB of script and WebAssembly, compressed as served', async ({
  page,
  profile,
}) => {
  test.skip(profile !== 'phone', 'the same files go to every device: measured once, on the slowest');
  // Every script and WebAssembly file the page itself fetched until it was interactive...
  const fetched = new Set<string>();
  page.on('requestfinished', (request) => {
    const url = new URL(request.url());
    if (/\.(js|wasm)$/.test(url.pathname)) fetched.add(url.pathname);
  });
  await gotoHydrated(page, '/');
  expect([...fetched].some((path) => path.endsWith('.wasm')), 'the WebAssembly was fetched').toBe(true);
  // ...counted as the bytes the server sends a browser that accepts brotli (Chromium asks for
  // brotli only over HTTPS, so the page's own transfer over plain http would count gzip).
  const files = await Promise.all([...fetched].map(async (path) => [path, await brotliBytes(path)] as const));
  const total = files.reduce((sum, [, bytes]) => sum + bytes, 0);
  const listing = files.map(([path, bytes]) => `${path}: ${(bytes / 1024).toFixed(1)} KB`).join('\n');
  expect(total, `first visit JS + WASM:\n${listing}`).toBeLessThanOrEqual(FIRST_VISIT_BUDGET_BYTES);
});

/** The bytes on the wire for `path` when the client accepts brotli (not decompressed). */
function brotliBytes(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      // The server listens on 127.0.0.1 only; "localhost" may resolve to ::1 first in Node.
      .get(`${BASE_URL.replace('localhost', '127.0.0.1')}${path}`, { headers: { 'accept-encoding': 'br' } }, (response) => {
        if (response.headers['content-encoding'] !== 'br') {
          reject(new Error(`${path} was not served brotli-compressed`));
        }
        let bytes = 0;
        response.on('data', (chunk: Buffer) => (bytes += chunk.length));
        response.on('end', () => resolve(bytes));
      })
      .on('error', reject);
  });
}

test('it hydrates and client-side navigation works without a full page load', async ({ page, shell }) => {
  await gotoHydrated(page, '/');
  await expect(shell.heading).toHaveText(zh.homeTitle);
  await expect(shell.sandboxBanner).toContainText(SANDBOX_WORD_ZH_HANS);
  // A full page load would lose this.
  await page.evaluate(() => {
    (window as unknown as { __marker?: number }).__marker = 1;
  });

  for (const key of [...COMING_SOON, ...NEEDS_SIGN_IN]) {
    await shell.goTo(key);
    await expect(page).toHaveURL(`${BASE_URL}${NAV_PATH[key]}`);
    await expect(shell.heading).toHaveText(zh.navLink[key]);
    await expect(shell.signedOutBody(key)).toBeVisible();
    await expect(shell.navLink(key)).toHaveAttribute('aria-current', 'page');
    await expect(shell.navLink('home')).not.toHaveAttribute('aria-current', 'page');
  }
  await shell.goTo('home');
  await expect(page).toHaveURL(`${BASE_URL}/`);
  await expect(shell.heading).toHaveText(zh.homeTitle);
  await expect(shell.navLink('home')).toHaveAttribute('aria-current', 'page');

  const marker = await page.evaluate(() => (window as unknown as { __marker?: number }).__marker);
  expect(marker, 'the page was never fully reloaded').toBe(1);
});
