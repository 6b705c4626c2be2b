import {
  BASE_URL,
  OFFLINE_TITLE_ZH_HANS,
  T,
  audit,
  expect,
  failedWhileOffline,
  gotoHydrated,
  test,
  waitForServiceWorkerControl,
} from '../fixtures';

test('the service worker registers and, offline, a navigation shows the offline page', async ({
  page,
  context,
  shell,
  consoleGuard,
}) => {
  await gotoHydrated(page, '/');
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute('href', '/manifest.webmanifest');
  const worker = await waitForServiceWorkerControl(page);
  expect(worker.scope).toBe(`${BASE_URL}/`);
  expect(new URL(worker.scriptURL).pathname).toBe('/sw.js');

  consoleGuard.allow(failedWhileOffline, 'the test cuts the network on purpose');
  await context.setOffline(true);
  // A page never visited before: the worker cannot have it, so it must answer with the offline page.
  await page.goto('/hearings');
  // The static offline page speaks all three languages, the person's own first.
  await expect(page.getByRole('heading', { level: 1 }).first()).toContainText(OFFLINE_TITLE_ZH_HANS);
  await audit(page, 'the offline page');

  // Back online, the same address gives the real page.
  await context.setOffline(false);
  await gotoHydrated(page, '/hearings');
  await expect(shell.heading).toHaveText(T['zh-Hans'].navLink.hearings);
});
