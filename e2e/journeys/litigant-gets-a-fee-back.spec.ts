import { Payment, Refunds } from '../pages/fees';
import { DESK, audit, expect, freshMobile, gotoHydrated, staffSignedIn, test, verifiedWithCase } from '../fixtures';

test('a case ends by mediation, a clerk approves the refund of half the fee, and the litigant sees it waiting, then refunded, with its 15-day clock', async ({
  page,
  request,
  profile,
  browser,
}) => {
  test.skip(profile !== 'phone', 'the litigant on a phone; the clerk works at a desk in the same test');
  const person = { name: '曹思远', id: '310115199901211360', mobile: freshMobile() };
  const caseNumber = await verifiedWithCase(page, request, browser, person);

  // The litigant pays the 1,050 yuan fee on their phone.
  const pay = new Payment(page);
  await gotoHydrated(page, '/pay');
  await pay.openOrder();
  await pay.payHere.click();
  await page.waitForURL(/\/sandbox\/wechatpay\/cashier\//);
  await page.getByTestId('sandbox-pay').click();
  await page.waitForURL(Payment.ORDER_URL);
  await expect(pay.state).toHaveAttribute('data-state', 'paid');

  // The court records that the case ended by mediation: half the case fee goes back (art. 15).
  const desk = await browser.newContext(DESK);
  try {
    const clerk = await staffSignedIn(desk, '京0105', 'clerk', '周书记');
    const staff = new Refunds(clerk);
    await clerk.getByTestId('staff-cases-link').click();
    await expect(staff.caseRow(caseNumber)).toContainText('已立案');
    await audit(clerk, 'the court\'s cases');
    await staff.endCase(caseNumber, '调解结案');
    await expect(clerk.getByTestId('case-ended')).toContainText('¥525.00');
    await expect(staff.caseRow(caseNumber).getByTestId('case-state')).toHaveText('调解结案');

    // The litigant sees the refund waiting for approval, and the day it is due back by.
    const mine = new Refunds(page);
    await gotoHydrated(page, '/pay');
    await expect(mine.refund).toHaveAttribute('data-state', 'awaiting_approval');
    await expect(mine.refund.getByTestId('refund-amount')).toHaveText('¥525.00');
    await expect(mine.refund).toContainText('调解结案，减半收取案件受理费');
    await expect(mine.refund.getByTestId('refund-clock')).toContainText(/应于 \d{4}-\d{2}-\d{2} 前退还（第五十三条）/);
    await audit(page, 'a notice with a refund waiting');

    // The clerk approves it, confirming the amount; the sandbox pays it back.
    await gotoHydrated(clerk, '/staff/refunds');
    await expect(staff.refundRow(caseNumber)).toHaveAttribute('data-state', 'awaiting_approval');
    await audit(clerk, 'the court\'s refunds');
    await staff.approve(caseNumber);
    await expect(staff.refundRow(caseNumber)).not.toHaveAttribute('data-state', 'awaiting_approval');

    await expect(async () => {
      await page.reload();
      await expect(mine.refund).toHaveAttribute('data-state', 'refunded', { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await expect(mine.refund.getByTestId('refund-state')).toHaveText('已退款');
    await expect(mine.refund.getByTestId('refund-clock')).toContainText('已于');
  } finally {
    await desk.close();
  }
});
