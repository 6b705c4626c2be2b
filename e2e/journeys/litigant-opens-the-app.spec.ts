import { Shell } from '../pages/shell';
import {
  BASE_URL,
  COMING_SOON,
  NEEDS_SIGN_IN,
  NAV_KEYS,
  NAV_PATH,
  SANDBOX_WORD_ZH_HANS,
  T,
  expect,
  gotoHydrated,
  test,
} from '../fixtures';

const zh = T['zh-Hans'];

test('the home page is rendered by the server, also with JavaScript disabled', async ({ page, makeContext }) => {
  // With JavaScript on, the HTML that arrives already holds the page.
  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  expect(await response?.text()).toContain(zh.homeTitle);

  // With JavaScript off, everything a person needs to find their way is there.
  const noScript = await makeContext({ javaScriptEnabled: false });
  const bare = await noScript.newPage();
  const bareResponse = await bare.goto('/');
  expect(bareResponse?.status()).toBe(200);
  const shell = new Shell(bare);
  await expect(shell.html).toHaveAttribute('lang', 'zh-Hans');
  await expect(shell.html).not.toHaveAttribute('data-hydrated', 'true');
  await expect(shell.heading).toHaveText(zh.homeTitle);
  await expect(shell.skipLink).toHaveAttribute('href', '#main');
  await expect(shell.main).toHaveCount(1);
  await expect(shell.sandboxBanner).toContainText(SANDBOX_WORD_ZH_HANS);
  await expect(shell.nav).toBeVisible();
  await expect(shell.navLinks).toHaveCount(NAV_KEYS.length);
  for (const key of NAV_KEYS) {
    await expect(shell.navLink(key)).toHaveAttribute('href', NAV_PATH[key]);
  }
  await expect(shell.navLink('home')).toHaveAttribute('aria-current', 'page');
  await expect(shell.settingsToggle).toHaveText(zh.settings);

  // Every page of the navigation is rendered by the server too.
  for (const key of [...COMING_SOON, ...NEEDS_SIGN_IN]) {
    const pageResponse = await bare.goto(NAV_PATH[key]);
    expect(pageResponse?.status(), `${NAV_PATH[key]} status`).toBe(200);
    await expect(shell.heading).toHaveText(zh.navLink[key]);
    await expect(shell.signedOutBody(key)).toBeVisible();
    await expect(shell.navLink(key)).toHaveAttribute('aria-current', 'page');
    await expect(shell.navLink('home')).not.toHaveAttribute('aria-current', 'page');
  }
});

test('it hydrates and client-side navigation works without a full page load', async ({ page, shell }) => {
  await gotoHydrated(page, '/');
  await expect(shell.heading).toHaveText(zh.homeTitle);
  await expect(shell.sandboxBanner).toContainText(SANDBOX_WORD_ZH_HANS);
  // A full page load would lose this.
  await page.evaluate(() => {
    (window as unknown as { __marker?: number }).__marker = 1;
  });

  for (const key of [...COMING_SOON, ...NEEDS_SIGN_IN]) {
    await shell.goTo(key);
    await expect(page).toHaveURL(`${BASE_URL}${NAV_PATH[key]}`);
    await expect(shell.heading).toHaveText(zh.navLink[key]);
    await expect(shell.signedOutBody(key)).toBeVisible();
    await expect(shell.navLink(key)).toHaveAttribute('aria-current', 'page');
    await expect(shell.navLink('home')).not.toHaveAttribute('aria-current', 'page');
  }
  await shell.goTo('home');
  await expect(page).toHaveURL(`${BASE_URL}/`);
  await expect(shell.heading).toHaveText(zh.homeTitle);
  await expect(shell.navLink('home')).toHaveAttribute('aria-current', 'page');

  const marker = await page.evaluate(() => (window as unknown as { __marker?: number }).__marker);
  expect(marker, 'the page was never fully reloaded').toBe(1);
});
