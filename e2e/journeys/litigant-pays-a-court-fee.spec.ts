import { Payment } from '../pages/fees';
import { audit, expect, freshMobile, gotoHydrated, test, verifiedWithCase } from '../fixtures';

/** People who verify in these journeys, one per profile (an identity verifies one account). */
const PAYER = {
  phone: { name: '黄秀英', id: '110105196706121032' },
  kiosk: { name: '何志强', id: '310115197411231060' },
  wechat: { name: '宋晓东', id: '510104200207111187' },
} as const;

test('a litigant pays the court fee on their phone at the sandbox cashier and sees it paid with a receipt number', async ({
  page,
  request,
  profile,
  browser,
}) => {
  test.skip(profile !== 'phone', 'paying on the same phone; the kiosk pays by scanning, below');
  const person = { ...PAYER.phone, mobile: freshMobile() };
  const caseNumber = await verifiedWithCase(page, request, browser, person);

  const pay = new Payment(page);
  await gotoHydrated(page, '/pay');
  await expect(pay.notice).toContainText(caseNumber);
  // 50,000 yuan claimed: 50 + 40,000 × 2.5%.
  await expect(pay.payButton).toHaveText('缴纳 ¥1,050.00');
  await pay.openOrder();
  await expect(pay.amount).toHaveText('¥1,050.00');
  await expect(pay.qr).toBeVisible();
  await expect(pay.state).toHaveAttribute('data-state', 'pending');
  await audit(page, 'the order page with its QR code');

  // On the same phone the code is opened rather than scanned; the cashier sends the person back.
  await pay.payHere.click();
  await page.waitForURL(/\/sandbox\/wechatpay\/cashier\//);
  await expect(page.getByRole('main')).toContainText('¥1,050.00');
  await page.getByTestId('sandbox-pay').click();
  await page.waitForURL(Payment.ORDER_URL);
  await expect(pay.state).toHaveAttribute('data-state', 'paid');
  await expect(pay.receiptNo).toContainText(/收据号 SF\d{16}/);

  await gotoHydrated(page, '/pay');
  await expect(page.getByTestId('fee-notice-state')).toContainText('已缴费');
  await expect(page.getByTestId('fee-receipt-no')).toContainText(/SF\d{16}/);
  await expect(pay.payButton).toHaveCount(0);
});

test('at the kiosk the order\'s QR code is paid from a phone and the kiosk\'s page updates by itself', async ({
  page,
  request,
  profile,
  browser,
}) => {
  test.skip(profile !== 'kiosk', 'a kiosk shows the code; the person pays with their own phone');
  const person = { ...PAYER.kiosk, mobile: freshMobile() };
  const caseNumber = await verifiedWithCase(page, request, browser, person);

  const pay = new Payment(page);
  await gotoHydrated(page, '/pay');
  await expect(pay.notice).toContainText(caseNumber);
  await pay.openOrder();
  await expect(pay.qr).toBeVisible();
  await expect(pay.payHere, 'a shared kiosk offers no "pay on this device"').toHaveCount(0);

  // The person's own phone scans the code and pays at the cashier.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const scanner = await phone.newPage();
  await scanner.goto(await pay.codeUrl());
  await scanner.getByTestId('sandbox-pay').click();
  await expect(scanner.getByTestId('sandbox-state')).toContainText('支付成功');
  await phone.close();

  // The kiosk was not touched: its page asks by itself and shows the payment.
  await expect(pay.state).toHaveAttribute('data-state', 'paid', { timeout: 15_000 });
  await expect(pay.receiptNo).toContainText(/SF\d{16}/);
});

test('inside the WeChat mini-program "pay" hands off to the mini-program\'s pay page and the result shows on return', async ({
  page,
  request,
  profile,
  browser,
}) => {
  test.skip(profile !== 'wechat', 'the hand-off exists only in the mini-program\'s web-view');
  const person = { ...PAYER.wechat, mobile: freshMobile() };
  await verifiedWithCase(page, request, browser, person);

  const pay = new Payment(page);
  await pay.openOrder();
  await expect(pay.qr, 'no code to scan on the screen that would scan it').toHaveCount(0);
  await pay.payInWeChat.click();
  const calls = await page.evaluate(() => (window as unknown as { __miniProgramCalls: unknown[] }).__miniProgramCalls);
  expect(calls).toEqual([{ method: 'navigateTo', options: { url: `/pages/pay/index?order=${pay.orderNumber()}` } }]);
  await audit(page, 'the order page inside the mini-program');

  // The mini-program's pay page pays the order (here: the sandbox cashier), and the person comes
  // back to the web-view: the page shows the result as soon as it is in view again.
  const other = await browser.newContext();
  const cashier = await other.newPage();
  await cashier.goto(await pay.codeUrl());
  await cashier.getByTestId('sandbox-pay').click();
  await expect(cashier.getByTestId('sandbox-state')).toContainText('支付成功');
  await other.close();
  await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })));
  await expect(pay.state).toHaveAttribute('data-state', 'paid', { timeout: 5_000 });
});
