import { audit, expect, freshMobile, gotoHydrated, test, verifiedWithCase } from '../fixtures';

test('at a court kiosk a person reads their case without the kiosk keeping it, and after signing out anyone looks it up by number and code', async ({
  page,
  request,
  profile,
  browser,
}) => {
  test.skip(profile !== 'kiosk', 'the court lobby kiosk');
  const person = { name: '袁浩然', id: '370102199607031544', mobile: freshMobile() };
  const caseNumber = await verifiedWithCase(page, request, browser, person);

  await gotoHydrated(page, '/cases');
  await page.locator(`[data-testid="my-case"][data-case="${caseNumber}"]`).getByRole('link', { name: caseNumber }).click();
  await expect(page.getByTestId('case-number')).toHaveText(caseNumber);
  const code = (await page.getByTestId('case-query-code').textContent())!;
  // Nothing personal stays on a shared device: no saved copy for reading offline.
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => localStorage.getItem('tp-offline'))).toBeNull();

  await gotoHydrated(page, '/me');
  await page.getByTestId('sign-out').click();
  await page.waitForURL(/\/$/);

  await gotoHydrated(page, '/lookup');
  await page.getByTestId('lookup-number').fill(caseNumber);
  await page.getByTestId('lookup-code').fill(code);
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByTestId('lookup-stage')).toHaveText('已立案');
  await expect(page.getByRole('main')).not.toContainText(person.name);
  await audit(page, 'the public lookup on a kiosk');
});
