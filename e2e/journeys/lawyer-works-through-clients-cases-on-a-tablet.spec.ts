import { audit, expect, freshMobile, gotoHydrated, lawyerWithClientsCases, test } from '../fixtures';

test("a lawyer on a tablet works through their clients' cases one after another, each marked with its client, the list beside the open case", async ({
  page,
  request,
  profile,
  browser,
}) => {
  test.skip(profile !== 'tablet', 'lawyers work on tablets');
  const lawyer = { name: '叶宏伟', id: '330102199301131721', mobile: freshMobile() };
  const clients = [
    { name: '蔡振华', id: '110101196505251601', mobile: freshMobile() },
    { name: '蒋梦琪', id: '110105197210081633', mobile: freshMobile() },
    { name: '余家豪', id: '310115197903191667', mobile: freshMobile() },
  ];
  const numbers = await lawyerWithClientsCases(page, request, browser, lawyer, clients);

  await gotoHydrated(page, '/cases');
  const list = page.locator('.cases-list-pane');
  await expect(list.getByTestId('my-case')).toHaveCount(clients.length);
  for (const [i, number] of numbers.entries()) {
    await expect(list.locator(`[data-testid="my-case"][data-case="${number}"]`)).toContainText(clients[i].name);
  }
  await audit(page, "the lawyer's case list on a tablet");

  for (const [i, number] of numbers.entries()) {
    await list.getByRole('link', { name: number }).click();
    await expect(page.getByTestId('case-number')).toHaveText(number);
    await expect(page.getByTestId('case-parties')).toContainText(`原告: ${clients[i].name}`);
    // Only what the lawyer may see: the client's ID number is not shown.
    await expect(page.getByRole('main')).not.toContainText(clients[i].id);
    await expect(list.getByRole('link', { name: number })).toHaveAttribute('aria-current', 'page');
    const box = await list.boundingBox();
    const detail = await page.locator('.cases-detail-pane').boundingBox();
    expect(box!.x + box!.width, 'the list is left of the case').toBeLessThanOrEqual(detail!.x);
  }
  await audit(page, "a client's case beside the lawyer's list");

  // Searching by a client's case number narrows the list beside the case.
  await list.getByTestId('case-filter-number').fill(numbers[1]);
  await list.getByRole('button', { name: '筛选' }).click();
  await expect(page).toHaveURL(/number=/);
  await expect(list.getByTestId('my-case')).toHaveCount(1);
  await expect(list.getByTestId('my-case')).toContainText(clients[1].name);
});
