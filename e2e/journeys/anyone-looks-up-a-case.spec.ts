import { BASE_URL, DESK, audit, expect, freshMobile, gotoHydrated, outbox, staffSignedIn, test, verifiedWithCase } from '../fixtures';

/** A Beijing date `days` from today, as a date field takes it. */
function beijingDate(days: number): string {
  return new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

test('a clerk schedules a hearing, the litigant sees it as their next with the query code, and anyone with the code looks the case up without seeing who is in it', async ({
  page,
  request,
  profile,
  browser,
}) => {
  test.skip(profile !== 'phone', 'the litigant on a phone, the clerk at a desk, a visitor without JavaScript');
  const person = { name: '萧雅琴', id: '320106197504261459', mobile: freshMobile() };
  const caseNumber = await verifiedWithCase(page, request, browser, person);
  const date = beijingDate(10);

  const desk = await browser.newContext(DESK);
  try {
    const clerk = await staffSignedIn(desk, '京0105', 'clerk', '郑书记');
    await gotoHydrated(clerk, '/staff/cases');
    await clerk.locator(`[data-testid="court-case"][data-case="${caseNumber}"]`).getByTestId('court-case-link').click();
    const form = clerk.getByTestId('hearing-form');
    // A hearing in the past is refused at its field, and nothing typed is lost.
    await form.getByTestId('hearing-date').fill(beijingDate(-2));
    await form.getByTestId('hearing-time').fill('09:30');
    await form.getByTestId('hearing-room').fill('第三法庭');
    await form.getByTestId('hearing-submit').click();
    await expect(form.getByRole('alert').filter({ hasText: '开庭时间须晚于现在' })).toBeVisible();
    await expect(form.getByTestId('hearing-room')).toHaveValue('第三法庭');
    await form.getByTestId('hearing-date').fill(date);
    await form.getByTestId('hearing-submit').click();
    await expect(clerk.getByTestId('hearing-scheduled')).toBeVisible();
    await expect(clerk.getByTestId('staff-hearing')).toContainText(`${date} 09:30 · 60 分钟 · 第三法庭`);
    await audit(clerk, 'a case with a hearing scheduled');
  } finally {
    await desk.close();
  }

  // The litigant is told, and sees it as the next hearing, with the query code for the public.
  await expect.poll(async () => (await outbox(request, person.mobile)).some((t) => t.includes(caseNumber) && t.includes('09:30'))).toBe(true);
  await gotoHydrated(page, '/cases');
  await page.locator(`[data-testid="my-case"][data-case="${caseNumber}"]`).getByRole('link', { name: caseNumber }).click();
  await expect(page.getByTestId('case-next-hearing')).toContainText(`${date} 09:30`);
  await expect(page.getByTestId('case-event').filter({ hasText: '已安排开庭' })).toHaveCount(1);
  const code = (await page.getByTestId('case-query-code').textContent())!;
  expect(code).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);

  // A visitor without JavaScript (a relative holding the court's papers) looks it up.
  const visitor = await browser.newContext({ baseURL: BASE_URL, javaScriptEnabled: false, locale: 'zh-CN' });
  try {
    const anyone = await visitor.newPage();
    await anyone.goto('/');
    await anyone.getByTestId('lookup-link').click();
    await anyone.getByTestId('lookup-number').fill(caseNumber.replace('(', '（').replace(')', '）'));
    await anyone.getByTestId('lookup-code').fill(code.toLowerCase().replace('-', ' '));
    await anyone.getByRole('button', { name: '查询' }).click();
    await expect(anyone.getByTestId('lookup-stage')).toHaveText('已立案');
    await expect(anyone.getByTestId('lookup-hearing')).toHaveText(`${date} 09:30 · 第三法庭`);
    await expect(anyone.getByRole('main')).not.toContainText(person.name);
    await expect(anyone.getByRole('main')).not.toContainText('北京某某');

    // A wrong code finds nothing, and says what to check.
    await anyone.getByTestId('lookup-code').fill('2222-2222');
    await anyone.getByRole('button', { name: '查询' }).click();
    await expect(anyone.getByTestId('lookup-none')).toContainText('请对照法院文书核对');
  } finally {
    await visitor.close();
  }

  // The same page, hydrated, is accessible.
  await gotoHydrated(page, `/lookup?number=${encodeURIComponent(caseNumber)}&code=${encodeURIComponent(code)}`);
  await expect(page.getByTestId('lookup-stage')).toHaveText('已立案');
  await audit(page, 'the public lookup with a case found');
});
