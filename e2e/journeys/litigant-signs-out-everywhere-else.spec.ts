import { Identity } from '../pages/identity';
import { Shell } from '../pages/shell';
import { BASE_URL, expect, freshMobile, gotoHydrated, latestCode, test } from '../fixtures';

test('signing out everywhere else from the phone signs the tablet out', async ({ page, makeContext, request, profile }) => {
  test.skip(profile !== 'phone', 'one person with two devices: run once');
  // The same number may receive a new code only after 60 seconds.
  test.setTimeout(180_000);
  const mobile = freshMobile();

  const phone = new Identity(page);
  await phone.openSignIn();
  await phone.askForCode(mobile);
  await expect(phone.codeSent).toBeVisible();
  await phone.enterCode(await latestCode(request, mobile));
  await expect(page).toHaveURL(`${BASE_URL}/me`);

  await page.waitForTimeout(61_000);
  const tabletContext = await makeContext({ viewport: { width: 820, height: 1180 } });
  const tabletPage = await tabletContext.newPage();
  const tablet = new Identity(tabletPage);
  await tablet.openSignIn();
  await tablet.askForCode(mobile);
  await expect(tablet.codeSent).toBeVisible();
  await tablet.enterCode(await latestCode(request, mobile, 1));
  await expect(tabletPage).toHaveURL(`${BASE_URL}/me`);
  await expect(tablet.devices).toHaveCount(2);

  await gotoHydrated(page, '/me');
  await expect(phone.devices).toHaveCount(2);
  await phone.signOutOthersButton.click();
  await expect(phone.devices).toHaveCount(1);

  // The tablet finds itself signed out.
  await gotoHydrated(tabletPage, '/me');
  await expect(new Shell(tabletPage).signInPrompt).toBeVisible();
});
