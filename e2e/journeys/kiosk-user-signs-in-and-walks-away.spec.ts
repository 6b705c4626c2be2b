import { IdleWarning } from '../pages/idle-warning';
import { Identity } from '../pages/identity';
import { API_URL, BASE_URL, expect, freshMobile, gotoHydrated, latestCode, masked, test } from '../fixtures';

test.skip(({ profile }) => profile !== 'kiosk', 'the idle reset exists only on kiosks');

test('a person signed in at the kiosk is signed out by the idle reset, on the server too', async ({ page, shell, request }) => {
  const me = new Identity(page);
  const mobile = freshMobile();
  await me.openSignIn();
  await me.askForCode(mobile);
  await expect(me.codeSent).toBeVisible();
  await me.enterCode(await latestCode(request, mobile));
  await expect(page).toHaveURL(`${BASE_URL}/me`);
  await expect(me.mePhone).toHaveText(masked(mobile));
  await expect(me.devices.first()).toContainText('法院自助终端');
  const cookiesBefore = await page.context().cookies();
  const session = cookiesBefore.find((c) => c.name === 'tp_session');
  expect(session?.httpOnly, 'the session cookie is HttpOnly').toBe(true);
  expect(session?.sameSite).toBe('Lax');

  // They walk away: the page's clock runs to the wipe.
  await page.clock.install();
  await gotoHydrated(page, '/me');
  const idleSecs = Number(await page.evaluate(() => document.documentElement.dataset.kioskIdleSecs));
  await page.clock.runFor((idleSecs - 10) * 1000 + 1_000);
  await expect(new IdleWarning(page).heading).toBeVisible();
  await page.clock.runFor(12_000);
  await page.clock.resume();
  await expect(page).toHaveURL(`${BASE_URL}/`);

  // The session ended on the server: the old cookie would not work even if it had been kept.
  const stale = `tp_session=${session!.value}`;
  const res = await request.post(`${API_URL}/api/identity/me`, { headers: { cookie: stale }, form: {} });
  expect(await res.json()).toBeNull();
  await gotoHydrated(page, '/me');
  await expect(shell.signInPrompt).toBeVisible();
});
