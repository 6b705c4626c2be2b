import { Identity } from '../pages/identity';
import { API_URL, BASE_URL, expect, freshMobile, gotoHydrated, latestCode, masked, test, walkAwayFromKiosk } from '../fixtures';

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
  await walkAwayFromKiosk(page);

  // The session ended on the server: the old cookie would not work even if it had been kept.
  const stale = `tp_session=${session!.value}`;
  const res = await request.post(`${API_URL}/api/identity/me`, { headers: { cookie: stale }, form: {} });
  expect(await res.json()).toBeNull();
  await gotoHydrated(page, '/me');
  await expect(shell.signInPrompt).toBeVisible();
});
