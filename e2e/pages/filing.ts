import type { Locator, Page } from '@playwright/test';
import { waitForHydration } from '../fixtures/hydration';

/** The filing wizard, the filer's filings and the clerk's review, in zh-Hans. Locators and verbs only. */
export class Filing {
  constructor(readonly page: Page) {}

  get startButton(): Locator {
    return this.page.getByTestId('start-filing');
  }

  get stepCount(): Locator {
    return this.page.getByTestId('step-count');
  }

  get nextButton(): Locator {
    return this.page.getByTestId('next');
  }

  get backButton(): Locator {
    return this.page.getByRole('button', { name: '上一步', exact: true });
  }

  get filingNumber(): Locator {
    return this.page.getByTestId('filing-number');
  }

  party(n: number): Locator {
    return this.page.getByTestId('party').nth(n);
  }

  claim(n: number): Locator {
    return this.page.getByTestId('claim').nth(n);
  }

  evidence(n: number): Locator {
    return this.page.getByTestId('evidence').nth(n);
  }

  get facts(): Locator {
    return this.page.getByLabel('事实与理由', { exact: true });
  }

  get court(): Locator {
    return this.page.getByLabel('受理法院', { exact: true });
  }

  get courtSuggestions(): Locator {
    return this.page.getByTestId('court-suggestions');
  }

  get claimsTotal(): Locator {
    return this.page.getByTestId('claims-total');
  }

  get declaration(): Locator {
    return this.page.getByTestId('declaration');
  }

  get submitButton(): Locator {
    return this.page.getByTestId('submit-filing');
  }

  get receipt(): Locator {
    return this.page.getByTestId('receipt');
  }

  get status(): Locator {
    return this.page.getByTestId('filing-status');
  }

  get caseNumber(): Locator {
    return this.page.getByTestId('case-number').first();
  }

  get returnedReasons(): Locator {
    return this.page.getByTestId('returned-reasons');
  }

  get stepReasons(): Locator {
    return this.page.getByTestId('step-reasons');
  }

  /** The id in /file/<id>/<step>. */
  filingId(): number {
    const m = new URL(this.page.url()).pathname.match(/^\/(?:file|filings)\/(\d+)/);
    if (!m) throw new Error(`not on a filing page: ${this.page.url()}`);
    return Number(m[1]);
  }

  /** Starts a new filing from /file; ends on its first step, hydrated. */
  async start(): Promise<void> {
    await this.startButton.click();
    await this.page.waitForURL(/\/file\/\d+\/case_type$/);
    await waitForHydration(this.page);
  }

  /** "Save and continue", then waits for the next step (or the same one with its problems). */
  async next(): Promise<void> {
    const before = this.page.url();
    await this.nextButton.click();
    await this.page.waitForURL((url) => url.toString() !== before);
  }

  async chooseCaseType(label: string): Promise<void> {
    await this.page.getByText(label, { exact: true }).click();
  }

  async addParty(role: 'claimant' | 'respondent' | 'third_party'): Promise<void> {
    const count = await this.page.getByTestId('party').count();
    await this.page.getByTestId(`add-${role}`).click();
    await this.page.getByTestId('party').nth(count).waitFor();
  }

  async fillPerson(n: number, p: { name: string; id?: string; phone?: string; address: string }): Promise<void> {
    const row = this.party(n);
    await row.getByLabel('类型', { exact: true }).selectOption('person');
    await row.getByLabel('姓名或名称', { exact: true }).fill(p.name);
    if (p.id !== undefined) await row.getByLabel('公民身份号码', { exact: true }).fill(p.id);
    if (p.phone !== undefined) await row.getByLabel('手机号码', { exact: true }).fill(p.phone);
    await row.getByLabel('住所地', { exact: true }).fill(p.address);
  }

  async fillCompany(n: number, c: { name: string; uscc: string; representative: string; address: string }): Promise<void> {
    const row = this.party(n);
    await row.getByLabel('类型', { exact: true }).selectOption('organisation');
    await row.getByLabel('姓名或名称', { exact: true }).fill(c.name);
    await row.getByLabel('统一社会信用代码', { exact: true }).fill(c.uscc);
    await row.getByLabel('法定代表人或负责人', { exact: true }).fill(c.representative);
    await row.getByLabel('住所地', { exact: true }).fill(c.address);
  }

  async addClaim(): Promise<void> {
    const count = await this.page.getByTestId('claim').count();
    await this.page.getByTestId('add-claim').click();
    await this.page.getByTestId('claim').nth(count).waitFor();
  }

  async fillClaim(n: number, text: string, amount: string): Promise<void> {
    await this.claim(n).getByLabel('请求内容', { exact: true }).fill(text);
    await this.claim(n).getByLabel('金额（元，非金钱请求可不填）', { exact: true }).fill(amount);
  }

  async addEvidence(): Promise<void> {
    const count = await this.page.getByTestId('evidence').count();
    await this.page.getByTestId('add-evidence').click();
    await this.page.getByTestId('evidence').nth(count).waitFor();
  }

  async fillEvidence(n: number, e: { name: string; source: string; proves: string }): Promise<void> {
    const item = this.evidence(n);
    await item.getByLabel('证据名称', { exact: true }).fill(e.name);
    await item.getByLabel('证据来源', { exact: true }).fill(e.source);
    await item.getByLabel('证明内容', { exact: true }).fill(e.proves);
  }

  /** Chooses a file for an evidence item; waits until it is listed with its fingerprint. */
  async upload(n: number, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
    const item = this.evidence(n);
    const before = await item.getByTestId('file').count();
    await item.getByTestId('upload-input').setInputFiles(file);
    await this.evidence(n).getByTestId('file').nth(before).waitFor({ timeout: 30_000 });
  }

  async submit(): Promise<void> {
    await this.declaration.check();
    await this.submitButton.click();
    await this.page.waitForURL(/\/filings\/\d+$/);
    await waitForHydration(this.page);
  }
}
