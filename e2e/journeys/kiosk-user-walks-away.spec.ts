import { IdleWarning } from '../pages/idle-warning';
import { BASE_URL, T, expect, gotoHydrated, reloadHydrated, test, waitForServiceWorkerControl } from '../fixtures';

const KIOSK = /(^|\s)kiosk(\s|$)/;
const PROBE = 'e2e-probe';

test.skip(({ profile }) => profile !== 'kiosk', 'the idle reset exists only on kiosks');

/** What the previous person left behind, in each kind of storage the reset must clear. */
function leftBehind(page: import('@playwright/test').Page) {
  return page.evaluate(async (probe) => {
    return {
      localStorage: localStorage.getItem(probe),
      sessionStorage: sessionStorage.getItem(probe),
      cacheStorage: (await caches.keys()).includes(probe),
    };
  }, PROBE);
}

test('the idle reset warns, can be cancelled, and otherwise clears storage and returns to the start screen', async ({
  page,
  shell,
}) => {
  const warning = new IdleWarning(page);
  await page.clock.install();
  await gotoHydrated(page, '/');
  await expect(shell.html).toHaveClass(KIOSK);
  const idleSecs = Number(await page.evaluate(() => document.documentElement.dataset.kioskIdleSecs));
  expect(idleSecs, 'data-kiosk-idle-secs on <html>').toBeGreaterThan(10);
  const warnAfterMs = (idleSecs - 10) * 1000;

  await page.evaluate(async (probe) => {
    localStorage.setItem(probe, 'left by the previous person');
    sessionStorage.setItem(probe, 'left by the previous person');
    const cache = await caches.open(probe);
    await cache.put(`/${probe}`, new Response('left by the previous person'));
  }, PROBE);
  expect(await leftBehind(page)).toEqual({ localStorage: 'left by the previous person', sessionStorage: 'left by the previous person', cacheStorage: true });

  // From here on, time moves only when the test moves it.
  const fakeNow = await page.evaluate(() => Date.now());
  await page.clock.pauseAt(fakeNow + 5_000);

  // The last touch: the person opens their cases, then walks away.
  await shell.goTo('cases');
  await page.clock.runFor(1_000);
  await expect(shell.heading).toHaveText(T['zh-Hans'].navLink.cases);

  await page.clock.runFor(warnAfterMs - 3_000);
  await expect(warning.dialog, `no warning before ${idleSecs - 10} s without input`).toBeHidden();
  await page.clock.runFor(4_000);
  await expect(warning.heading).toBeVisible();
  await expect(warning.keepUsingButton).toBeVisible();

  // They come back in time: nothing is lost and the countdown starts again.
  await warning.keepUsing();
  await page.clock.runFor(1_000);
  await expect(warning.dialog).toBeHidden();
  await expect(page).toHaveURL(`${BASE_URL}/cases`);
  expect(await leftBehind(page)).toEqual({ localStorage: 'left by the previous person', sessionStorage: 'left by the previous person', cacheStorage: true });

  await page.clock.runFor(warnAfterMs - 3_000);
  await expect(warning.dialog, 'the idle countdown restarted when they pressed the button').toBeHidden();
  await page.clock.runFor(4_000);
  await expect(warning.heading).toBeVisible();

  // This time nobody answers within 10 s.
  await page.clock.runFor(12_000);
  await page.clock.resume();
  await expect(page).toHaveURL(`${BASE_URL}/`);
  await expect(shell.heading).toHaveText(T['zh-Hans'].homeTitle);
  await expect(shell.html).toHaveAttribute('data-hydrated', 'true');
  await expect(warning.dialog).toBeHidden();
  await expect
    .poll(() => leftBehind(page), { message: 'localStorage, sessionStorage and Cache Storage are cleared' })
    .toEqual({ localStorage: null, sessionStorage: null, cacheStorage: false });

  // The device stays a kiosk: the enrolment cookie survives the reset.
  await expect(shell.html).toHaveClass(KIOSK);
  await reloadHydrated(page);
  await expect(shell.html).toHaveClass(KIOSK);
});

test('a kiosk never keeps a page in the service worker cache', async ({ page, shell }) => {
  await gotoHydrated(page, '/');
  await waitForServiceWorkerControl(page);
  for (const key of ['cases', 'pay', 'me'] as const) {
    await shell.goTo(key);
    await expect(shell.heading).toHaveText(T['zh-Hans'].navLink[key]);
  }
  // Full page loads go through the service worker's navigation handler.
  await reloadHydrated(page);
  await gotoHydrated(page, '/hearings');
  const storedPages = await page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const req of await cache.keys()) {
        const path = new URL(req.url).pathname;
        if (!path.startsWith('/pkg/') && !path.startsWith('/icons/') && !/\.(css|js|html|webmanifest|png)$/.test(path)) {
          urls.push(path);
        }
      }
    }
    return urls;
  });
  expect(storedPages, 'pages kept by the service worker on a kiosk').toEqual([]);
});
