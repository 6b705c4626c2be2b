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
    // The waiting device is signed in within two seconds of the approval: measured from the
    // approval's answer to the device asking for its signed-in page (which it does as soon as
    // its poll has signed it in; rendering that page is slower on a machine busy with others).
    const approval = phone.waitForResponse((r) => r.url().includes('/api/identity/handoff_approve'));
    const signedIn = page.waitForRequest((r) => r.url() === `${BASE_URL}/me` && r.isNavigationRequest(), { timeout: 15_000 });
    await phone.getByTestId('handoff-approve').click();
    await approval;
    const approvedAt = Date.now();
    await signedIn;
    expect(Date.now() - approvedAt, 'signed in within two seconds of the approval').toBeLessThan(2_000);
    await expect(phone.getByTestId('handoff-approved')).toBeVisible();
    await expect(page).toHaveURL(`${BASE_URL}/me`, { timeout: 10_000 });
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
