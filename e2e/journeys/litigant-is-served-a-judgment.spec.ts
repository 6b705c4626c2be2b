import { Service } from '../pages/cases';
import { DESK, audit, expect, freshMobile, gotoHydrated, outbox, pdfFile, sha256, staffSignedIn, test, verifiedWithCase } from '../fixtures';

test('a clerk serves a judgment, the litigant is told, reads it on their phone with its fingerprint and the days left to appeal, and the clerk sees when it was read', async ({
  page,
  request,
  profile,
  browser,
}) => {
  test.skip(profile !== 'phone', 'the litigant on a phone; the clerk works at a desk in the same test');
  const person = { name: '曾俊杰', id: '33010219681115142X', mobile: freshMobile() };
  const caseNumber = await verifiedWithCase(page, request, browser, person);
  const judgment = pdfFile('判决书.pdf', 120 * 1024);

  const desk = await browser.newContext(DESK);
  try {
    // The clerk opens the case from the court's list and serves the judgment, confirming first.
    const clerk = await staffSignedIn(desk, '京0105', 'clerk', '吴书记');
    await gotoHydrated(clerk, '/staff/cases');
    await clerk.locator(`[data-testid="court-case"][data-case="${caseNumber}"]`).getByTestId('court-case-link').click();
    await expect(clerk.getByTestId('staff-case-number')).toHaveText(caseNumber);
    await expect(clerk.getByTestId('serve-recipients')).toContainText(`${person.name}（当事人）`);
    await audit(clerk, 'a case ready for service');
    const staff = new Service(clerk);
    await staff.serve('judgment', '民事判决书', judgment);
    await expect(clerk.getByTestId('document-served')).toBeVisible();
    await expect(staff.served('民事判决书').getByTestId('delivery')).toContainText(`${person.name}（当事人）`);
    await expect(staff.served('民事判决书').getByTestId('document-unread')).toBeVisible();
    await audit(clerk, 'the proof of service before it is read');

    // A PDF is all that can be served: anything else comes back with what was typed.
    await staff.serve('ruling', '民事裁定书', { name: 'scan.png', mimeType: 'image/png', buffer: Buffer.from('\x89PNG\r\n\x1a\n-not-a-pdf') });
    await expect(clerk.getByTestId('serve-error')).toContainText('不是 PDF');
    await expect(clerk.getByTestId('serve-title')).toHaveValue('民事裁定书');
    await expect(clerk.getByTestId('serve-kind')).toHaveValue('ruling');

    // The litigant is told by SMS and in the app, and finds the judgment on the case page.
    await expect.poll(async () => (await outbox(request, person.mobile)).some((t) => t.includes(caseNumber) && t.includes('民事判决书'))).toBe(true);
    await gotoHydrated(page, '/cases');
    await expect(page.getByTestId('inbox-count')).toBeVisible();
    const unread = Number(await page.getByTestId('inbox-count').textContent());
    await page.getByTestId('inbox-link').click();
    const notice = page.getByTestId('inbox-item').filter({ hasText: '有新送达的文书' });
    await expect(notice).toHaveAttribute('data-read', 'false');
    await audit(page, 'the inbox');
    await notice.getByRole('link').click();
    await expect(page).toHaveURL(/\/cases\/\d+$/);
    await gotoHydrated(page, '/cases');
    if (unread > 1) await expect(page.getByTestId('inbox-count')).toHaveText(String(unread - 1));
    else await expect(page.getByTestId('inbox-count')).toHaveCount(0);
    await page.locator(`[data-testid="my-case"][data-case="${caseNumber}"]`).getByRole('link', { name: caseNumber }).click();
    const mine = new Service(page);
    const doc = mine.document('民事判决书');
    await expect(doc.getByTestId('document-sha')).toHaveText(sha256(judgment.buffer));
    await expect(doc.getByTestId('document-unread')).toBeVisible();
    await expect(doc.getByTestId('document-period')).toContainText(/判决上诉期（15日）：至 \d{4}-\d{2}-\d{2} 24时止/);
    await expect(page.getByTestId('case-deadline').filter({ hasText: '判决上诉期' })).toContainText(/剩余 1[5-9] 天|剩余 2\d 天/);
    await expect(page.getByTestId('case-event').last()).toContainText('已向您送达判决书');
    await audit(page, 'a case with a served judgment');

    // Opening it gives the very file served; the first opening is the read receipt.
    const href = await doc.getByTestId('document-open').getAttribute('href');
    const res = await page.request.get(href!);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('application/pdf');
    expect(res.headers()['x-content-sha256']).toBe(sha256(judgment.buffer));
    expect(Buffer.compare(await res.body(), judgment.buffer)).toBe(0);
    await page.reload();
    await expect(mine.document('民事判决书').getByTestId('document-read')).toContainText(/已于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);

    // The clerk sees when it was read: the proof of service.
    await clerk.reload();
    await expect(staff.served('民事判决书').getByTestId('document-read')).toContainText(/已于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);

    // The clerk records the pronouncement and moves the case on; both reach the litigant's
    // timeline and inbox.
    await staff.record('judgment', '判决已当庭宣告。');
    await expect(clerk.getByTestId('event-recorded')).toBeVisible();
    await expect(clerk.getByTestId('staff-events')).toContainText('已宣判');
    await staff.moveTo('judged');
    await expect(clerk.getByTestId('stage-changed')).toBeVisible();
    await expect(clerk.getByTestId('staff-stage')).toHaveText('已判决');
    await page.reload();
    await expect(page.getByTestId('case-event').filter({ hasText: '已宣判' })).toContainText('判决已当庭宣告。');
    await expect(page.getByTestId('case-event').filter({ hasText: '案件进入：已判决' })).toHaveCount(1);
  } finally {
    await desk.close();
  }
});
