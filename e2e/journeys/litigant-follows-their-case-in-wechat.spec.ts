import { Service } from '../pages/cases';
import { DESK, audit, expect, freshMobile, gotoHydrated, outbox, pdfFile, sha256, staffSignedIn, test, verifiedWithCase } from '../fixtures';

test('inside WeChat a litigant follows their case: told of a served ruling, reads it with its fingerprint and the days left, and is told plainly that push is not available there while texts and the calendar are', async ({
  page,
  request,
  profile,
  browser,
}) => {
  test.skip(profile !== 'wechat', 'the mini-program web-view: no passkeys and no Web Push there');
  const person = { name: '潘佳慧', id: '210102200312141579', mobile: freshMobile() };
  const caseNumber = await verifiedWithCase(page, request, browser, person);
  const ruling = pdfFile('民事裁定书.pdf', 48 * 1024);

  // A clerk at a desk serves a ruling on the case.
  const desk = await browser.newContext(DESK);
  try {
    const clerk = await staffSignedIn(desk, '京0105', 'clerk', '蒋书记');
    await gotoHydrated(clerk, '/staff/cases');
    await clerk.locator(`[data-testid="court-case"][data-case="${caseNumber}"]`).getByTestId('court-case-link').click();
    await expect(clerk.getByTestId('staff-case-number')).toHaveText(caseNumber);
    await new Service(clerk).serve('ruling', '民事裁定书', ruling);
    await expect(clerk.getByTestId('document-served')).toBeVisible();
  } finally {
    await desk.close();
  }

  // Told by text and in the app; the case list and the case read as on any phone.
  await expect.poll(async () => (await outbox(request, person.mobile)).some((t) => t.includes(caseNumber) && t.includes('民事裁定书'))).toBe(true);
  await gotoHydrated(page, '/cases');
  await expect(page.getByTestId('inbox-count')).toBeVisible();
  const card = page.locator(`[data-testid="my-case"][data-case="${caseNumber}"]`);
  await expect(card.getByTestId('case-stage')).toHaveText('已立案');
  await audit(page, 'my cases in WeChat');
  await card.getByRole('link', { name: caseNumber }).click();
  await expect(page.getByTestId('case-number')).toHaveText(caseNumber);
  const doc = new Service(page).document('民事裁定书');
  await expect(doc.getByTestId('document-sha')).toHaveText(sha256(ruling.buffer));
  await expect(doc.getByTestId('document-period')).toContainText(/裁定上诉期（10日）：至 \d{4}-\d{2}-\d{2} 24时止/);
  await expect(page.getByTestId('case-deadline').filter({ hasText: '裁定上诉期' })).toContainText(/剩余 \d+ 天/);
  await expect(page.getByRole('main')).not.toContainText(person.id);
  await audit(page, 'a case with a served ruling in WeChat');

  // Opening it inside WeChat gives the very file served, and the case page then shows it read.
  const href = await doc.getByTestId('document-open').getAttribute('href');
  const res = await page.request.get(href!);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toBe('application/pdf');
  expect(Buffer.compare(await res.body(), ruling.buffer)).toBe(0);
  await gotoHydrated(page, new URL(page.url()).pathname);
  await expect(new Service(page).document('民事裁定书').getByTestId('document-read')).toContainText(/已于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);

  // The inbox: push cannot be turned on in the web-view, and the page says so and what still
  // reaches the person; the calendar feed can still be made (to add in another app).
  await gotoHydrated(page, '/inbox');
  await expect(page.getByTestId('inbox-item').filter({ hasText: '有新送达的文书' })).toHaveCount(1);
  await page.getByTestId('push-on').click();
  await expect(page.getByTestId('push-status')).toHaveText('此浏览器不支持推送通知（例如微信内）。您仍会在本页和短信中收到通知。');
  await page.getByTestId('calendar-make').click();
  await expect(page.getByTestId('calendar-url')).toContainText(/\/calendar\/[^/]+\.ics$/);
  await audit(page, 'the inbox in WeChat');
});
