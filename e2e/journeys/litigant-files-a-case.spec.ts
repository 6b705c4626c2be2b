import { Filing } from '../pages/filing';
import { Identity } from '../pages/identity';
import {
  audit,
  disguisedProgram,
  expect,
  failedWhileOffline,
  freshMobile,
  gotoHydrated,
  latestCode,
  pdfFile,
  refusedRequestUnder,
  reloadHydrated,
  sha256,
  test,
  type Profile,
} from '../fixtures';

/** A registered identity per profile that files here (one ID number verifies one account). */
const FILER: Partial<Record<Profile, { name: string; id: string }>> = {
  phone: { name: '张三', id: '11010519491231002X' },
  wechat: { name: '李四', id: '110105199003071239' },
  kiosk: { name: '林建国', id: '110101196001011006' },
};

test('a verified litigant files a civil case with evidence against a company at another city\'s court', async ({
  page,
  request,
  profile,
  consoleGuard,
}) => {
  consoleGuard.allow(refusedRequestUnder('/api/filing/upload/', 'cut'), 'the test cuts one upload chunk off');
  consoleGuard.allow(refusedRequestUnder('/api/filing/upload/', 422), 'the test uploads a program named .pdf');
  const filer = FILER[profile];
  test.skip(!filer, 'litigants file on phones, in WeChat and at the court kiosk (lawyers on tablets: their own journey)');
  if (!filer) return;
  const me = new Identity(page);
  const filing = new Filing(page);
  await me.signInBySms(request, freshMobile(), '/me/verify');
  await me.verify(filer.name, filer.id);
  await page.waitForURL('**/me');

  await gotoHydrated(page, '/file');
  await audit(page, 'the filing home page');
  await filing.start();
  await expect(filing.stepCount).toHaveText('第 1 步，共 8 步');
  await audit(page, 'the first step of the filing wizard');

  // Moving on without a choice stays on the step and says what is missing.
  await filing.next();
  await expect(page).toHaveURL(/case_type\?check=1/);
  await expect(page.getByText('请选择案件类型。', { exact: true })).toBeVisible();
  await filing.chooseCaseType('民事诉讼（一审）');
  await filing.next();
  await expect(filing.stepCount).toHaveText('第 2 步，共 8 步');

  // The court comes after the parties are known: leave it for now, name the parties first.
  await filing.court.selectOption('沪0115');
  await filing.next();
  await filing.addParty('claimant');
  await filing.addParty('respondent');
  // A field is checked by the model's rules as it is left, before moving on, and the message
  // goes as soon as the value is right.
  await filing.party(0).getByLabel('类型', { exact: true }).selectOption('person');
  const idNumber = filing.party(0).getByLabel('公民身份号码', { exact: true });
  await idNumber.fill(filer.id.slice(0, 17) + (filer.id.endsWith('0') ? '1' : '0'));
  await idNumber.blur();
  await expect(idNumber).toHaveAttribute('aria-invalid', 'true');
  await expect(filing.party(0).getByText('号码校验不通过，可能有一位输错了，请核对。')).toBeVisible();
  await expect(page).toHaveURL(/\/parties(\?r=\d+)?$/);
  await filing.fillPerson(0, { name: filer.name, id: filer.id, phone: '13800138000', address: '上海市浦东新区世纪大道100号' });
  await expect(idNumber).not.toHaveAttribute('aria-invalid', 'true');
  await expect(filing.party(0).getByText('号码校验不通过，可能有一位输错了，请核对。')).toHaveCount(0);
  await filing.fillCompany(1, { name: '北京某某科技有限公司', uscc: '91110105MA01AB2C3X', representative: '王五', address: '北京市朝阳区建国路88号' });
  await filing.next();
  // A mistyped credit code is caught by the same rules the server runs, and nothing is lost.
  const uscc = filing.party(1).getByLabel('统一社会信用代码', { exact: true });
  await expect(uscc).toHaveAttribute('aria-invalid', 'true');
  await expect(filing.party(1).getByText('统一社会信用代码校验位不符，可能有字符输错。')).toBeVisible();
  await expect(filing.party(0).getByLabel('姓名或名称', { exact: true })).toHaveValue(filer.name);
  await audit(page, 'the parties step with an error');
  await uscc.fill('91110105MA01AB2C3F');
  await filing.next();
  await expect(filing.stepCount).toHaveText('第 4 步，共 8 步');

  // Back to the court: the defendant's domicile now suggests Beijing Chaoyang (cross-court filing).
  await page.getByRole('button', { name: '受理法院' }).click();
  await expect(filing.courtSuggestions).toContainText('北京市朝阳区人民法院');
  await filing.court.selectOption('京0105');
  await filing.next(); // the parties again, complete
  await filing.next(); // the agent step: filing for oneself
  await expect(page.getByTestId('agent-self')).toBeVisible();
  await filing.next();

  await filing.page.getByLabel('案由', { exact: true }).fill('买卖合同纠纷');
  await filing.addClaim();
  await filing.addClaim();
  await filing.fillClaim(0, '判令被告支付货款', '120,000.50');
  // The court fee follows the claims as they are typed (the same calculator as the court's).
  const estimate = page.getByTestId('fee-estimate');
  await expect(estimate).toContainText('预计诉讼费：¥2,700.01（财产案件');
  await filing.fillClaim(1, '判令被告支付逾期付款利息', '3500');
  await expect(filing.claimsTotal).toHaveText('金钱请求合计：¥123,500.50');
  // 50 + 90,000 × 2.5% + 23,500.50 × 2%.
  await expect(estimate).toHaveText('预计诉讼费：¥2,770.01（财产案件，按《诉讼费用交纳办法》估算；以法院的缴费通知为准）');
  await filing.next();

  await filing.facts.fill('2025年3月，原告向被告供应办公设备，被告验收后至今未支付货款。');
  // A reload in the middle of the wizard keeps what was typed: from the browser's own copy, or
  // on a kiosk (which keeps nothing of a person) from the server's, saved seconds after typing.
  if (profile === 'kiosk') await expect(page.getByTestId('saved-status')).toContainText('自动保存');
  else await page.waitForTimeout(300);
  await reloadHydrated(page);
  await expect(filing.facts).toHaveValue('2025年3月，原告向被告供应办公设备，被告验收后至今未支付货款。');
  await filing.next();

  // Evidence: one upload is cut off midway and resumes where it stopped.
  await filing.addEvidence();
  await filing.fillEvidence(0, { name: '买卖合同', source: '原告持有', proves: '双方存在买卖合同关系' });
  const contract = pdfFile('买卖合同.pdf', 1300 * 1024);
  let cut = false;
  await page.route('**/api/filing/upload/**', async (route) => {
    if (!cut && route.request().url().includes('offset=524288')) {
      cut = true;
      await route.abort('connectionreset');
    } else {
      await route.continue();
    }
  });
  await filing.upload(0, contract);
  expect(cut, 'the second chunk was cut off').toBe(true);
  await page.unroute('**/api/filing/upload/**');
  await expect(filing.evidence(0).getByTestId('fingerprint')).toHaveText(sha256(contract.buffer));
  // A program named .pdf is refused with what is allowed.
  await filing.evidence(0).getByTestId('upload-input').setInputFiles(disguisedProgram('发票.pdf'));
  await expect(filing.evidence(0).getByText('只接受 PDF、JPEG 或 PNG 文件；该文件的内容不是这几种格式。')).toBeVisible();
  await expect(filing.evidence(0).getByTestId('file')).toHaveCount(1);
  await audit(page, 'the evidence step');
  await filing.next();

  // Review: everything as it will be filed; submit once, however many taps.
  await expect(page.getByTestId('filing-content')).toContainText('北京某某科技有限公司');
  await expect(page.getByTestId('content-total')).toContainText('123,500.50');
  await audit(page, 'the review step');
  await filing.submit();
  await expect(filing.status).toHaveText('待审查');
  await expect(filing.receipt).toContainText('北京市朝阳区人民法院');
  await expect(filing.receipt.getByTestId('receipt-file')).toContainText(sha256(contract.buffer));
  await audit(page, 'the filing receipt');
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我要立案' }).click();
  await page.waitForURL('**/file');
  await expect(page.getByTestId('filing-item').first()).toContainText('待审查');
});

test('the wizard\'s plain fields work with JavaScript disabled: each step posts, saves and moves on', async ({
  makeContext,
  request,
  profile,
}) => {
  test.skip(profile !== 'phone', 'one profile is enough for the no-script path');
  const context = await makeContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const me = new Identity(page);
  const filing = new Filing(page);
  await page.goto('/signin?next=/me/verify');
  const mobile = freshMobile();
  await me.askForCode(mobile);
  await me.enterCode(await latestCode(request, mobile));
  await page.waitForURL('**/me/verify');
  await me.verify('吕永康', '370102197609011847');
  await page.waitForURL('**/me');
  await page.goto('/file');
  await filing.startButton.click();
  await page.waitForURL(/\/file\/\d+\/case_type$/);
  // Moving on without a choice comes back to the step with the problem beside it.
  await filing.nextButton.click();
  await page.waitForURL(/case_type\?check=1/);
  await expect(page.getByText('请选择案件类型。', { exact: true })).toBeVisible();
  await page.getByLabel(/行政诉讼/).check();
  await filing.nextButton.click();
  await page.waitForURL(/\/court$/);
  await filing.court.selectOption('京0105');
  await filing.nextButton.click();
  await page.waitForURL(/\/parties$/);
  // Rows are added by plain buttons too, and what was saved is shown again.
  await page.getByTestId('add-claimant').click();
  await page.waitForURL(/\/parties\?r=/);
  await filing.party(0).getByLabel('姓名或名称', { exact: true }).fill('吕永康');
  await page.getByRole('button', { name: '受理法院' }).click();
  await page.waitForURL(/\/court$/);
  await expect(filing.court).toHaveValue('京0105');
  await page.getByRole('button', { name: '当事人' }).click();
  await page.waitForURL(/\/parties$/);
  await expect(filing.party(0).getByLabel('姓名或名称', { exact: true })).toHaveValue('吕永康');
});

test('what was typed survives a lost connection and is there on the person\'s other device', async ({
  page,
  context,
  request,
  profile,
  makeContext,
  consoleGuard,
}) => {
  test.skip(profile !== 'phone', 'the phone loses its connection; the tablet is the other device');
  consoleGuard.allow(failedWhileOffline, 'the test takes the phone offline while it autosaves');
  const me = new Identity(page);
  const filing = new Filing(page);
  await me.signInBySms(request, freshMobile(), '/me/verify');
  await me.verify('丁若楠', '210102198302121873');
  await page.waitForURL('**/me');
  await gotoHydrated(page, '/file');
  await filing.start();
  const id = filing.filingId();
  await gotoHydrated(page, `/file/${id}/facts`);

  // Offline, the autosave fails; the typing waits in the browser and is saved once back online.
  await context.setOffline(true);
  await filing.facts.fill('地铁里断网时写下的事实与理由。');
  await page.waitForTimeout(3_500);
  await context.setOffline(false);
  await expect(page.getByTestId('saved-status')).toContainText('自动保存', { timeout: 15_000 });

  // The person's tablet, signed in by scanning its code with the phone, shows the same text.
  const tablet = await (await makeContext({ viewport: { width: 820, height: 1180 }, screen: { width: 820, height: 1180 } })).newPage();
  await gotoHydrated(tablet, '/signin');
  await tablet.getByTestId('handoff-start').click();
  const link = (await tablet.getByTestId('handoff-link').getAttribute('href')) ?? '';
  await gotoHydrated(page, new URL(link).pathname + new URL(link).search);
  await page.getByTestId('handoff-approve').click();
  await tablet.waitForURL('**/me');
  await gotoHydrated(tablet, `/file/${id}/facts`);
  await expect(new Filing(tablet).facts).toHaveValue('地铁里断网时写下的事实与理由。');
});
