import { Identity } from '../pages/identity';
import { Shell } from '../pages/shell';
import { BASE_URL, KIOSK_DEVICE, expect, freshMobile, gotoHydrated, masked, test, walkAwayFromKiosk } from '../fixtures';

test('a kiosk (or a tablet) is signed in by scanning its code with a signed-in phone', async ({ page, browser, request, profile }) => {
  test.skip(profile !== 'kiosk' && profile !== 'tablet', 'the hand-off signs in a kiosk or a tablet');
  await gotoHydrated(page, '/signin');
  const handoff = page.getByTestId('handoff');
  if (profile === 'tablet') await handoff.getByTestId('handoff-start').click();
  await expect(handoff.getByTestId('handoff-qr').locator('svg')).toBeVisible();
  const link = await handoff.getByTestId('handoff-link').getAttribute('href');
  expect(link).toMatch(new RegExp(`^${BASE_URL}/handoff\\?t=[0-9a-f]{32}$`));

  // The person's phone: signs in, opens the scanned link, sees who asks, allows.
  const phoneContext = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 412, height: 915 }, isMobile: true, hasTouch: true, locale: 'zh-CN' });
  try {
    const phone = await phoneContext.newPage();
    const me = new Identity(phone);
    const mobile = freshMobile();
    const path = new URL(link!).pathname + new URL(link!).search;
    await me.signInBySms(request, mobile, path);
    if (profile === 'kiosk') {
      await expect(phone.getByTestId('handoff-device')).toContainText(KIOSK_DEVICE);
      await expect(phone.getByTestId('handoff-court')).toContainText('朝阳');
    }
    await phone.getByTestId('handoff-approve').click();
    await expect(phone.getByTestId('handoff-approved')).toBeVisible();

    // The waiting device signs in within two seconds.
    await expect(page).toHaveURL(`${BASE_URL}/me`, { timeout: 2_500 });
    await expect(new Identity(page).mePhone).toHaveText(masked(mobile));
  } finally {
    await phoneContext.close();
  }
  if (profile !== 'kiosk') return;

  // The person walks away from the kiosk: the idle wipe signs them out.
  await walkAwayFromKiosk(page);
  await gotoHydrated(page, '/me');
  await expect(new Shell(page).signInPrompt).toBeVisible();
});
