import { Payment, Refunds } from '../pages/fees';
import { DESK, audit, expect, freshMobile, gotoHydrated, staffSignedIn, test, verifiedWithCase } from '../fixtures';

test('the claims of a paid case change: the litigant pays the difference of an increase, and gets back the difference of a reduction (art. 21)', async ({
  page,
  request,
  profile,
  browser,
}) => {
  test.skip(profile !== 'phone', 'the litigant on a phone; the clerk works at a desk in the same test');
  const person = { name: '杜玉兰', id: '440106198608021697', mobile: freshMobile() };
  const caseNumber = await verifiedWithCase(page, request, browser, person);

  // The litigant pays the 1,050 yuan fee on their phone.
  const pay = new Payment(page);
  await pay.openOrder();
  await pay.payOnThisPhone();
  await expect(pay.state).toHaveAttribute('data-state', 'paid');

  const desk = await browser.newContext(DESK);
  try {
    // The plaintiff increases the claims to 100,000 yuan before the end of the investigation:
    // the clerk records it, and the fee on the difference is asked for in a further notice.
    const clerk = await staffSignedIn(desk, '京0105', 'clerk', '周书记');
    const staff = new Refunds(clerk);
    await clerk.getByTestId('staff-cases-link').click();
    const row = staff.caseRow(caseNumber);
    await row.getByTestId('claims-change-open').click();
    await row.getByLabel('变更后的诉讼请求总额（元）').fill('100000');
    await audit(clerk, 'recording changed claims');
    await row.getByTestId('claims-change-confirm').click();
    await expect(clerk.getByTestId('claims-changed')).toContainText(/受理费变为 ¥2,?300\.00，已发出补缴通知 ¥1,?250\.00/);

    // The litigant finds the further notice beside the paid one, says what it is for, and pays it.
    await gotoHydrated(page, '/pay');
    await expect(pay.notice).toHaveCount(2);
    const further = pay.notice.first();
    await expect(further.getByTestId('fee-notice-amount')).toHaveText(/¥1,?250\.00/);
    await expect(further.getByTestId('fee-notice-top-up')).toContainText(/变更后应交受理费 ¥2,?300\.00/);
    await audit(page, 'a further notice after changed claims');
    await further.getByTestId('pay-notice').click();
    await page.waitForURL(Payment.ORDER_URL);
    await expect(pay.amount).toContainText(/1,?250\.00/);
    await pay.payOnThisPhone();
    await expect(pay.state).toHaveAttribute('data-state', 'paid');

    // Then the claims are reduced to 20,000 yuan: 2,000 of the 2,300 paid goes back once approved.
    await gotoHydrated(clerk, '/staff/cases');
    await row.getByTestId('claims-change-open').click();
    await row.getByLabel('变更后的诉讼请求总额（元）').fill('20000');
    await row.getByTestId('claims-change-confirm').click();
    await expect(clerk.getByTestId('claims-changed')).toContainText(/受理费变为 ¥300\.00，¥2,?000\.00 经批准后退还/);
    // It comes back from both payments, the latest first: all 1,250 of the further notice, 750 of the first.
    await gotoHydrated(page, '/pay');
    await expect(page.getByTestId('refund')).toHaveCount(2);
    await expect(pay.notice.first().getByTestId('refund-amount')).toHaveText(/¥1,?250\.00/);
    await expect(pay.notice.nth(1).getByTestId('refund-amount')).toHaveText('¥750.00');
    await expect(pay.notice.first().getByTestId('refund')).toHaveAttribute('data-state', 'awaiting_approval');
    await audit(page, 'refunds after reduced claims');
  } finally {
    await desk.close();
  }
});
