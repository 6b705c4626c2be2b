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
  masked,
  refusedServerFunction,
  test,
} from '../fixtures';

const zh = I['zh-Hans'];

test('a new person signs up with a code from the sandbox outbox and lands on their Me page', async ({
  page,
  shell,
  request,
  consoleGuard,
}) => {
  consoleGuard.allow(refusedServerFunction('sign_in_with_code', 422), 'the test types a wrong code first');
  const me = new Identity(page);
  const mobile = freshMobile();

  // Signed out, the Me page offers to sign in.
  await gotoHydrated(page, '/me');
  await expect(shell.heading).toHaveText(T['zh-Hans'].navLink.me);
  await expect(shell.signInPrompt).toBeVisible();
  await me.signInLink.click();
  await expect(page).toHaveURL(`${BASE_URL}/signin?next=/me`);

  await expect(me.mobileInput).toHaveAttribute('autocomplete', 'tel');
  await me.askForCode(`${mobile.slice(0, 3)} ${mobile.slice(3, 7)} ${mobile.slice(7)}`);
  await expect(page).toHaveURL(`${BASE_URL}/signin/code`);
  await expect(me.codeSent).toContainText(masked(mobile));
  await expect(me.codeInput).toHaveAttribute('autocomplete', 'one-time-code');

  const code = await latestCode(request, mobile);
  // A wrong code is explained, and what was typed stays in the field.
  const wrong = code === '000000' ? '111111' : '000000';
  await me.enterCode(wrong);
  await expect(me.formError).toHaveText(zh.codeWrong);
  await expect(me.codeInput).toHaveAttribute('aria-invalid', 'true');
  await expect(me.codeInput).toHaveValue(wrong);
  await audit(page, 'the code page with an error');

  await me.enterCode(code);
  await expect(page).toHaveURL(`${BASE_URL}/me`);
  await expect(me.mePhone).toHaveText(masked(mobile));
  await expect(me.meVerification).toContainText(zh.notVerified);
  await expect(me.devices).toHaveCount(1);
  await expect(me.devices.first()).toContainText(zh.thisDevice);

  // The session survives a reload and ends with sign-out.
  await gotoHydrated(page, '/me');
  await expect(me.mePhone).toHaveText(masked(mobile));
  await me.signOutButton.click();
  await expect(page).toHaveURL(`${BASE_URL}/`);
  await gotoHydrated(page, '/me');
  await expect(shell.signInPrompt).toBeVisible();
});

test('sign-in works with JavaScript disabled', async ({ makeContext, request, profile }) => {
  test.skip(profile !== 'phone', 'one profile is enough for the no-script path');
  const context = await makeContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const me = new Identity(page);
  const mobile = freshMobile();
  await page.goto('/signin?next=/me');
  await me.askForCode(mobile);
  await expect(page).toHaveURL(`${BASE_URL}/signin/code`);
  await expect(me.codeSent).toContainText(masked(mobile));
  // A refused post comes back to the form and says why, in the page's language.
  await me.enterCode('12ab');
  await expect(page.getByTestId('noscript-error')).toHaveText(zh.codeFormat);
  await me.enterCode(await latestCode(request, mobile));
  await expect(page).toHaveURL(`${BASE_URL}/me`);
  await expect(me.mePhone).toHaveText(masked(mobile));
});
