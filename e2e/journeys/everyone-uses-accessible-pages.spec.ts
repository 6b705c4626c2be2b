import { audit, expect, gotoHydrated, notFoundResourceAt, test, type Lang } from '../fixtures';

const LARGE_TEXT = /(^|\s)large-text(\s|$)/;

const PAGES = [
  { name: 'the home page', path: '/' },
  { name: 'the case list asking to sign in', path: '/cases' },
  { name: 'the sign-in page', path: '/signin' },
  { name: 'a page that asks to sign in first', path: '/file' },
  { name: 'the 404 page', path: '/no-such-page' },
  { name: 'the fee calculator with a worked fee', path: '/fees/calculator?kind=property&amount=150000&halve=mediation' },
  { name: 'the public case lookup with a code that matches nothing', path: `/lookup?number=${encodeURIComponent('(2026)京0105民初1号')}&code=2222-2222` },
];

const VARIANTS: { name: string; lang: Lang; largeText: boolean }[] = [
  { name: 'in Simplified Chinese', lang: 'zh-Hans', largeText: false },
  { name: 'in English', lang: 'en', largeText: false },
  { name: 'in Simplified Chinese with large text', lang: 'zh-Hans', largeText: true },
];

for (const variant of VARIANTS) {
  for (const target of PAGES) {
    test(`${target.name} has no serious accessibility violations ${variant.name}`, async ({
      page,
      shell,
      consoleGuard,
    }) => {
      if (target.path === '/no-such-page') {
        consoleGuard.allow(notFoundResourceAt(target.path), 'Chromium logs the 404 of the page this test asks for on purpose');
      }
      let here = shell;
      if (variant.lang !== 'zh-Hans' || variant.largeText) {
        await gotoHydrated(page, '/');
        if (variant.lang !== 'zh-Hans') here = await shell.switchLanguage(variant.lang);
        if (variant.largeText) await here.toggleLargeText();
      }

      await gotoHydrated(page, target.path);
      await expect(here.html).toHaveAttribute('lang', variant.lang);
      if (variant.largeText) await expect(here.html).toHaveClass(LARGE_TEXT);
      await audit(page, `${target.path} ${variant.name}`);

      // The settings menu is part of every page; check it open too.
      await here.openSettings();
      await expect(here.largeTextButton).toBeVisible();
      await audit(page, `${target.path} ${variant.name}, settings menu open`);
    });
  }
}
