import type { Locator, Page } from '@playwright/test';
import { gotoHydrated, waitForHydration } from '../fixtures/hydration';

/** The public fee calculator, in zh-Hans. Locators and verbs only. */
export class FeeCalculator {
  constructor(readonly page: Page) {}

  get kind(): Locator {
    return this.page.getByLabel('案件或申请类型');
  }

  get amount(): Locator {
    return this.page.getByLabel('金额（元）');
  }

  get amountError(): Locator {
    return this.page.locator('#fee-amount-error');
  }

  halving(reason: string): Locator {
    return this.page.getByRole('checkbox', { name: new RegExp(reason) });
  }

  get calculateButton(): Locator {
    return this.page.getByRole('button', { name: '计算', exact: true });
  }

  get total(): Locator {
    return this.page.getByTestId('fee-total');
  }

  get beforeHalving(): Locator {
    return this.page.getByTestId('fee-full');
  }

  get working(): Locator {
    return this.page.getByTestId('fee-working');
  }

  async choose(kind: string): Promise<void> {
    await this.kind.selectOption(kind);
  }
}

/** Paying a fee notice: the notice on the Pay page and the order page. */
export class Payment {
  constructor(readonly page: Page) {}

  /** The order page's address: `/pay/orders/TP…N…`. */
  static readonly ORDER_URL = /\/pay\/orders\/TP\d+N\d+$/;

  /** From the Pay page, "pay" on the (only) notice: lands on its order page, hydrated. */
  async openOrder(): Promise<void> {
    await gotoHydrated(this.page, '/pay');
    await this.payButton.click();
    await this.page.waitForURL(Payment.ORDER_URL);
    await waitForHydration(this.page);
  }

  /** "Pay on this phone", then the sandbox cashier's button: back on the order page, hydrated. */
  async payOnThisPhone(): Promise<void> {
    await this.payHere.click();
    await this.page.waitForURL(/\/sandbox\/wechatpay\/cashier\//);
    await this.page.getByTestId('sandbox-pay').click();
    await this.page.waitForURL(Payment.ORDER_URL);
    await waitForHydration(this.page);
  }

  /** What a phone scanning the open order's QR code opens (read from the order, as the QR holds it). */
  async codeUrl(): Promise<string> {
    const order = await this.page.request.post('/api/fees/order', { form: { out_trade_no: this.orderNumber() } });
    return ((await order.json()) as { code_url: string }).code_url;
  }

  /** The order number, from the order page's address. */
  orderNumber(): string {
    return new URL(this.page.url()).pathname.split('/').pop() ?? '';
  }

  get notice(): Locator {
    return this.page.getByTestId('fee-notice');
  }

  get payButton(): Locator {
    return this.page.getByTestId('pay-notice');
  }

  get order(): Locator {
    return this.page.getByTestId('pay-order');
  }

  get amount(): Locator {
    return this.page.getByTestId('pay-amount');
  }

  get qr(): Locator {
    return this.page.getByTestId('pay-qr');
  }

  get payHere(): Locator {
    return this.page.getByTestId('pay-here');
  }

  get payInWeChat(): Locator {
    return this.page.getByTestId('pay-in-wechat');
  }

  get state(): Locator {
    return this.page.getByTestId('pay-state');
  }

  get receiptNo(): Locator {
    return this.page.getByTestId('pay-receipt-no');
  }
}

/** Refunds: a notice's refunds on the Pay page, and the staff pages that end cases and approve. */
export class Refunds {
  constructor(readonly page: Page) {}

  /** The payer's first refund on the Pay page. */
  get refund(): Locator {
    return this.page.getByTestId('refund').first();
  }

  /** A case's row on `/staff/cases`. */
  caseRow(caseNumber: string): Locator {
    return this.page.locator(`[data-testid="court-case"][data-case="${caseNumber}"]`);
  }

  /** Records how a case ended, confirming as the page asks. */
  async endCase(caseNumber: string, ending: string): Promise<void> {
    const row = this.caseRow(caseNumber);
    await row.getByTestId('end-case-open').click();
    await row.getByLabel('结案方式').selectOption(ending);
    await row.getByTestId('end-case-confirm').click();
  }

  /** A refund's row on `/staff/refunds`, by its case number. */
  refundRow(caseNumber: string): Locator {
    return this.page.getByTestId('refund-row').filter({ hasText: caseNumber });
  }

  async approve(caseNumber: string): Promise<void> {
    const row = this.refundRow(caseNumber);
    await row.getByTestId('refund-approve-open').click();
    await row.getByTestId('refund-approve').click();
  }
}
