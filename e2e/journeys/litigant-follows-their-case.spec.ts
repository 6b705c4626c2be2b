import { audit, expect, failedWhileOffline, freshMobile, gotoHydrated, test, verifiedWithCase, waitForServiceWorkerControl } from '../fixtures';

test('a litigant finds their case by its number, reads who is in it, what has happened and the days left to pay the fee, and reads it again offline', async ({
  page,
  request,
  profile,
  browser,
  context,
  consoleGuard,
}) => {
  test.skip(profile !== 'phone', 'the case pages on a phone; other profiles share them');
  const person = { name: '彭欣然', id: '44010619610604139X', mobile: freshMobile() };
  const caseNumber = await verifiedWithCase(page, request, browser, person);

  await gotoHydrated(page, '/cases');
  const card = page.locator(`[data-testid="my-case"][data-case="${caseNumber}"]`);
  await expect(card.getByTestId('case-stage')).toHaveText('已立案');
  await audit(page, 'my cases');

  // Searching with the brackets people type from paper finds it; a closed-only filter does not.
  await page.getByTestId('case-filter-number').fill(caseNumber.replace('(', '（').replace(')', '）'));
  await page.getByRole('button', { name: '筛选' }).click();
  await expect(page).toHaveURL(/number=/);
  await expect(page.getByTestId('my-case')).toHaveCount(1);
  await page.getByTestId('case-filter-stage').selectOption('closed');
  await page.getByRole('button', { name: '筛选' }).click();
  await expect(page.getByTestId('cases-none')).toBeVisible();

  await gotoHydrated(page, '/cases');
  await card.getByRole('link', { name: caseNumber }).click();
  await expect(page.getByTestId('case-number')).toHaveText(caseNumber);
  await expect(page.getByTestId('case-parties')).toContainText(`原告: ${person.name}`);
  await expect(page.getByTestId('case-parties')).toContainText('被告: 北京某某网络技术有限公司');
  await expect(page.getByTestId('case-event')).toHaveText([/网上立案申请已提交/, /已立案，编定案号/, /发出缴费通知/]);
  await expect(page.getByTestId('case-deadline')).toContainText(/缴纳诉讼费 · 截至 \d{4}-\d{2}-\d{2}（剩余 \d+ 天）/);
  await expect(page.getByRole('main')).not.toContainText(person.id);
  await audit(page, 'a case with its timeline and deadlines');

  // The list and the case stay readable offline, marked with when they were saved.
  await waitForServiceWorkerControl(page);
  const casePath = new URL(page.url()).pathname;
  await expect
    .poll(() => page.evaluate(() => (JSON.parse(localStorage.getItem('tp-offline') || '[]') as { path: string }[]).map((e) => e.path).sort()))
    .toEqual(['/cases', casePath].sort());
  consoleGuard.allow(failedWhileOffline, 'the test cuts the network on purpose');
  await context.setOffline(true);
  await page.goto(casePath);
  await expect(page.getByTestId('offline-saved-at')).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} 保存的副本/);
  await expect(page.getByTestId('offline-copy').getByTestId('case-number')).toHaveText(caseNumber);
  await expect(page.getByTestId('offline-copy').getByTestId('case-deadline')).toContainText('缴纳诉讼费');
  await expect(page.getByTestId('offline-copy').locator('form, button')).toHaveCount(0);
  await audit(page, 'a case read offline');
  await page.goto('/cases');
  await expect(page.getByTestId('offline-copy').getByTestId('my-case')).toHaveCount(1);
  await page.goto('/pay');
  await expect(page.getByTestId('offline-saved-list').getByRole('link')).toHaveCount(2);
  await context.setOffline(false);
});
