import { acceptedCase } from '../fixtures/cases';
import { audit, expect, freshMobile, gotoHydrated, test, verifiedWithCase } from '../fixtures';

test('on a tablet the case list stays beside the open case, so someone with many cases works through them one after another', async ({
  page,
  request,
  profile,
  browser,
}) => {
  test.skip(profile !== 'tablet', 'the list + detail layout is the tablet one');
  const person = { name: '董婉清', id: '420106198902201513', mobile: freshMobile() };
  const first = await verifiedWithCase(page, request, browser, person);
  const second = await acceptedCase(page.request, browser, person);
  const third = await acceptedCase(page.request, browser, person);

  await gotoHydrated(page, '/cases');
  const list = page.locator('.cases-list-pane');
  await expect(list.getByTestId('my-case')).toHaveCount(3);
  await expect(page.locator('.cases-pick')).toBeVisible();
  await audit(page, 'the tablet case list');

  for (const number of [third, second, first]) {
    await list.getByRole('link', { name: number }).click();
    await expect(page.getByTestId('case-number')).toHaveText(number);
    // The list is still there beside it, with the open case marked.
    await expect(list).toBeVisible();
    await expect(list.getByRole('link', { name: number })).toHaveAttribute('aria-current', 'page');
    const box = await list.boundingBox();
    const detail = await page.locator('.cases-detail-pane').boundingBox();
    expect(box!.x + box!.width, 'the list is left of the case').toBeLessThanOrEqual(detail!.x);
  }
  await audit(page, 'a case beside the tablet list');

  // Searching in the list beside a case narrows the list; the layout stays.
  await list.getByTestId('case-filter-number').fill(second);
  await list.getByRole('button', { name: '筛选' }).click();
  await expect(page).toHaveURL(/number=/);
  await expect(list.getByTestId('my-case')).toHaveCount(1);
  await list.getByRole('link', { name: second }).click();
  await expect(page.getByTestId('case-number')).toHaveText(second);
  await expect(list.getByTestId('my-case')).toHaveCount(1);
});
