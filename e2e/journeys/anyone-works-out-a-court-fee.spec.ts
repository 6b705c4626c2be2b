import { FeeCalculator } from '../pages/fees';
import { audit, expect, gotoHydrated, test } from '../fixtures';

/** The home page's link to the calculator (zh-Hans). */
const CALCULATOR_LINK = '诉讼费计算器：先算一算要交多少';

test('a visitor finds the fee calculator from the home page and sees the fee follow their typing', async ({
  page,
  shell,
}) => {
  await gotoHydrated(page, '/');
  await page.getByRole('link', { name: CALCULATOR_LINK }).click();
  await expect(shell.heading).toHaveText('诉讼费计算器');
  await expect(page).toHaveURL(/\/fees\/calculator$/);
  const fees = new FeeCalculator(page);

  // A property case: the fee changes with every keystroke, no button needed.
  await fees.amount.fill('100000');
  await expect(fees.total).toHaveText('¥2,300.00');
  await fees.amount.fill('150,000');
  await expect(fees.total).toHaveText('¥3,300.00');
  // Band by band: the base fee, then 90,000 at 2.5% and 50,000 at 2%.
  await expect(fees.working.getByRole('row')).toHaveCount(4);
  await expect(fees.working).toContainText('90,000.00 × 2.5%');
  await expect(fees.working).toContainText('50,000.00 × 2%');

  // Mediation and the simplified procedure both apply: halved once, not twice.
  await fees.halving('以调解方式结案').check();
  await fees.halving('适用简易程序').check();
  await expect(fees.total).toHaveText('¥1,650.00');
  await expect(fees.beforeHalving).toContainText('3,300.00');
  await expect(fees.working).toContainText('减半交纳一次');

  // A preservation application: its own bands, the 5,000 cap, and no halving.
  await fees.choose('preservation');
  await fees.amount.fill('900000');
  await expect(fees.total).toHaveText('¥5,000.00');
  await expect(fees.working).toContainText('最多不超过 5,000.00 元');
  await expect(fees.beforeHalving).toHaveCount(0);

  // A wrong amount: said next to the box, and what was typed stays.
  await fees.amount.fill('12,34');
  await expect(fees.amountError).toHaveText('请填写金额（元），例如 120000 或 120,000.50。');
  await expect(fees.amount).toHaveAttribute('aria-invalid', 'true');
  await expect(fees.amount).toHaveValue('12,34');
  await expect(fees.total).toHaveCount(0);
  await fees.amount.fill('12.34');
  await expect(fees.amountError).toBeEmpty();
  await expect(fees.total).toHaveText('¥30.00');

  await audit(page, 'fee calculator');
});

test('without JavaScript the form is sent and the server works out the same fee', async ({ makeContext }) => {
  const context = await makeContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/fees/calculator');
  const fees = new FeeCalculator(page);
  await fees.choose('enforcement');
  await fees.amount.fill('1000000');
  await fees.halving('申请撤诉').check();
  await fees.calculateButton.click();
  await expect(page).toHaveURL(/kind=enforcement/);
  // 申请执行 1,000,000 → 12,400; an application fee is not halved.
  await expect(fees.total).toHaveText('¥12,400.00');
  await expect(fees.amount).toHaveValue('1000000');
  await expect(fees.halving('申请撤诉')).toBeChecked();
});
