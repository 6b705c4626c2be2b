import { Identity } from '../pages/identity';
import { BASE_URL, audit, expect, freshMobile, gotoHydrated, pushUnavailableInIncognito, test, waitForServiceWorkerControl } from '../fixtures';

test('a litigant chooses how to be told, turns push on for their phone, and a pushed notice shows and opens their inbox', async ({
  page,
  context,
  request,
  profile,
  consoleGuard,
}) => {
  test.skip(profile !== 'phone', 'push on a phone (an installed PWA runs the same service worker)');
  const me = new Identity(page);
  await me.signInBySms(request, freshMobile(), '/inbox');
  await gotoHydrated(page, '/inbox');
  await expect(page.getByTestId('inbox-empty')).toBeVisible();

  // Texts off, push on: saved, and still so after a reload.
  await page.getByTestId('channel-sms').uncheck();
  await page.getByTestId('channels-save').click();
  await expect(page.getByTestId('channels-saved')).toBeVisible();
  await gotoHydrated(page, '/inbox');
  await expect(page.getByTestId('channel-sms')).not.toBeChecked();
  await expect(page.getByTestId('channel-push')).toBeChecked();
  await audit(page, 'the inbox with its channels');

  // This browser's push service is out of reach here: turning push on either works or says
  // why not, and never leaves the person waiting.
  consoleGuard.allow(pushUnavailableInIncognito, "Playwright's contexts are incognito, where Chromium has no Push API");
  await context.grantPermissions(['notifications'], { origin: BASE_URL });
  await waitForServiceWorkerControl(page);
  await page.getByTestId('push-on').click();
  await expect(page.getByTestId('push-status')).toHaveText(/本设备已开启推送|无法开启推送：.+/, { timeout: 20_000 });

  // A push arriving at the service worker is shown as a notification that opens the inbox.
  const cdp = await context.newCDPSession(page);
  const registration = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => {
      const r = e.registrations.find((x) => x.scopeURL === `${BASE_URL}/` && !x.isDeleted);
      if (r) resolve(r.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  const data = JSON.stringify({ title: '天平', body: '案件 (2026)京0105民初1号 有新进展。', link: '/inbox/1', tag: 'notice-1' });
  await cdp.send('ServiceWorker.deliverPushMessage', { origin: BASE_URL, registrationId: await registration, data });
  await expect
    .poll(() =>
      page.evaluate(async () => {
        const reg = await navigator.serviceWorker.ready;
        return (await reg.getNotifications()).map((n) => `${n.title}|${n.body}|${(n.data as { link: string }).link}`);
      }),
    )
    .toContain('天平|案件 (2026)京0105民初1号 有新进展。|/inbox/1');
});
