import type { Locator } from '@playwright/test';
import { BASE_URL, expect, gotoHydrated, reloadHydrated, test } from '../fixtures';

const LARGE_TEXT = /(^|\s)large-text(\s|$)/;

function fontSizePx(text: Locator): Promise<number> {
  return text.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
}

test('large-text mode makes body text bigger and survives a reload', async ({ page, shell }) => {
  await gotoHydrated(page, '/cases');
  await expect(shell.html).not.toHaveClass(LARGE_TEXT);
  await shell.openSettings();
  await expect(shell.largeTextButton).not.toHaveAttribute('aria-pressed', 'true');
  const normal = await fontSizePx(shell.signInPrompt);

  await shell.toggleLargeText();
  await expect(page).toHaveURL(`${BASE_URL}/cases`);
  await expect(shell.html).toHaveClass(LARGE_TEXT);
  await shell.openSettings();
  await expect(shell.largeTextButton).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => fontSizePx(shell.signInPrompt), { message: 'body text is bigger' }).toBeGreaterThan(normal);

  await reloadHydrated(page);
  await expect(shell.html).toHaveClass(LARGE_TEXT);
  await shell.openSettings();
  await expect(shell.largeTextButton).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => fontSizePx(shell.signInPrompt), { message: 'still bigger after a reload' }).toBeGreaterThan(normal);

  // And it can be switched off again.
  await shell.toggleLargeText();
  await expect(shell.html).not.toHaveClass(LARGE_TEXT);
  await shell.openSettings();
  await expect(shell.largeTextButton).not.toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => fontSizePx(shell.signInPrompt), { message: 'back to the normal size' }).toBe(normal);
});

test('with large text and the browser text size at 200% nothing is cut off or needs sideways scrolling', async ({
  page,
  shell,
}) => {
  for (const path of ['/', '/cases']) {
    await gotoHydrated(page, path);
    await shell.toggleLargeText();
    await expect(shell.html).toHaveClass(LARGE_TEXT);
    // 适老化: at least 1.3 line spacing on every kind of text in large-text mode.
    const tight = await page.evaluate(() =>
      [...document.querySelectorAll('h1, h2, p, a, button, summary, .nav-label')]
        .filter((el) => (el as HTMLElement).offsetParent !== null)
        .map((el) => {
          const style = getComputedStyle(el);
          const ratio = style.lineHeight === 'normal' ? 1.2 : parseFloat(style.lineHeight) / parseFloat(style.fontSize);
          return { text: el.textContent?.trim().slice(0, 20), ratio };
        })
        .filter(({ ratio }) => ratio < 1.3 - 1e-6),
    );
    expect(tight, `text with line spacing under 1.3 on ${path}`).toEqual([]);
    // The browser's text-size setting scales the root font; CSSOM changes are allowed by the CSP.
    await page.evaluate(() => {
      document.documentElement.style.fontSize = '200%';
    });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `no sideways scrolling on ${path}`).toBeLessThanOrEqual(0);
    // Every navigation label is fully readable: no text is clipped inside its link.
    const clipped = await shell.nav.locator('a').evaluateAll((links) =>
      links
        .filter((a) => a.scrollWidth > a.clientWidth + 1 || a.scrollHeight > a.clientHeight + 1)
        .map((a) => a.textContent?.trim()),
    );
    expect(clipped, `navigation labels clipped on ${path}`).toEqual([]);
    await expect(shell.heading).toBeInViewport();
    // Back to normal for the next page.
    await page.evaluate(() => {
      document.documentElement.style.fontSize = '';
    });
    await shell.toggleLargeText();
    await expect(shell.html).not.toHaveClass(LARGE_TEXT);
  }
});
