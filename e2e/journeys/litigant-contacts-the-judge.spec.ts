import { DESK, audit, expect, freshMobile, gotoHydrated, staffSignedIn, test, verifiedWithCase, waitForHydration } from '../fixtures';

test('a litigant writes to the judge with a photo attached, the clerk finds it waiting, answers, and the litigant sees it read and answered', async ({
  page,
  request,
  profile,
  browser,
}) => {
  test.skip(profile !== 'phone', 'the litigant on a phone; the clerk works at a desk in the same test');
  const person = { name: '田天宇', id: '510104198209091482', mobile: freshMobile() };
  const caseNumber = await verifiedWithCase(page, request, browser, person);

  // The litigant opens the case and writes to the court, with a photo of a receipt.
  await gotoHydrated(page, '/cases');
  await page.locator(`[data-testid="my-case"][data-case="${caseNumber}"]`).getByRole('link', { name: caseNumber }).click();
  await page.getByTestId('case-contact-judge').click();
  await expect(page.getByTestId('thread-empty')).toBeVisible();
  await waitForHydration(page);
  const form = page.getByTestId('message-form');
  // An empty message is refused before anything is sent.
  await form.getByTestId('message-send').click();
  await expect(page.getByTestId('thread-empty')).toBeVisible();
  await form.getByTestId('message-body').fill('法官您好：\n被告已部分还款，收据见附件。请问是否需要变更诉讼请求？');
  await form.getByTestId('message-file').setInputFiles({ name: '收据.png', mimeType: 'image/png', buffer: Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'binary'), Buffer.alloc(2000, 1)]) });
  const loaded = page.waitForEvent('load');
  await form.getByTestId('message-send').click();
  await loaded;
  await expect(page.getByTestId('message-sent')).toBeVisible();
  const mine = page.getByTestId('message').first();
  await expect(mine).toContainText('被告已部分还款');
  await expect(mine.getByTestId('message-attachment')).toHaveText('收据.png');
  await expect(mine.getByTestId('message-read')).toHaveText('未读');
  await audit(page, 'a thread with the court, waiting');

  const desk = await browser.newContext(DESK);
  try {
    // The clerk finds it among the messages waiting, and answers.
    const clerk = await staffSignedIn(desk, '京0105', 'clerk', '冯书记');
    await clerk.getByTestId('staff-messages-link').click();
    const row = clerk.locator(`[data-testid="waiting-thread"][data-case="${caseNumber}"]`);
    await expect(row).toContainText(person.name);
    await expect(row.getByTestId('waiting-age')).toContainText('1 条未回复');
    await audit(clerk, 'the court\'s messages waiting');
    await row.getByRole('link', { name: caseNumber }).click();
    await expect(clerk.getByTestId('thread-title')).toContainText(person.name);
    await expect(clerk.getByTestId('message').first()).toContainText('被告已部分还款');
    const attachment = await clerk.getByTestId('message-attachment').getAttribute('href');
    expect((await clerk.request.get(attachment!)).status()).toBe(200);
    await waitForHydration(clerk);
    await clerk.getByTestId('message-body').fill('您好，如需变更诉讼请求，请在举证期限届满前提交书面申请。');
    const answered = clerk.waitForEvent('load');
    await clerk.getByTestId('message-send').click();
    await answered;
    await expect(clerk.getByTestId('message-sent')).toBeVisible();
    await gotoHydrated(clerk, '/staff/messages');
    await expect(clerk.getByTestId('unanswered-none')).toBeVisible();

    // The litigant sees their message read and answered, and the court's reply.
    await page.reload();
    await expect(mine.getByTestId('message-read')).toContainText(/已读 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    await expect(mine.getByTestId('message-answered')).toContainText(/已回复 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    await expect(page.getByTestId('message').last()).toContainText('法院 · 冯书记');
    await expect(page.getByTestId('message').last()).toContainText('举证期限届满前');
    await audit(page, 'a thread with the court, answered');
  } finally {
    await desk.close();
  }
});
