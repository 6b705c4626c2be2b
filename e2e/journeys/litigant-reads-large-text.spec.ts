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
  const normal = await fontSizePx(shell.comingSoon);

  await shell.toggleLargeText();
  await expect(page).toHaveURL(`${BASE_URL}/cases`);
  await expect(shell.html).toHaveClass(LARGE_TEXT);
  await shell.openSettings();
  await expect(shell.largeTextButton).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => fontSizePx(shell.comingSoon), { message: 'body text is bigger' }).toBeGreaterThan(normal);

  await reloadHydrated(page);
  await expect(shell.html).toHaveClass(LARGE_TEXT);
  await shell.openSettings();
  await expect(shell.largeTextButton).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => fontSizePx(shell.comingSoon), { message: 'still bigger after a reload' }).toBeGreaterThan(normal);

  // And it can be switched off again.
  await shell.toggleLargeText();
  await expect(shell.html).not.toHaveClass(LARGE_TEXT);
  await shell.openSettings();
  await expect(shell.largeTextButton).not.toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => fontSizePx(shell.comingSoon), { message: 'back to the normal size' }).toBe(normal);
});
