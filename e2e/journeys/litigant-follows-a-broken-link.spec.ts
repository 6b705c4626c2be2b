import { Shell } from '../pages/shell';
import { BASE_URL, LANGS, T, expect, gotoHydrated, notFoundResourceAt, test } from '../fixtures';

const MISSING = '/no-such-page';

for (const lang of LANGS) {
  test(`an unknown address gives a 404 page in ${lang}`, async ({ page, shell, consoleGuard }) => {
    consoleGuard.allow(notFoundResourceAt(MISSING), 'Chromium logs the 404 of the page this test asks for on purpose');
    let here: Shell = shell;
    if (lang !== 'zh-Hans') {
      await gotoHydrated(page, '/');
      here = await shell.switchLanguage(lang);
    }

    const response = await gotoHydrated(page, MISSING);
    expect(response?.status()).toBe(404);
    await expect(here.html).toHaveAttribute('lang', lang);
    await expect(here.heading).toHaveText(T[lang].notFound);
    await expect(here.nav).toBeVisible();

    // The navigation still leads home.
    await here.goTo('home');
    await expect(page).toHaveURL(`${BASE_URL}/`);
    await expect(here.heading).toHaveText(T[lang].homeTitle);
  });
}
