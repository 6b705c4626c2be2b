import { audit, expect, freshMobile, gotoHydrated, test, verifiedWithCase } from '../fixtures';

test('a litigant finds their case by its number, reads who is in it, what has happened and the days left to pay the fee', async ({
  page,
  request,
  profile,
  browser,
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
});
