import { Filing } from '../pages/filing';
import { Identity } from '../pages/identity';
import {
  DESK,
  audit,
  expect,
  freshMobile,
  gotoHydrated,
  outbox,
  pdfFile,
  staffSignedIn,
  test,
  waitForHydration,
} from '../fixtures';

/** A complete civil filing against a Beijing company at 京0105, up to the review step. */
async function fileAgainstCompany(filing: Filing, person: { name: string; id: string; mobile: string }): Promise<number> {
  const page = filing.page;
  await gotoHydrated(page, '/file');
  await filing.start();
  const id = filing.filingId();
  await filing.chooseCaseType('民事诉讼（一审）');
  await filing.next();
  await filing.court.selectOption('京0105');
  await filing.next();
  await filing.addParty('claimant');
  await filing.addParty('respondent');
  await filing.fillPerson(0, { name: person.name, id: person.id, phone: person.mobile, address: '上海市徐汇区漕溪北路18号' });
  await filing.fillCompany(1, { name: '北京某某网络技术有限公司', uscc: '91110105MA01AB2C3F', representative: '赵六', address: '北京市朝阳区光华路9号' });
  await filing.next();
  await filing.next();
  await page.getByLabel('案由', { exact: true }).fill('民间借贷纠纷');
  await filing.addClaim();
  await filing.fillClaim(0, '判令被告归还借款', '50000');
  await filing.next();
  await filing.facts.fill('被告于2025年1月向原告借款5万元，约定6月归还，至今未还。');
  await filing.next();
  await filing.addEvidence();
  await filing.fillEvidence(0, { name: '借条', source: '原告持有', proves: '借款事实' });
  await filing.upload(0, pdfFile('借条.pdf'));
  await filing.next();
  await filing.submit();
  return id;
}

test('a clerk returns a filing for correction, the litigant corrects it, the clerk accepts it and the litigant sees the case number', async ({
  page,
  request,
  profile,
  makeContext,
}) => {
  test.skip(profile !== 'phone', 'the litigant on a phone; the clerk works in a desktop context of the same test');
  const me = new Identity(page);
  const filing = new Filing(page);
  const person = { name: '吴芳', id: '420102199210108763', mobile: freshMobile() };
  await me.signInBySms(request, person.mobile, '/me/verify');
  await me.verify(person.name, person.id);
  await page.waitForURL('**/me');
  const id = await fileAgainstCompany(filing, person);
  const number = String(id).padStart(6, '0');

  // The clerk's queue, oldest first, with the 7-day clock; the filing with every document.
  const clerk = await staffSignedIn(await makeContext(DESK), '京0105', 'clerk', '李书记');
  await clerk.getByTestId('filing-queue-link').click();
  await clerk.waitForURL('**/staff/filings');
  await waitForHydration(clerk);
  const row = clerk.getByTestId('queue-item').filter({ hasText: number });
  await expect(row).toContainText('吴芳');
  await audit(clerk, 'the clerk\'s queue');
  await row.getByRole('link').click();
  await clerk.waitForURL(`**/staff/filings/${id}`);
  await waitForHydration(clerk);
  await expect(clerk.getByTestId('preview')).toHaveCount(1);
  const href = (await clerk.getByTestId('preview').locator('a').getAttribute('href')) ?? '';
  const preview = await clerk.request.get(href);
  expect(preview.headers()['content-type'], 'the clerk opens the evidence itself').toBe('application/pdf');
  await audit(clerk, 'the review page');

  // Return for correction, the reason attached to the defendant.
  await clerk.getByTestId('return-open').click();
  await clerk.getByTestId('reason-field-0').selectOption('parties.1');
  await clerk.getByTestId('reason-text-0').fill('请写明被告法定代表人的职务');
  await clerk.getByTestId('return-confirm').click();
  await expect(clerk.getByTestId('review-status')).toHaveText('待补正');

  // The litigant is told in the app and by SMS, sees the reason on the right step and corrects it.
  await gotoHydrated(page, '/file');
  await expect(page.getByTestId('notices')).toContainText('退回补正');
  await expect.poll(async () => (await outbox(request, person.mobile))[0] ?? '').toContain(`立案申请 ${number} 需要补正`);
  await page.getByTestId('notices').getByRole('link').first().click();
  await page.waitForURL(`**/filings/${id}`);
  await waitForHydration(page);
  await expect(filing.returnedReasons).toContainText('请写明被告法定代表人的职务');
  await page.getByTestId('correct').click();
  await page.waitForURL(`**/file/${id}/parties`);
  await waitForHydration(page);
  await expect(filing.stepReasons).toContainText('请写明被告法定代表人的职务');
  await audit(page, 'a returned step with the clerk\'s reason');
  await filing.party(1).getByLabel('法定代表人或负责人', { exact: true }).fill('赵六（执行董事）');
  await page.getByRole('button', { name: '核对并提交' }).click();
  await page.waitForURL(`**/file/${id}/review`);
  await waitForHydration(page);
  await filing.submit();
  await expect(filing.status).toHaveText('补正后待审查');

  // The clerk sees the corrected version and accepts: the case gets its number.
  await clerk.reload();
  await waitForHydration(clerk);
  await expect(clerk.getByTestId('review-status')).toHaveText('补正后待审查');
  await expect(clerk.getByTestId('filing-content')).toContainText('赵六（执行董事）');
  await clerk.getByTestId('accept').click();
  await expect(clerk.getByTestId('review-status')).toHaveText('已立案');
  const caseNumber = (await clerk.getByTestId('case-number').textContent()) ?? '';
  expect(caseNumber).toMatch(/^\(20\d\d\)京0105民初\d+号$/);

  await gotoHydrated(page, `/filings/${id}`);
  await expect(filing.status).toHaveText('已立案');
  await expect(filing.caseNumber).toHaveText(caseNumber);
  await expect(page.getByTestId('history')).toContainText('已立案，案号');

  // The court's fee notice comes with the acceptance, on the Pay page.
  await gotoHydrated(page, '/pay');
  const notice = page.getByTestId('fee-notice');
  await expect(notice).toHaveCount(1);
  await expect(notice).toContainText(caseNumber);
  await expect(page.getByTestId('fee-notice-state')).toContainText('待缴费');
  await expect(page.getByTestId('fee-notice-amount')).toHaveText(/^¥[\d,]+\.\d\d$/);
  await audit(page, 'the Pay page with a fee notice');
});
