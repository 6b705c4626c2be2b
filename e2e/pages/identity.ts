import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { waitForHydration } from '../fixtures/hydration';
import { latestCode } from '../fixtures/sms';
import { I, type Lang } from '../fixtures/strings';

/** Sign-in by SMS code, the Me page and real-name verification. Locators and verbs only. */
export class Identity {
  constructor(
    readonly page: Page,
    readonly lang: Lang = 'zh-Hans',
  ) {}

  private get t() {
    return I[this.lang];
  }

  get mobileInput(): Locator {
    return this.page.getByLabel(this.t.mobileLabel, { exact: true });
  }

  get getCodeButton(): Locator {
    return this.page.getByRole('button', { name: this.t.getCode, exact: true });
  }

  get codeSent(): Locator {
    return this.page.getByTestId('code-sent');
  }

  get codeInput(): Locator {
    return this.page.getByLabel(this.t.codeLabel, { exact: true });
  }

  get signInButton(): Locator {
    return this.page.getByRole('button', { name: this.t.signIn, exact: true });
  }

  /** The error summary under a form (role=alert, non-empty). */
  get formError(): Locator {
    return this.page.locator('.form-error[role="alert"]:not(:empty)').first();
  }

  get signInLink(): Locator {
    return this.page.getByRole('link', { name: this.t.signInLink, exact: true });
  }

  get verifyLink(): Locator {
    return this.page.getByRole('link', { name: this.t.verifyNow, exact: true });
  }

  get nameInput(): Locator {
    return this.page.getByLabel(this.t.legalName, { exact: true });
  }

  get idInput(): Locator {
    return this.page.getByLabel(this.t.idNumber, { exact: true });
  }

  get verifyButton(): Locator {
    return this.page.getByRole('button', { name: this.t.verify, exact: true });
  }

  get mePhone(): Locator {
    return this.page.getByTestId('me-phone');
  }

  get meName(): Locator {
    return this.page.getByTestId('me-name');
  }

  get meId(): Locator {
    return this.page.getByTestId('me-id');
  }

  get meVerification(): Locator {
    return this.page.getByTestId('me-verification');
  }

  get devices(): Locator {
    return this.page.getByTestId('device');
  }

  get signOutOthersButton(): Locator {
    return this.page.getByRole('button', { name: this.t.signOutOthers, exact: true });
  }

  get signOutButton(): Locator {
    return this.page.getByTestId('sign-out');
  }

  get passkeys(): Locator {
    return this.page.getByTestId('passkey');
  }

  get passkeyNameInput(): Locator {
    return this.page.locator('#passkey-name');
  }

  get addPasskeyButton(): Locator {
    return this.page.getByTestId('add-passkey');
  }

  get passkeySignInButton(): Locator {
    return this.page.getByTestId('passkey-sign-in');
  }

  get passkeysUnavailable(): Locator {
    return this.page.getByTestId('passkeys-unavailable');
  }

  get stepUpWithPasskeyButton(): Locator {
    return this.page.getByTestId('step-up-passkey');
  }

  get stepUpWithSmsButton(): Locator {
    return this.page.getByTestId('step-up-sms');
  }

  get steppedUp(): Locator {
    return this.page.getByTestId('stepped-up');
  }

  /** Signs up or in by SMS, reading the code from the sandbox outbox; ends on `next`. */
  async signInBySms(request: APIRequestContext, mobile: string, next = '/me'): Promise<void> {
    await this.openSignIn(next);
    await this.askForCode(mobile);
    await this.codeSent.waitFor();
    await this.enterCode(await latestCode(request, mobile));
    await this.page.waitForURL((url) => url.pathname + url.search === next);
    await waitForHydration(this.page);
  }

  async askForCode(mobile: string): Promise<void> {
    await this.mobileInput.fill(mobile);
    await this.getCodeButton.click();
  }

  async enterCode(code: string): Promise<void> {
    await this.codeInput.fill(code);
    await this.signInButton.click();
  }

  async verify(name: string, id: string): Promise<void> {
    await this.nameInput.fill(name);
    await this.idInput.fill(id);
    await this.verifyButton.click();
  }

  /** Opens the sign-in page (with where to go after) and waits for hydration. */
  async openSignIn(next = '/me'): Promise<void> {
    await this.page.goto(`/signin?next=${encodeURIComponent(next)}`);
    await waitForHydration(this.page);
  }
}
