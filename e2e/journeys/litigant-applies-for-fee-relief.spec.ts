import { Filing } from '../pages/filing';
import { Identity } from '../pages/identity';
import { DESK, audit, expect, freshMobile, gotoHydrated, pdfFile, refusedServerFunction, staffSignedIn, test, waitForHydration } from '../fixtures';

/** An identity no other journey verifies (an identity verifies one account). */
const APPLICANT = { name: '唐雨桐', id: '420106196412221213' } as const;

test('a litigant applies for a fee reduction with proof of hardship, the clerk grants half and the litigant sees the halved notice', async ({
  page,
  request,
  profile,
  makeContext,
  consoleGuard,
}) => {
  test.skip(profile !== 'phone', 'the litigant on a phone; the clerk works in a desktop context of the same test');
  consoleGuard.allow(refusedServerFunction('filing/accept', 422), 'the clerk first accepts without deciding the relief');
  const me = new Identity(page);
  const filing = new Filing(page);
  const person = { ...APPLICANT, mobile: freshMobile() };
  await me.signInBySms(request, person.mobile, '/me/verify');
  await me.verify(person.name, person.id);
  await page.waitForURL('**/me');

  // A civil filing against a Beijing company at 京0105, 50,000 yuan claimed: fee 1,050 yuan.
  await gotoHydrated(page, '/file');
  await filing.start();
  const id = filing.filingId();
  await filing.chooseCaseType('民事诉讼（一审）');
  await filing.next();
  await filing.court.selectOption('京0105');
  await filing.next();
  await filing.addParty('claimant');
  await filing.addParty('respondent');
  await filing.fillPerson(0, { name: person.name, id: person.id, phone: person.mobile, address: '湖北省武汉市武昌区中南路7号' });
  await filing.fillCompany(1, { name: '北京某某网络技术有限公司', uscc: '91110105MA01AB2C3F', representative: '赵六', address: '北京市朝阳区光华路9号' });
  await filing.next();
  await filing.next();
  await page.getByLabel('案由', { exact: true }).fill('民间借贷纠纷');
  await filing.addClaim();
  await filing.fillClaim(0, '判令被告归还借款', '50000');

  // The relief application beside the fee estimate: folded away until asked for.
  const relief = page.getByTestId('relief');
  await relief.locator('summary').click();
  await relief.getByTestId('relief-kind-reduce').check();
  await relief.getByTestId('relief-ground').selectOption('disaster_hardship');
  await relief.getByLabel('具体理由', { exact: true }).fill('2026年7月家中房屋被洪水冲毁，正在接受民政部门救济，无力全额交纳诉讼费。');
  await audit(page, 'the claims step with a relief application');

  // Without proof of hardship the step says so, next to the files, and keeps everything typed.
  await filing.next();
  await expect(page).toHaveURL(/\/file\/\d+\/claims\?check=1/);
  await waitForHydration(page);
  await expect(relief).toHaveAttribute('open', '');
  await expect(relief.locator('[data-field="relief.files"]')).toHaveText('请上传至少一份经济困难的证明材料。');
  await expect(relief.getByLabel('具体理由', { exact: true })).toHaveValue(/洪水冲毁/);
  await relief.getByTestId('upload-input').setInputFiles(pdfFile('救济证明.pdf'));
  await page.getByTestId('relief').getByTestId('file').first().waitFor({ timeout: 30_000 });
  await expect(page.getByTestId('relief-kind-reduce')).toBeChecked();
  await filing.next();
  await expect(page).toHaveURL(/\/file\/\d+\/facts$/);

  await filing.facts.fill('被告于2025年1月向原告借款5万元，约定6月归还，至今未还。');
  await filing.next();
  await filing.addEvidence();
  await filing.fillEvidence(0, { name: '借条', source: '原告持有', proves: '借款事实' });
  await filing.upload(0, pdfFile('借条.pdf'));
  await filing.next();

  // The review step shows the application as it will be filed.
  await expect(page.getByTestId('relief-application')).toContainText('减交');
  await expect(page.getByTestId('relief-reasons')).toContainText('洪水冲毁');
  await filing.submit();
  await expect(page.getByTestId('relief-pending')).toBeVisible();
  await expect(filing.receipt.getByTestId('receipt-file')).toHaveCount(2);

  // The clerk sees the reasons and the proof, and decides the relief with the acceptance.
  const clerk = await staffSignedIn(await makeContext(DESK), '京0105', 'clerk', '钱书记');
  await gotoHydrated(clerk, `/staff/filings/${id}`);
  await expect(clerk.getByTestId('relief-application')).toContainText('洪水冲毁');
  await expect(clerk.getByTestId('preview')).toHaveCount(2);
  await expect(clerk.getByTestId('relief-decide')).toContainText('¥1,050.00');
  await audit(clerk, 'the review page with a relief decision to take');
  await clerk.getByTestId('accept').click();
  await expect(clerk.getByRole('alert').filter({ hasText: '受理前请先作出救助决定' })).toBeVisible();
  await expect(clerk.getByTestId('review-status')).toHaveText('待审查');
  // The page reads the filing again after every decision tried: start from a settled page.
  await clerk.reload();
  await waitForHydration(clerk);
  await clerk.getByTestId('relief-decision-reduce').check();
  await clerk.getByTestId('relief-percent').fill('50');
  await clerk.getByTestId('accept').click();
  await expect(clerk.getByTestId('review-status')).toHaveText('已立案');
  await expect(clerk.getByTestId('relief-decision')).toContainText('准予减交 50%');

  // The litigant is told, sees the decision on the filing and half the fee on the notice.
  await gotoHydrated(page, '/file');
  await expect(page.getByTestId('notices')).toContainText('诉讼费救助申请已获准许');
  await gotoHydrated(page, `/filings/${id}`);
  await expect(page.getByTestId('relief-decision')).toContainText('诉讼费 ¥1,050.00，减交 ¥525.00，应交 ¥525.00');
  await audit(page, 'the filing with its relief decision');
  await gotoHydrated(page, '/pay');
  await expect(page.getByTestId('fee-notice-amount')).toHaveText('¥525.00');
  await expect(page.getByTestId('fee-notice-relief')).toHaveText('司法救助：减交 50%（第四十六条），原应缴 ¥1,050.00，现应缴 ¥525.00。');
  await expect(page.getByTestId('fee-full'), 'a reduction is not called halving').toHaveCount(0);
});
