import type { Locator, Page } from '@playwright/test';
import { Payment } from '../pages/fees';
import { audit, expect, freshMobile, test, verifiedWithCase, waitForHydration } from '../fixtures';

/** People who verify in these journeys, one per profile (an identity verifies one account). */
const PAYER = {
  phone: { name: '冯丽娟', id: '110101198503271309' },
  kiosk: { name: '邓明轩', id: '110105199208101331' },
} as const;

/** The receipt page (`/receipts/:no`) and the public check. Locators only. */
class Receipt {
  constructor(readonly page: Page) {}

  get card(): Locator {
    return this.page.getByTestId('receipt');
  }

  get number(): Locator {
    return this.page.getByTestId('receipt-no');
  }

  get amount(): Locator {
    return this.page.getByTestId('receipt-amount');
  }

  get capitals(): Locator {
    return this.page.getByTestId('receipt-capitals');
  }

  get caseNumber(): Locator {
    return this.page.getByTestId('receipt-case-number');
  }

  get payer(): Locator {
    return this.page.getByTestId('receipt-payer');
  }

  get qr(): Locator {
    return this.page.getByTestId('receipt-qr');
  }

  get verifyLink(): Locator {
    return this.page.getByTestId('receipt-verify-link');
  }

  get pdfLink(): Locator {
    return this.page.getByTestId('receipt-pdf');
  }

  get printButton(): Locator {
    return this.page.getByTestId('receipt-print');
  }

  get verdict(): Locator {
    return this.page.getByTestId('receipt-verdict');
  }

  get navigation(): Locator {
    return this.page.locator('nav.main-nav');
  }

  get topBar(): Locator {
    return this.page.locator('header.topbar');
  }
}

test('a litigant pays on their phone, keeps the receipt as a PDF, and anyone can check it is genuine', async ({
  page,
  request,
  profile,
  makeContext,
  browser,
}) => {
  test.skip(profile !== 'phone', 'the receipt kept on the phone; the kiosk prints it, below');
  const person = { ...PAYER.phone, mobile: freshMobile() };
  const caseNumber = await verifiedWithCase(page, request, browser, person);

  const pay = new Payment(page);
  await pay.openOrder();
  await expect(pay.order).toContainText(caseNumber);
  await pay.payOnThisPhone();
  await expect(pay.state).toHaveAttribute('data-state', 'paid');

  // The receipt number on the order page opens the receipt.
  await pay.receiptNo.getByRole('link').click();
  await page.waitForURL(/\/receipts\/SF\d{16}$/);
  await waitForHydration(page);
  const number = new URL(page.url()).pathname.split('/').pop() ?? '';
  const receipt = new Receipt(page);
  await expect(receipt.number).toHaveText(number);
  await expect(receipt.amount).toHaveText('¥1,050.00');
  await expect(receipt.capitals).toHaveText('壹仟零伍拾元整');
  await expect(receipt.caseNumber).toHaveText(caseNumber);
  await expect(receipt.payer).toHaveText(person.name);
  await expect(receipt.qr).toBeVisible();
  await expect(receipt.printButton).toBeVisible();
  await audit(page, 'the receipt page');

  // The PDF, as the download link fetches it, with the person's own session.
  const href = await receipt.pdfLink.getAttribute('href');
  expect(href).toBe(`/receipts/${number}/pdf`);
  const pdf = await page.request.get(href ?? '');
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');

  // Whoever holds the paper scans its code: a browser that never signed in.
  const verifyUrl = (await receipt.verifyLink.getAttribute('href')) ?? '';
  expect(verifyUrl).toMatch(new RegExp(`/receipts/verify/${number}\\?c=[A-Z2-7]{16}$`));
  const stranger = await (await makeContext()).newPage();
  await stranger.goto(verifyUrl);
  await waitForHydration(stranger);
  const check = new Receipt(stranger);
  await expect(check.verdict).toHaveAttribute('data-verdict', 'genuine');
  await expect(check.verdict).toContainText('真实有效');
  await expect(check.verdict).toContainText(caseNumber);
  await expect(check.verdict).toContainText('¥1,050.00');
  await expect(stranger.getByTestId('verify-payer')).toHaveText('冯**');
  await expect(check.verdict).not.toContainText(person.name);
  await audit(stranger, 'the public receipt check');

  // A code that is not the receipt's is refused, plainly.
  await stranger.goto(verifyUrl.replace(/c=[A-Z2-7]/, (c) => (c.endsWith('A') ? 'c=B' : 'c=A')));
  await waitForHydration(stranger);
  await expect(check.verdict).toHaveAttribute('data-verdict', 'not-genuine');
  await expect(check.verdict).not.toContainText(caseNumber);
});

test('at the kiosk the receipt is printed: the print stylesheet shows the receipt and hides the app around it', async ({
  page,
  request,
  profile,
  browser,
}) => {
  test.skip(profile !== 'kiosk', 'printing is the kiosk\'s; phones keep the PDF, above');
  const person = { ...PAYER.kiosk, mobile: freshMobile() };
  const caseNumber = await verifiedWithCase(page, request, browser, person);

  const pay = new Payment(page);
  await pay.openOrder();
  await expect(pay.order).toContainText(caseNumber);

  // The person pays the kiosk's code with their own phone.
  const codeUrl = await pay.codeUrl();
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const scanner = await phone.newPage();
  await scanner.goto(codeUrl);
  await scanner.getByTestId('sandbox-pay').click();
  await expect(scanner.getByTestId('sandbox-state')).toContainText('支付成功');
  await phone.close();
  await expect(pay.state).toHaveAttribute('data-state', 'paid', { timeout: 15_000 });

  await pay.receiptNo.getByRole('link').click();
  await page.waitForURL(/\/receipts\/SF\d{16}$/);
  await waitForHydration(page);
  const receipt = new Receipt(page);
  await expect(receipt.capitals).toHaveText('壹仟零伍拾元整');
  await expect(receipt.printButton, 'printing is what the kiosk offers').toBeVisible();
  await expect(receipt.printButton).toHaveClass(/primary/);
  await expect(receipt.pdfLink, 'nothing is downloaded onto a shared kiosk').toHaveCount(0);
  await audit(page, 'the receipt page on the kiosk');

  await page.emulateMedia({ media: 'print' });
  await expect(receipt.navigation).toBeHidden();
  await expect(receipt.topBar).toBeHidden();
  await expect(receipt.printButton).toBeHidden();
  await expect(receipt.card).toBeVisible();
  await expect(receipt.card).toContainText(caseNumber);
  await expect(receipt.qr).toBeVisible();
  await page.emulateMedia({ media: 'screen' });
  await expect(receipt.navigation).toBeVisible();
});
