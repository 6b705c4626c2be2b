import type { Locator, Page } from '@playwright/test';

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

/** Paying a fee notice: the notice on the Pay page and the order page. Locators only. */
export class Payment {
  constructor(readonly page: Page) {}

  get notice(): Locator {
    return this.page.getByTestId('fee-notice');
  }

  get payButton(): Locator {
    return this.page.getByTestId('pay-notice');
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
