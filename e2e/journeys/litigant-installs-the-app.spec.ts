import { BASE_URL, appManifest, expect, gotoHydrated, installabilityErrors, test, waitForServiceWorkerControl } from '../fixtures';

test.skip(
  ({ profile }) => profile !== 'phone' && profile !== 'desktop',
  'installability is checked on the phone and the desktop; kiosks suppress the install prompt',
);

test('the app can be installed to the home screen or desktop', async ({ makePersistentContext }) => {
  // Chromium never offers to install from an incognito context, which Playwright's usual contexts are.
  const context = await makePersistentContext();
  const page = context.pages()[0] ?? (await context.newPage());
  await gotoHydrated(page, '/');
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute('href', '/manifest.webmanifest');
  await waitForServiceWorkerControl(page);

  const manifest = await appManifest(page);
  expect(manifest.url).toBe(`${BASE_URL}/manifest.webmanifest`);
  expect(manifest.errors, 'manifest parse errors').toEqual([]);

  await expect
    .poll(() => installabilityErrors(page), { message: "Chromium's installability errors", timeout: 20_000 })
    .toEqual([]);
});
