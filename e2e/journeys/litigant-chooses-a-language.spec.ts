import { Shell } from '../pages/shell';
import {
  BASE_URL,
  LANGS,
  LOCALE_OF,
  NAV_KEYS,
  T,
  expect,
  gotoHydrated,
  reloadHydrated,
  test,
  type Lang,
} from '../fixtures';

const LARGE_TEXT = /(^|\s)large-text(\s|$)/;

/** What a person sees on /cases in `shell.lang`. */
async function expectCasesPageIn(shell: Shell): Promise<void> {
  const t = T[shell.lang];
  await expect(shell.html).toHaveAttribute('lang', shell.lang);
  await expect(shell.heading).toHaveText(t.navLink.cases);
  await expect(shell.signInPrompt).toBeVisible();
  await expect(shell.nav).toBeVisible();
  for (const key of NAV_KEYS) await expect(shell.navLink(key)).toBeVisible();
  await expect(shell.skipLink).toHaveAttribute('href', '#main');
  await expect(shell.settingsToggle).toHaveText(t.settings);
  await shell.openSettings();
  for (const lang of LANGS) {
    if (lang === shell.lang) await expect(shell.languageButton(lang)).toHaveAttribute('aria-pressed', 'true');
    else await expect(shell.languageButton(lang)).not.toHaveAttribute('aria-pressed', 'true');
  }
}

test('switching language changes the visible text, sets <html lang> and survives a reload', async ({ page, shell }) => {
  await gotoHydrated(page, '/cases');
  await expectCasesPageIn(shell);

  for (const lang of ['en', 'zh-Hant', 'zh-Hans'] satisfies Lang[]) {
    const now = await shell.switchLanguage(lang);
    // The server sends the person back to the page they were on.
    await expect(page).toHaveURL(`${BASE_URL}/cases`);
    await expectCasesPageIn(now);
    await reloadHydrated(page);
    await expectCasesPageIn(now);
  }
});

test('the first visit speaks the browser language: en-US English, zh-TW Traditional, zh-CN Simplified Chinese', async ({
  makeContext,
}) => {
  for (const lang of LANGS) {
    await test.step(`Accept-Language ${LOCALE_OF[lang]} gives ${lang}`, async () => {
      const context = await makeContext({ locale: LOCALE_OF[lang] });
      const page = await context.newPage();
      await gotoHydrated(page, '/');
      const shell = new Shell(page, lang);
      await expect(shell.html).toHaveAttribute('lang', lang);
      await expect(shell.heading).toHaveText(T[lang].homeTitle);
      await expect(shell.nav).toBeVisible();
      await expect(shell.navLink('cases')).toBeVisible();
      await context.close();
    });
  }
});

test('language and text size can be chosen with JavaScript disabled', async ({ makeContext }) => {
  const context = await makeContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/cases');
  const zh = new Shell(page);
  await expect(zh.heading).toHaveText(T['zh-Hans'].navLink.cases);

  const en = await zh.switchLanguage('en', { javaScript: false });
  await expect(page).toHaveURL(`${BASE_URL}/cases`);
  await expect(en.html).toHaveAttribute('lang', 'en');
  await expect(en.heading).toHaveText(T.en.navLink.cases);
  await expect(en.signInPrompt).toBeVisible();

  await en.toggleLargeText({ javaScript: false });
  await expect(page).toHaveURL(`${BASE_URL}/cases`);
  await expect(en.html).toHaveClass(LARGE_TEXT);
  await en.openSettings();
  await expect(en.largeTextButton).toHaveAttribute('aria-pressed', 'true');
  await expect(en.languageButton('en')).toHaveAttribute('aria-pressed', 'true');

  await page.reload();
  await expect(en.html).toHaveAttribute('lang', 'en');
  await expect(en.html).toHaveClass(LARGE_TEXT);
  await expect(en.heading).toHaveText(T.en.navLink.cases);
});
