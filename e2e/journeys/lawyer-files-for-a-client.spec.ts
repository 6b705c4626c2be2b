import { Filing } from '../pages/filing';
import { Identity } from '../pages/identity';
import { Payment } from '../pages/fees';
import {
  DESK,
  audit,
  expect,
  freshMobile,
  gotoHydrated,
  pdfFile,
  staffSignedIn,
  test,
  waitForHydration,
} from '../fixtures';

test('a lawyer on a tablet files for a client who granted representation, with the power of attorney, sees every client\'s filings beside the open one, and pays the client\'s fee', async ({
  page,
  request,
  profile,
  makeContext,
}) => {
  test.skip(profile !== 'tablet', 'lawyers work on tablets');
  const lawyerMe = new Identity(page);
  const filing = new Filing(page);
  const licence = '11101201810000001';

  // The lawyer: verified person, lawyer profile verified by a clerk of the practice province.
  await lawyerMe.signInBySms(request, freshMobile(), '/me/verify');
  await lawyerMe.verify('许子涵', '370102197105051247');
  await page.waitForURL('**/me');
  await waitForHydration(page);
  const apply = page.locator('form', { has: page.getByTestId('apply-lawyer') });
  await apply.getByLabel('律师执业证号', { exact: true }).fill(licence);
  await apply.getByLabel('律师事务所', { exact: true }).fill('北京市天平律师事务所');
  await apply.getByLabel('执业地区', { exact: true }).selectOption('京');
  await page.getByTestId('apply-lawyer').click();
  await expect(page.getByTestId('lawyer-status')).toBeVisible();

  const clerk = await staffSignedIn(await makeContext(DESK), '京0105', 'clerk', '孙书记');
  await clerk.getByTestId('pending-lawyer').filter({ hasText: '许子涵' }).getByRole('button', { name: '核验通过' }).click();
  await expect(clerk.getByTestId('pending-lawyer').filter({ hasText: '许子涵' })).toHaveCount(0);

  // The lawyer starts the filing; until the client grants representation, nobody can be chosen.
  await gotoHydrated(page, '/file');
  await filing.start();
  const id = filing.filingId();
  await gotoHydrated(page, `/file/${id}/agent`);
  await expect(page.getByTestId('grant-hint')).toContainText(String(id).padStart(6, '0'));
  await expect(page.getByRole('radio')).toHaveCount(1);

  // The client, on their own phone, grants the lawyer representation for this filing.
  const phone = await makeContext();
  const clientPage = await phone.newPage();
  const client = new Identity(clientPage);
  await client.signInBySms(request, freshMobile(), '/me/verify');
  await client.verify('韩国华', '210102197810161279');
  await clientPage.waitForURL('**/me');
  await waitForHydration(clientPage);
  const grant = clientPage.locator('form', { has: clientPage.getByTestId('grant') });
  await grant.getByLabel('律师执业证号', { exact: true }).fill(licence);
  await grant.getByLabel('委托事项', { exact: true }).selectOption('filing');
  await grant.getByLabel('案号或立案申请编号', { exact: true }).fill(String(id));
  await grant.getByRole('button', { name: '委托', exact: true }).click();
  await expect(clientPage.locator('li[data-testid="grant"]'), 'the grant is listed with the lawyer').toContainText('许子涵');

  // Now the client can be chosen, and the power of attorney is asked for.
  await gotoHydrated(page, `/file/${id}/agent`);
  await page.getByRole('radio', { name: /韩国华/ }).check();
  await filing.next();
  await expect(page).toHaveURL(/agent\?check=1/);
  await expect(page.getByText('代当事人立案须上传授权委托书。')).toBeVisible();
  await page.getByTestId('upload-input').setInputFiles(pdfFile('授权委托书.pdf', 120 * 1024));
  await expect(page.getByTestId('file')).toHaveCount(1, { timeout: 30_000 });
  await audit(page, 'the agent step with a power of attorney');
  await page.getByRole('button', { name: '案件类型' }).click();
  await filing.chooseCaseType('申请执行');
  await filing.next();
  await filing.court.selectOption('京0105');
  await filing.next();
  await filing.addParty('claimant');
  await filing.addParty('respondent');
  await filing.fillPerson(0, { name: '韩国华', id: '210102197810161279', phone: '13900001234', address: '北京市东城区东长安街1号' });
  await filing.fillPerson(1, { name: '钱七', address: '北京市朝阳区建国门外大街1号' });
  await filing.next();
  await filing.next();
  await page.getByLabel('执行依据', { exact: true }).fill('(2025)京0105民初456号民事判决书');
  await page.getByLabel('执行依据生效日期', { exact: true }).fill('2025-10-20');
  await filing.addClaim();
  await filing.fillClaim(0, '强制执行判决确定的欠款', '80000');
  await filing.next();
  await filing.facts.fill('判决生效后被执行人未在履行期限内履行。');
  await filing.next();
  await filing.next();
  await expect(page.getByTestId('filing-content')).toContainText('韩国华');
  await filing.submit();
  await expect(filing.status).toHaveText('待审查');

  // On the tablet the list of filings stays beside the one open, naming the client.
  await expect(page.locator('.list-pane')).toBeVisible();
  await expect(page.locator('.list-pane').getByTestId('filing-item').first()).toContainText('韩国华');
  await audit(page, 'a filing beside the lawyer\'s list');

  // The client sees the filing their lawyer made.
  await gotoHydrated(clientPage, '/file');
  await expect(clientPage.getByTestId('filing-item').first()).toContainText('许子涵');

  // Accepted, the court's fee notice can be paid by the lawyer for the client: enforcement of
  // 80,000 yuan is 50 + 70,000 × 1.5% = 1,100 yuan.
  const accepted = await clerk.request.post('/api/filing/accept', { form: { id: String(id) } });
  expect(accepted.status(), await accepted.text()).toBe(200);
  const pay = new Payment(page);
  await gotoHydrated(page, '/pay');
  await expect(pay.payButton).toHaveText('缴纳 ¥1,100.00');
  await pay.openOrder();
  await expect(pay.qr).toBeVisible();
  await pay.payOnThisPhone();
  await expect(pay.state).toHaveAttribute('data-state', 'paid');

  // The case is in the lawyer's cases, for the client, with the list beside it on the tablet.
  await gotoHydrated(page, '/cases');
  await page.locator('.cases-list-pane').getByTestId('my-case').first().getByRole('link').click();
  await expect(page.locator('.cases-list-pane')).toBeVisible();
  await expect(page.locator('.cases-list-pane').getByTestId('my-case').first()).toContainText('韩国华');

  // The client sees their fee paid.
  await gotoHydrated(clientPage, '/pay');
  await expect(clientPage.getByTestId('fee-notice-state')).toContainText('已缴费');
});
