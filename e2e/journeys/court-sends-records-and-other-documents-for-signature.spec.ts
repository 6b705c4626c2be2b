import { Signing, signingCode } from '../pages/signing';
import { DESK, audit, expect, freshMobile, gotoHydrated, staffSignedIn, test, verifiedWithCase, waitForHydration } from '../fixtures';

function tomorrow(): string {
  return new Date(Date.now() + 8 * 3600_000 + 86_400_000).toISOString().slice(0, 10);
}

test('a clerk sends the published hearing record to the party for signature from the record page, the party reads and signs it on a phone, and the clerk seals it', async ({
  page,
  request,
  profile,
  browser,
}) => {
  test.skip(profile !== 'phone', 'the party on a phone; the clerk at a desk in the same test');
  test.setTimeout(150_000);
  const person = { name: '薛志远', id: '620102198807264438', mobile: freshMobile() };
  const caseNumber = await verifiedWithCase(page, request, browser, person);
  const desk = await browser.newContext(DESK);
  try {
    // The hearing is held and its record published (the hearing journey does this through the room).
    const clerk = await staffSignedIn(desk, '京0105', 'clerk', '吴书记员');
    const cases = (await (await clerk.request.post('/api/cases/court', { form: {} })).json()) as { id: number; case_number: string }[];
    const found = cases.find((c) => c.case_number === caseNumber);
    expect(found, 'the clerk sees the case of their court').toBeTruthy();
    const scheduled = await clerk.request.post('/api/cases/schedule_hearing', {
      form: { case_id: String(found!.id), date: tomorrow(), time: '09:30', minutes: '60', mode: 'online', courtroom: '' },
    });
    expect(scheduled.status(), await scheduled.text()).toBe(200);
    const hearing = ((await scheduled.json()) as { id: number }).id;
    const published = await clerk.request.post('/api/hearings/publish_record', {
      form: { hearing_id: String(hearing), body: '审判员：现在开庭。\n原告：到庭，坚持诉讼请求。\n被告：未到庭。' },
    });
    expect(published.status(), await published.text()).toBe(200);

    // From the record's page the clerk sends it for the parties' signatures, and lands on the document.
    await gotoHydrated(clerk, `/hearings/${hearing}/record`);
    await audit(clerk, 'the court record page with the send-for-signature card');
    await clerk.getByTestId('record-send-for-signature').click();
    await expect(clerk).toHaveURL(/\/sign\/\d+$/);
    const id = clerk.url().split('/').pop()!;
    await expect(clerk.getByTestId('sign-status')).toHaveText('签署中');

    // The party finds it among the documents waiting for them, reads the record to its end and signs.
    await gotoHydrated(page, '/sign');
    const item = page.locator('[data-testid="sign-item"]').filter({ hasText: '庭审笔录' });
    await expect(item.getByTestId('sign-item-waiting')).toBeVisible();
    await item.getByRole('link').first().click();
    await expect(page).toHaveURL(new RegExp(`/sign/${id}$`));
    const signing = new Signing(page);
    const { court, here } = await signing.fingerprints();
    expect(here).toBe(court);
    await expect(page.getByText('原告：到庭，坚持诉讼请求。')).toBeVisible();
    await signing.readToEnd();
    await signing.drawWithFinger();
    await page.getByTestId('sign-agree').check();
    await page.getByTestId('sign-send-code').click();
    await page.getByTestId('sign-code').fill(await signingCode(request, person.mobile));
    await page.getByTestId('sign-submit-sms').click();
    await expect(signing.mine).toContainText('已签署（短信验证码）');

    // Everyone has signed: the clerk seals it, after confirming, and the public check says genuine.
    await gotoHydrated(clerk, `/sign/${id}`);
    await expect(clerk.getByTestId('sign-status')).toHaveText('各方已签，待法院签章');
    await clerk.getByTestId('signing-seal').click();
    await clerk.getByTestId('signing-seal-confirm').click();
    await expect(clerk.getByTestId('sign-status')).toHaveText('法院已签章');
    await clerk.getByTestId('sign-verify-link').click();
    await expect(clerk.getByTestId('verify-result')).toHaveAttribute('data-genuine', 'true');
    await expect(clerk.getByTestId('verify-signature')).toContainText(`${person.name.slice(0, 1)}*`);
  } finally {
    await desk.close();
  }
});

test('a judge drafts another document for signature from its title and text, sends it, and the party signs it on a phone with their typed name', async ({ page, request, profile, browser }) => {
  test.skip(profile !== 'phone', 'the party on a phone; the judge at a desk in the same test');
  test.setTimeout(150_000);
  const person = { name: '龙秀英', id: '520102197712093367', mobile: freshMobile() };
  const caseNumber = await verifiedWithCase(page, request, browser, person);
  const desk = await browser.newContext(DESK);
  try {
    // The judge picks the case and "other document" on the court's signing page.
    const judge = await staffSignedIn(desk, '京0105', 'judge', '郑法官');
    await gotoHydrated(judge, '/staff/signing');
    await judge.getByTestId('draft-case').selectOption({ label: caseNumber });
    await judge.getByTestId('draft-kind').selectOption('text');
    await judge.getByTestId('draft-start').click();
    await expect(judge.getByTestId('draft-case-number')).toContainText(caseNumber);
    await waitForHydration(judge);
    // Saved without a title, the judge is told beside the field and keeps the text typed.
    await judge.getByTestId('draft-text-body').fill('本人确认以下地址为本案送达地址：贵州省贵阳市南明区某某路8号。');
    await judge.getByTestId('draft-text-save').click();
    await expect(judge.locator('#draft-text-doc-title-error')).not.toBeEmpty();
    await expect(judge.getByTestId('draft-text-body')).toHaveValue(/某某路8号/);
    await audit(judge, 'drafting another document for signature');
    await judge.getByTestId('draft-text-title').fill('送达地址确认书');
    await judge.getByTestId('draft-text-save').click();
    await expect(judge).toHaveURL(/\/sign\/\d+$/);
    const id = judge.url().split('/').pop()!;
    await expect(judge.getByTestId('sign-status')).toHaveText('草稿');
    await judge.getByTestId('signing-send').click();
    await expect(judge.getByTestId('sign-status')).toHaveText('签署中');

    // The party reads it on the phone and signs with their name typed.
    await gotoHydrated(page, `/sign/${id}`);
    await expect(page.getByTestId('sign-doc-title')).toHaveText('送达地址确认书');
    const signing = new Signing(page);
    await signing.readToEnd();
    await page.getByTestId('mark-type').check();
    await page.getByTestId('sign-typed-name').fill(person.name);
    await page.getByTestId('sign-agree').check();
    await page.getByTestId('sign-send-code').click();
    await page.getByTestId('sign-code').fill(await signingCode(request, person.mobile));
    await page.getByTestId('sign-submit-sms').click();
    await expect(signing.mine).toContainText('已签署（短信验证码）');
    await gotoHydrated(judge, `/sign/${id}`);
    await expect(judge.getByTestId('sign-status')).toHaveText('各方已签，待法院签章');
  } finally {
    await desk.close();
  }
});
