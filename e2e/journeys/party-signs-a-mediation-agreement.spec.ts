import { Identity } from '../pages/identity';
import { Signing, agreementSent, signingCode } from '../pages/signing';
import { BASE_URL, DESK, addVirtualAuthenticator, audit, expect, freshMobile, gotoHydrated, lawyerWithClientsCases, refusedServerFunction, staffSignedIn, test, verifiedWithCase, type Profile } from '../fixtures';

/** Registered identities (sandbox registry), one per profile that signs. */
const PARTY: Partial<Record<Profile, { name: string; id: string }>> = {
  phone: { name: '谭静怡', id: '430102198511203323' },
  wechat: { name: '严卫东', id: '350203197907150413' },
  kiosk: { name: '韩雪梅', id: '230102199203087727' },
};

test('a mediator drafts an agreement from the template, the party signs it on a phone with a drawn signature and a passkey, the mediator seals it, the party receives the sealed PDF, and anyone can check it and tell a tampered copy', async ({
  page,
  request,
  profile,
  browser,
}) => {
  test.skip(profile !== 'phone', 'the party on a phone; the mediator at a desk in the same test');
  test.setTimeout(180_000);
  const person = { ...PARTY.phone!, mobile: freshMobile() };
  const authenticator = await addVirtualAuthenticator(page);
  const caseNumber = await verifiedWithCase(page, request, browser, person);
  // The party keeps a passkey on this phone.
  const me = new Identity(page);
  await gotoHydrated(page, '/me');
  await me.passkeyNameInput.fill('我的手机');
  await me.addPasskeyButton.click();
  await expect(me.passkeys).toHaveCount(1);

  const desk = await browser.newContext(DESK);
  try {
    // The mediator opens the template for the case: the parties come from the complaint.
    const mediator = await staffSignedIn(desk, '京0105', 'mediator', '吴调解员');
    await gotoHydrated(mediator, '/staff/signing');
    await mediator.getByTestId('draft-case').selectOption({ label: caseNumber });
    await mediator.getByTestId('draft-start').click();
    await mediator.waitForURL('**/staff/signing/new?case=*');
    await expect(mediator.getByTestId('draft-case-number')).toContainText(caseNumber);
    await expect(mediator.getByTestId('draft-party-name').first()).toHaveValue(person.name);
    await mediator.getByTestId('draft-term-text').first().fill('被告于2027年3月31日前向原告归还借款人民币50,000元');
    await mediator.getByTestId('draft-term-amount').first().fill('50000');
    // The amount is read back in capital numerals as it is typed.
    await expect(mediator.getByTestId('draft-term-amount-capital').first()).toHaveText('伍万元整');
    await mediator.getByTestId('draft-add-term').click();
    await mediator.getByTestId('draft-term-text').nth(1).fill('原告放弃其他诉讼请求');
    await mediator.getByTestId('draft-add-payment').click();
    await mediator.getByTestId('draft-pay-due').fill('2027-03-31');
    await mediator.getByTestId('draft-pay-amount').fill('50000');
    await mediator.getByTestId('draft-pay-payer').fill('北京某某网络技术有限公司');
    await mediator.getByTestId('draft-pay-payee').fill(person.name);
    await mediator.getByTestId('draft-fee').fill('525');
    await mediator.getByTestId('draft-percent').fill('0');
    await audit(mediator, 'the agreement template');
    await mediator.getByTestId('draft-save').click();
    await mediator.waitForURL(/\/sign\/\d+$/);
    const documentPath = new URL(mediator.url()).pathname;
    await expect(mediator.getByTestId('sign-status')).toHaveText('草稿');
    await mediator.getByTestId('signing-send').click();
    await expect(mediator.getByTestId('sign-status')).toHaveText('签署中');
    await audit(mediator, 'the document, as the court manages it');

    // The party finds it waiting for them, reads it to the end, and sees the same fingerprint
    // worked out on the phone.
    await gotoHydrated(page, '/sign');
    await expect(page.locator('[data-testid="sign-item"]').first().getByTestId('sign-item-waiting')).toBeVisible();
    await page.locator('[data-testid="sign-item"]').first().getByRole('link').click();
    await page.waitForURL(`**${documentPath}`);
    const signing = new Signing(page);
    await expect(page.getByTestId('term-amount').first()).toContainText('¥50,000.00（伍万元整）');
    await expect(page.getByTestId('sign-fee-burden')).toContainText('¥525.00');
    const { court, here } = await signing.fingerprints();
    expect(court).toMatch(/^[0-9a-f]{64}$/);
    expect(here, 'the phone works out the same fingerprint as the court').toBe(court);
    await expect(page.getByTestId('fingerprint-match')).toContainText('一致');
    await signing.readToEnd();
    await audit(page, 'a document to sign, on a phone');

    // They draw with a finger, take it back, draw again, agree, and sign with their passkey.
    await signing.drawWithFinger();
    await expect(signing.pad).toHaveAttribute('data-strokes', '1');
    await page.getByTestId('pad-undo').click();
    await expect(signing.pad).toHaveAttribute('data-strokes', '0');
    await signing.drawWithFinger([[0.1, 0.5], [0.25, 0.2], [0.4, 0.8], [0.55, 0.3]]);
    await signing.drawWithFinger([[0.6, 0.6], [0.9, 0.6]]);
    await expect(signing.pad).toHaveAttribute('data-strokes', '2');
    await page.getByTestId('sign-agree').check();
    await page.getByTestId('sign-submit-passkey').click();
    await expect(signing.mine).toContainText('已签署（通行密钥）');
    expect((await authenticator.credentials()).length).toBe(1);

    // The mediator seals it once everyone signed (confirming first), and the party is told.
    await gotoHydrated(mediator, documentPath);
    await expect(mediator.getByTestId('sign-status')).toHaveText('各方已签，待法院签章');
    await mediator.getByTestId('signing-seal').click();
    await mediator.getByTestId('signing-seal-confirm').click();
    await expect(mediator.getByTestId('sign-status')).toHaveText('法院已签章');

    // Anyone with the link checks it, signed in or not: genuine, who signed how, and the log.
    const verifyPath = await mediator.getByTestId('sign-verify-link').getAttribute('href');
    expect(verifyPath).toMatch(/^\/sign\/verify\/\d+\?c=/);
    const stranger = await browser.newContext();
    try {
      const anyone = await stranger.newPage();
      await gotoHydrated(anyone, verifyPath!);
      await expect(anyone.getByTestId('verify-result')).toHaveAttribute('data-genuine', 'true');
      await expect(anyone.getByTestId('verify-fingerprint')).toHaveText(court);
      await expect(anyone.getByTestId('verify-signature')).toHaveCount(1);
      await expect(anyone.getByTestId('verify-signature')).toContainText(`${person.name.slice(0, 1)}*`);
      await expect(anyone.getByTestId('verify-signature')).toContainText('通行密钥');
      const actions = await anyone.getByTestId('verify-log-entry').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
      expect(actions).toEqual(['signing.drafted', 'signing.sent', 'signing.opened', 'signing.read', 'signing.signed', 'signing.sealed']);
      await audit(anyone, 'the public check of a sealed document');
      // A wrong check code finds nothing.
      await gotoHydrated(anyone, verifyPath!.replace(/c=.*/, 'c=0000000000'));
      await expect(anyone.getByTestId('verify-unknown')).toBeVisible();
    } finally {
      await stranger.close();
    }
    // The party has the sealed PDF by electronic service, and checks the file they hold on the
    // public page: the original is recognised, a copy with one byte changed is not.
    await gotoHydrated(page, documentPath);
    await expect(signing.status).toHaveText('法院已签章');
    const pdfPath = await page.getByTestId('sign-pdf-link').getAttribute('href');
    const pdf = await (await page.request.get(pdfPath!)).body();
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.getByTestId('sign-verify-link').click();
    await page.waitForURL(/\/sign\/verify\/\d+\?c=/);
    await page.getByTestId('pdf-check-file').setInputFiles({ name: '调解协议.pdf', mimeType: 'application/pdf', buffer: pdf });
    await page.getByTestId('pdf-check-submit').click();
    await expect(page.getByTestId('pdf-check-answer')).toHaveAttribute('data-answer', 'original');
    await expect(page.getByTestId('pdf-check-answer')).toContainText('完全一致');
    const tampered = Buffer.from(pdf);
    tampered[Math.floor(tampered.length / 2)] ^= 1;
    await page.getByTestId('pdf-check-file').setInputFiles({ name: '调解协议.pdf', mimeType: 'application/pdf', buffer: tampered });
    await page.getByTestId('pdf-check-submit').click();
    await expect(page.getByTestId('pdf-check-answer')).toHaveAttribute('data-answer', 'changed');
    await expect(page.getByTestId('verify-result')).toHaveAttribute('data-genuine', 'true');
    await audit(page, 'a tampered copy reported on the public check');
  } finally {
    await desk.close();
  }
});

test('in WeChat, where there are no passkeys, the party signs with a drawn signature and a code texted for this document', async ({ page, request, profile, browser, consoleGuard }) => {
  test.skip(profile !== 'wechat', 'the WeChat web-view');
  consoleGuard.allow(refusedServerFunction('signing/sign', 422), 'the test first types a wrong code');
  test.setTimeout(150_000);
  const person = { ...PARTY.wechat!, mobile: freshMobile() };
  const caseNumber = await verifiedWithCase(page, request, browser, person);
  const desk = await browser.newContext(DESK);
  try {
    const mediator = await staffSignedIn(desk, '京0105', 'mediator', '钱调解员');
    const id = await agreementSent(mediator.request, caseNumber, person.name);
    await gotoHydrated(page, `/sign/${id}`);
    const signing = new Signing(page);
    const { court, here } = await signing.fingerprints();
    expect(here).toBe(court);
    await expect(page.getByTestId('sign-read-first')).toBeVisible();
    await signing.readToEnd();
    // No passkey button: the SMS code is the way here.
    await expect(page.getByTestId('sign-submit-passkey')).toHaveCount(0);
    await signing.drawWithFinger();
    await page.getByTestId('sign-agree').check();
    await page.getByTestId('sign-send-code').click();
    await expect(page.getByTestId('sign-code-sent')).toContainText(person.mobile.slice(-4));
    const code = await signingCode(request, person.mobile);
    // The text names the document's fingerprint, so the person can see what the code is for.
    await audit(page, 'signing with a texted code, in WeChat');
    // A wrong code is refused beside the field, and nothing is lost.
    await page.getByTestId('sign-code').fill(code === '000000' ? '111111' : '000000');
    await page.getByTestId('sign-submit-sms').click();
    await expect(page.getByTestId('sign-form')).toContainText('验证码不正确');
    await expect(signing.pad).toHaveAttribute('data-strokes', '1');
    await page.getByTestId('sign-code').fill(code);
    await page.getByTestId('sign-submit-sms').click();
    await expect(signing.mine).toContainText('已签署（短信验证码）');
  } finally {
    await desk.close();
  }
});

test('at a court kiosk, the party types their name instead of drawing and signs with a texted code', async ({ page, request, profile, browser, consoleGuard }) => {
  test.skip(profile !== 'kiosk', 'the court lobby kiosk');
  consoleGuard.allow(refusedServerFunction('signing/sign', 422), 'the test first types a name that is not theirs');
  test.setTimeout(150_000);
  const person = { ...PARTY.kiosk!, mobile: freshMobile() };
  const caseNumber = await verifiedWithCase(page, request, browser, person);
  const desk = await browser.newContext(DESK);
  try {
    const mediator = await staffSignedIn(desk, '京0105', 'mediator', '孙调解员');
    const id = await agreementSent(mediator.request, caseNumber, person.name);
    await gotoHydrated(page, `/sign/${id}`);
    const signing = new Signing(page);
    await signing.readToEnd();
    await page.getByTestId('mark-type').check();
    // Only the verified name is accepted.
    await page.getByTestId('sign-typed-name').fill('张三');
    await page.getByTestId('sign-agree').check();
    await page.getByTestId('sign-send-code').click();
    await page.getByTestId('sign-code').fill(await signingCode(request, person.mobile));
    await page.getByTestId('sign-submit-sms').click();
    await expect(page.getByTestId('sign-form')).toContainText('请输入与实名认证一致的姓名');
    await page.getByTestId('sign-typed-name').fill(person.name);
    await page.getByTestId('sign-submit-sms').click();
    await expect(signing.mine).toContainText('已签署（短信验证码）');
    await audit(page, 'a signed document at a kiosk');
  } finally {
    await desk.close();
  }
});

test('a lawyer on a tablet may not sign for a client under a general grant; once the client grants special authority on their phone, the lawyer signs in their place and the public check names the lawyer', async ({
  page,
  request,
  profile,
  browser,
}) => {
  test.skip(profile !== 'tablet', "the lawyer's tablet; the client's phone and the mediator's desk in the same test");
  test.setTimeout(180_000);
  const lawyer = { name: '符家豪', id: '460106199410052218', mobile: freshMobile() };
  const client = { name: '程诗涵', id: '320106200006241759', mobile: freshMobile() };
  const phoneContext = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 412, height: 915 }, isMobile: true, hasTouch: true, locale: 'zh-CN' });
  const desk = await browser.newContext(DESK);
  try {
    const phone = await phoneContext.newPage();
    // The lawyer filed the case for the client, who granted general authority for the filing.
    const [caseNumber] = await lawyerWithClientsCases(page, request, browser, lawyer, [client], phone);
    const mediator = await staffSignedIn(desk, '京0105', 'mediator', '秦调解员');
    const id = await agreementSent(mediator.request, caseNumber, client.name);

    // The lawyer finds the client's agreement, and is told a general grant does not sign.
    await gotoHydrated(page, '/sign');
    await page.locator('[data-testid="sign-item"]').first().getByRole('link').click();
    await expect(page).toHaveURL(new RegExp(`/sign/${id}$`));
    await expect(page.getByTestId('sign-agency')).toContainText('一般授权');
    await expect(page.getByTestId('sign-form')).toHaveCount(0);
    await audit(page, 'a lawyer reading a client\'s agreement under a general grant');

    // On their phone the client gives the lawyer special authority for the case.
    const profileView = (await (await page.request.post('/api/identity/my_lawyer_profile', { form: {} })).json()) as { licence: string };
    await gotoHydrated(phone, '/me');
    await phone.locator('#grant-licence').fill(profileView.licence);
    await phone.locator('#field-scope-kind').selectOption('case');
    await phone.getByLabel('案号或立案申请编号').fill(caseNumber);
    await phone.getByTestId('grant-special').check();
    await phone.getByRole('button', { name: '委托', exact: true }).click();
    await expect(phone.locator('[data-testid="grant"]').filter({ hasText: '特别授权' })).toBeVisible();
    await audit(phone, 'the Me page with a grant of special authority');

    // Now the lawyer reads the agreement to its end and signs for the client with a code texted to the lawyer.
    await gotoHydrated(page, `/sign/${id}`);
    await expect(page.getByTestId('sign-agency')).toContainText(`依 ${client.name} 的特别授权代为签署`);
    const signing = new Signing(page);
    const { court, here } = await signing.fingerprints();
    expect(here).toBe(court);
    await signing.readToEnd();
    await signing.drawWithFinger();
    await page.getByTestId('sign-agree').check();
    await page.getByTestId('sign-send-code').click();
    await expect(page.getByTestId('sign-code-sent')).toContainText(lawyer.mobile.slice(-4));
    await page.getByTestId('sign-code').fill(await signingCode(request, lawyer.mobile));
    await page.getByTestId('sign-submit-sms').click();
    await expect(signing.mine).toContainText('已签署（短信验证码）');
    await audit(page, 'a lawyer who signed for a client');

    // The mediator seals it; the public check shows the client's signature given by the lawyer.
    await gotoHydrated(mediator, `/sign/${id}`);
    await mediator.getByTestId('signing-seal').click();
    await mediator.getByTestId('signing-seal-confirm').click();
    await expect(mediator.getByTestId('sign-status')).toHaveText('法院已签章');
    await mediator.getByTestId('sign-verify-link').click();
    await expect(mediator.getByTestId('verify-result')).toHaveAttribute('data-genuine', 'true');
    await expect(mediator.getByTestId('verify-signature')).toContainText(`${client.name.slice(0, 1)}**`);
    await expect(mediator.getByTestId('verify-agent')).toContainText(`由代理律师 ${lawyer.name.slice(0, 1)}** 依特别授权代签`);
  } finally {
    await phoneContext.close();
    await desk.close();
  }
});
