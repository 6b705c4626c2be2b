/**
 * The signing pages: a signer's document (`/sign/:id`), the court's template and controls, and
 * the public check of a sealed document. Drawing is done as a person does it: with touches on
 * a touch screen (Chromium turns them into the pointer events the pad listens to), or the mouse.
 */
import { expect, type APIRequestContext, type CDPSession, type Locator, type Page } from '@playwright/test';
import { outbox } from '../fixtures/sms';

export class Signing {
  private touch?: CDPSession;

  constructor(readonly page: Page) {}

  get document(): Locator {
    return this.page.getByTestId('sign-document');
  }

  get pad(): Locator {
    return this.page.getByTestId('signature-pad');
  }

  get form(): Locator {
    return this.page.getByTestId('sign-form');
  }

  get status(): Locator {
    return this.page.getByTestId('sign-status');
  }

  get mine(): Locator {
    return this.page.getByTestId('sign-mine');
  }

  /** Reads the document to its end: scrolls its region to the bottom, as a thumb would. */
  async readToEnd(): Promise<void> {
    await this.document.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await expect(this.form, 'signing is offered once the end is reached').toBeVisible();
  }

  /** The fingerprint the court shows and the one this device worked out (in WebAssembly). */
  async fingerprints(): Promise<{ court: string; here: string }> {
    await expect(this.page.getByTestId('fingerprint-match')).toHaveAttribute('data-match', /true|false/);
    return {
      court: (await this.page.getByTestId('fingerprint-server').textContent()) ?? '',
      here: (await this.page.getByTestId('fingerprint-here').textContent()) ?? '',
    };
  }

  /** Draws a stroke across the pad with a finger (touch events through the DevTools protocol). */
  async drawWithFinger(points: [number, number][] = [[0.1, 0.6], [0.2, 0.3], [0.3, 0.7], [0.45, 0.35], [0.6, 0.65], [0.8, 0.4]]): Promise<void> {
    await this.pad.scrollIntoViewIfNeeded();
    const box = await this.pad.boundingBox();
    if (!box) throw new Error('the pad is not on screen');
    const at = ([x, y]: [number, number]) => ({ x: box.x + x * box.width, y: box.y + y * box.height });
    // One DevTools session for the page's touches, kept open: detaching a session can take the
    // page's virtual authenticator with it.
    this.touch ??= await this.page.context().newCDPSession(this.page);
    await this.touch.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [at(points[0])] });
    for (const p of points.slice(1)) await this.touch.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [at(p)] });
    await this.touch.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  }

  /** Draws a stroke with the mouse (a desk or a kiosk's touch screen seen as a pointer). */
  async drawWithMouse(): Promise<void> {
    await this.pad.scrollIntoViewIfNeeded();
    const box = await this.pad.boundingBox();
    if (!box) throw new Error('the pad is not on screen');
    await this.page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.5);
    await this.page.mouse.down();
    for (const [x, y] of [[0.3, 0.2], [0.5, 0.8], [0.7, 0.3]]) await this.page.mouse.move(box.x + box.width * x, box.y + box.height * y, { steps: 4 });
    await this.page.mouse.up();
  }
}

/** The newest signing code texted to `mobile` (its text names the document's fingerprint too). */
export async function signingCode(request: APIRequestContext, mobile: string): Promise<string> {
  let code = '';
  await expect
    .poll(async () => {
      const text = (await outbox(request, mobile)).find((t) => t.includes('签署')) ?? '';
      code = /验证码\s*(\d{6})/.exec(text)?.[1] ?? '';
      return code;
    }, { message: `a signing code arrives for ${mobile}` })
    .toMatch(/^\d{6}$/);
  return code;
}

/** A mediation agreement of one money term, paid in two instalments, as the court's JSON. */
export function agreementJson(party: string, respondent = '北京某某网络技术有限公司'): string {
  return JSON.stringify({
    parties: [{ side: 'claimant', name: party }, { side: 'respondent', name: respondent }],
    terms: [
      { text: `被告于2027年3月31日前向原告${party}归还借款人民币50,000元`, amount: 5_000_000 },
      { text: '原告放弃其他诉讼请求', amount: null },
    ],
    schedule: [
      { due: '2027-01-31', amount: 2_500_000, payer: respondent, payee: party },
      { due: '2027-03-31', amount: 2_500_000, payer: respondent, payee: party },
    ],
    fees: { claimant_percent: 0, fee: 52_500 },
  });
}

async function post(request: APIRequestContext, endpoint: string, form: Record<string, string>): Promise<unknown> {
  const res = await request.post(`/api/${endpoint}`, { form });
  expect(res.status(), `${endpoint}: ${await res.text()}`).toBe(200);
  return res.json();
}

/** The court's mediator drafts the agreement for `caseNumber` and sends it (server functions, as the template posts them). Answers its id. */
export async function agreementSent(mediator: APIRequestContext, caseNumber: string, party: string): Promise<number> {
  const cases = (await post(mediator, 'signing/cases', {})) as [number, string][];
  const found = cases.find(([, n]) => n === caseNumber);
  expect(found, 'the mediator finds the case of their court').toBeTruthy();
  const id = (await post(mediator, 'signing/draft', { case_id: String(found![0]), title: '调解协议', agreement: agreementJson(party) })) as number;
  await post(mediator, 'signing/send', { id: String(id) });
  return id;
}
