import { expect, gotoHydrated, test } from '../fixtures';

test('only a kiosk refuses the browser install prompt; phones, tablets and desks are offered it', async ({
  page,
  profile,
}) => {
  await gotoHydrated(page, '/');
  // Chromium fires `beforeinstallprompt` when it would offer installation; cancelling it
  // suppresses the offer. A kiosk is a shared device: nobody should install "their" app there.
  const cancelled = await page.evaluate(() => {
    const offer = new Event('beforeinstallprompt', { cancelable: true });
    window.dispatchEvent(offer);
    return offer.defaultPrevented;
  });
  expect(cancelled).toBe(profile === 'kiosk');
});
