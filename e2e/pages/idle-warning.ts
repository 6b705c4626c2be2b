import type { Locator, Page } from '@playwright/test';
import { T, type Lang } from '../fixtures/strings';

/** The kiosk's "Still there?" warning before it wipes the session. Locators and verbs only. */
export class IdleWarning {
  constructor(
    readonly page: Page,
    readonly lang: Lang = 'zh-Hans',
  ) {}

  get dialog(): Locator {
    return this.page.getByRole('alertdialog');
  }

  get heading(): Locator {
    return this.dialog.getByRole('heading', { name: T[this.lang].kioskStillThere, exact: true });
  }

  get keepUsingButton(): Locator {
    return this.dialog.getByRole('button', { name: T[this.lang].kioskKeepUsing, exact: true });
  }

  async keepUsing(): Promise<void> {
    await this.keepUsingButton.click();
  }
}
