import { Signing, signingCode } from '../pages/signing';
import { DESK, audit, expect, freshMobile, gotoHydrated, staffSignedIn, test, verifiedWithCase } from '../fixtures';

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
