import type { Locator, Page } from '@playwright/test';
import { Identity } from '../pages/identity';
import {
  BASE_URL,
  audit,
  addVirtualAuthenticator,
  expect,
  freshMobile,
  gotoHydrated,
  latestCode,
  masked,
  test,
  type Profile,
} from '../fixtures';

/** Opens a passkey's "rename or remove" disclosure unless it is open already. */
async function openManage(passkey: Locator): Promise<void> {
  const details = passkey.locator('details');
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator('summary').click();
}

async function sessionCookie(page: Page): Promise<string | undefined> {
  return (await page.context().cookies()).find((c) => c.name === 'tp_session')?.value;
}

/** Registered identities (sandbox registry) for this journey, one per profile that runs it. */
const PERSON: Partial<Record<Profile, { name: string; id: string }>> = {
  phone: { name: '罗海燕', id: '440106198104061097' },
  tablet: { name: '高文博', id: '330102198809171121' },
};

test('a verified person adds a passkey, steps up with it, signs in with it without typing, then renames and removes it', async ({
  page,
  request,
  profile,
}) => {
  const person = PERSON[profile];
  test.skip(!person, 'passkeys are journeys of phones and tablets');
  const authenticator = await addVirtualAuthenticator(page);
  const me = new Identity(page);
  const mobile = freshMobile();

  await me.signInBySms(request, mobile, '/me/verify');
  await me.verify(person!.name, person!.id);
  await page.waitForURL(`${BASE_URL}/me`);
  await gotoHydrated(page, '/me');
  await expect(page.getByTestId('no-passkeys')).toBeVisible();

  await me.passkeyNameInput.fill('我的手机');
  await me.addPasskeyButton.click();
  await expect(me.passkeys).toHaveCount(1);
  await expect(me.passkeys.first()).toContainText('我的手机');
  const held = await authenticator.credentials();
  expect(held, 'one discoverable credential on the authenticator').toHaveLength(1);
  expect(held[0].isResidentCredential).toBe(true);
  expect(held[0].rpId).toBe('localhost');
  await audit(page, 'the Me page of a verified person with a passkey');

  // Step-up with the passkey: a fresh confirmation, and the session gets a new id.
  const before = await sessionCookie(page);
  await me.stepUpWithPasskeyButton.click();
  await expect.poll(() => sessionCookie(page), { message: 'the session id is rotated' }).not.toBe(before);
  await expect(me.steppedUp).toBeVisible();

  await me.signOutButton.click();
  await expect(page).toHaveURL(`${BASE_URL}/`);

  // Sign in again with nothing typed.
  await me.openSignIn('/me');
  await me.passkeySignInButton.click();
  await expect(page).toHaveURL(`${BASE_URL}/me`);
  await expect(me.mePhone).toHaveText(masked(mobile));
  await expect(me.meName).toHaveText(person!.name);
  await expect(me.steppedUp).toBeVisible();

  // Rename, then remove (SMS remains a way in).
  await openManage(me.passkeys.first());
  await me.passkeys.first().getByRole('textbox').fill('旧手机');
  await me.passkeys.first().getByRole('button', { name: '保存名称' }).click();
  await expect(me.passkeys.first()).toContainText('旧手机');
  await openManage(me.passkeys.first());
  await me.passkeys.first().getByRole('button', { name: '删除此通行密钥' }).click();
  await expect(page.getByTestId('no-passkeys')).toBeVisible();
});

test('where passkeys are absent, a step-up by SMS code confirms it is you', async ({ page, request, profile }) => {
  test.skip(profile !== 'wechat', 'SMS step-up is what WeChat, without passkeys, uses');
  // The same number may receive a new code only 60 seconds after the sign-in code.
  test.setTimeout(180_000);
  const me = new Identity(page);
  const mobile = freshMobile();
  await me.signInBySms(request, mobile);
  const before = await sessionCookie(page);
  await page.waitForTimeout(61_000);
  await me.stepUpWithSmsButton.click();
  await me.codeInput.fill(await latestCode(request, mobile, 1));
  await page.getByRole('button', { name: '确认', exact: true }).click();
  await expect.poll(() => sessionCookie(page), { message: 'the session id is rotated' }).not.toBe(before);
  await expect(me.steppedUp).toBeVisible();
});

test('inside WeChat passkeys are hidden, SMS works, and the hint copies the link for a browser', async ({
  page,
  request,
  profile,
  context,
}) => {
  test.skip(profile !== 'wechat', 'the WeChat web-view has no WebAuthn');
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const me = new Identity(page);
  await me.openSignIn();
  await expect(me.getCodeButton).toBeVisible();
  await expect(me.passkeySignInButton).toHaveCount(0);

  const mobile = freshMobile();
  await me.askForCode(mobile);
  await expect(me.codeSent).toBeVisible();
  await me.enterCode(await latestCode(request, mobile));
  await expect(page).toHaveURL(`${BASE_URL}/me`);
  await expect(me.passkeysUnavailable).toBeVisible();
  await expect(me.addPasskeyButton).toHaveCount(0);
  await expect(me.stepUpWithPasskeyButton).toHaveCount(0);
  await me.passkeysUnavailable.getByRole('button').click();
  await expect(me.passkeysUnavailable.getByRole('status')).not.toBeEmpty();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${BASE_URL}/me`);
});
