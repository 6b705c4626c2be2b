import type { Locator } from '@playwright/test';
import { LANGS, NAV_KEYS, expect, gotoHydrated, test } from '../fixtures';

async function boxOf(locator: Locator) {
  const box = await locator.boundingBox();
  expect(box, 'the element is rendered').not.toBeNull();
  return box!;
}

test('the main navigation is a bottom bar on phones and a side column on wider screens', async ({
  page,
  shell,
  profile,
  viewport,
}) => {
  const { width, height } = viewport!;
  const phoneSized = width < 768;
  expect(phoneSized, `the ${profile} profile is ${width} px wide`).toBe(profile === 'phone' || profile === 'wechat');

  await gotoHydrated(page, '/');
  await expect(shell.nav).toBeVisible();
  await expect(shell.navLinks).toHaveCount(NAV_KEYS.length);
  const nav = await boxOf(shell.nav);

  if (phoneSized) {
    // A bar across the bottom of the screen, every link on screen.
    expect(nav.y, 'the bar is in the lower part of the screen').toBeGreaterThan(height / 2);
    expect(nav.y + nav.height, 'the bar touches the bottom of the screen').toBeGreaterThanOrEqual(height - 1);
    expect(nav.y + nav.height).toBeLessThanOrEqual(height + 1);
    expect(nav.x).toBeLessThanOrEqual(1);
    expect(nav.width, 'the bar spans the screen').toBeGreaterThanOrEqual(width - 1);
    for (const key of NAV_KEYS) {
      const link = await boxOf(shell.navLink(key));
      expect(link.x, `${key} starts on screen`).toBeGreaterThanOrEqual(0);
      expect(link.x + link.width, `${key} ends on screen`).toBeLessThanOrEqual(width + 0.5);
      expect(link.y + link.height, `${key} is inside the screen`).toBeLessThanOrEqual(height + 0.5);
    }
  } else {
    // A column at the left edge, links one under another.
    expect(nav.x, 'the column is at the left edge').toBeLessThanOrEqual(1);
    expect(nav.y, 'the column starts in the upper part of the screen').toBeLessThan(height / 2);
    expect(nav.width, 'the column is narrower than half the screen').toBeLessThan(width / 2);
    expect(nav.height, 'the column is taller than it is wide').toBeGreaterThan(nav.width);
    let previousTop = -Infinity;
    for (const key of NAV_KEYS) {
      const link = await boxOf(shell.navLink(key));
      expect(link.y, `${key} is below the link before it`).toBeGreaterThan(previousTop);
      previousTop = link.y;
    }
  }
});

test('navigation links and settings controls are big enough to touch: 44 px on touch screens, 24 px with a mouse', async ({
  page,
  shell,
  hasTouch,
}) => {
  const min = hasTouch ? 44 : 24;
  await gotoHydrated(page, '/');
  await shell.openSettings();
  await expect(shell.largeTextButton).toBeVisible();

  const targets: [string, Locator][] = [
    ...NAV_KEYS.map((key): [string, Locator] => [`nav link ${key}`, shell.navLink(key)]),
    ['settings toggle', shell.settingsToggle],
    ...LANGS.map((lang): [string, Locator] => [`language button ${lang}`, shell.languageButton(lang)]),
    ['large-text button', shell.largeTextButton],
  ];
  const tooSmall: string[] = [];
  for (const [name, target] of targets) {
    const box = await boxOf(target);
    if (box.width < min || box.height < min) tooSmall.push(`${name}: ${box.width.toFixed(1)}×${box.height.toFixed(1)} px`);
  }
  expect(tooSmall, `controls smaller than ${min}×${min} px`).toEqual([]);
});
