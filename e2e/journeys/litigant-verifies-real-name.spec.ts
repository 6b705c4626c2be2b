import { Identity } from '../pages/identity';
import {
  BASE_URL,
  audit,
  I,
  T,
  expect,
  freshMobile,
  gotoHydrated,
  latestCode,
  refusedServerFunction,
  test,
  type Profile,
} from '../fixtures';

const zh = I['zh-Hans'];

/** A registered identity per profile (app/src/identity/sandbox_registry.json): one ID number
 * verifies only one account, and the profiles share one server. */
const IDENTITY: Record<Profile, { name: string; id: string; masked: string }> = {
  phone: { name: '王小明', id: '310104198506154569', masked: '310104********4569' },
  tablet: { name: '陈美玲', id: '440305200002297896', masked: '440305********7896' },
  wechat: { name: '刘伟', id: '510107197811112340', masked: '510107********2340' },
  kiosk: { name: '赵敏', id: '320102199505203211', masked: '320102********3211' },
  desktop: { name: '周杰', id: '330106198808085673', masked: '330106********5673' },
};

test('filing needs a verified person: the page says why, verification fails on a mismatch and then passes', async ({
  page,
  shell,
  request,
  profile,
  consoleGuard,
}) => {
  consoleGuard.allow(refusedServerFunction('verify', 409), 'the test first types a name that does not match');
  consoleGuard.allow(refusedServerFunction('verify', 422), 'the test first types a number with a wrong check digit');
  const me = new Identity(page);
  const person = IDENTITY[profile];

  // Signed out: filing asks to sign in, and comes back to filing afterwards.
  await gotoHydrated(page, '/file');
  await expect(shell.heading).toHaveText(T['zh-Hans'].navLink.file);
  await expect(shell.signInPrompt).toBeVisible();
  await me.signInLink.click();
  await expect(page).toHaveURL(`${BASE_URL}/signin?next=/file`);
  const mobile = freshMobile();
  await me.askForCode(mobile);
  await expect(me.codeSent).toBeVisible();
  await me.enterCode(await latestCode(request, mobile));
  await expect(page).toHaveURL(`${BASE_URL}/file`);

  // Signed in but not verified: the reason and the way there.
  await expect(page.getByTestId('verify-prompt')).toBeVisible();
  await me.verifyLink.click();
  await expect(page).toHaveURL(`${BASE_URL}/me/verify?next=/file`);
  await audit(page, 'the verification form');

  // A mistyped number is caught before the registry is asked.
  const mistyped = person.id.slice(0, 16) + String((Number(person.id[16]) + 1) % 10) + person.id[17];
  await me.verify(person.name, mistyped);
  await expect(me.idInput).toHaveAttribute('aria-invalid', 'true');

  // A name that does not match the registry fails, and nothing typed is lost.
  await me.verify('张冠李', person.id);
  await expect(me.formError).toHaveText(zh.registryMismatch);
  await audit(page, 'the verification form with an error');
  await expect(me.idInput).toHaveValue(person.id);

  await me.verify(person.name, person.id);
  await expect(page).toHaveURL(`${BASE_URL}/file`);
  await expect(page.getByTestId('start-filing'), 'once verified, filing opens').toBeVisible();

  await gotoHydrated(page, '/me');
  await expect(me.meName).toHaveText(person.name);
  await expect(me.meId).toHaveText(person.masked);
  await expect(me.meVerification).not.toContainText(zh.notVerified);
  // The full number is nowhere on the page.
  await expect(page.locator('body')).not.toContainText(person.id);
});
