import { Identity } from '../pages/identity';
import { BASE_URL, addVirtualAuthenticator, audit, createStaff, expect, gotoHydrated, test } from '../fixtures';

test('a clerk enrols a passkey from the printed link, signs in with it only, and the link works once', async ({ page, profile }) => {
  test.skip(profile !== 'desktop', 'court staff work on desktop browsers');
  const link = createStaff('京0105', 'clerk', '王书记');
  const authenticator = await addVirtualAuthenticator(page);

  // Hydrated before the audit: while the page hydrates, its title is briefly being set again.
  await gotoHydrated(page, link);
  await expect(page.getByTestId('enrol-name')).toHaveText('王书记');
  await expect(page.getByTestId('enrol-court')).toContainText('朝阳');
  await audit(page, 'the staff enrolment page');
  await page.getByTestId('enrol').click();
  await expect(page).toHaveURL(`${BASE_URL}/staff`);
  await expect(page.getByTestId('staff-name')).toHaveText('王书记');
  await expect(page.getByTestId('staff-court')).toContainText('京0105');
  await expect(page.getByTestId('staff-role')).toHaveText('书记员');
  await expect(page.getByRole('heading', { name: '待核验的律师' })).toBeVisible();
  expect(await authenticator.credentials()).toHaveLength(1);

  // Staff sign out and back in with the passkey only: no SMS step-up is offered to them.
  const me = new Identity(page);
  await gotoHydrated(page, '/me');
  await expect(me.stepUpWithSmsButton).toHaveCount(0);
  await me.signOutButton.click();
  await expect(page).toHaveURL(`${BASE_URL}/`);
  await gotoHydrated(page, '/staff');
  await me.passkeySignInButton.click();
  await expect(page.getByTestId('staff-name')).toHaveText('王书记');

  // The link was used up.
  await gotoHydrated(page, new URL(link).pathname + new URL(link).search);
  await expect(page.getByTestId('enrol-invalid')).toBeVisible();
});
