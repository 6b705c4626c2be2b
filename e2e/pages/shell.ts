import type { Locator, Page } from '@playwright/test';
import { waitForHydration } from '../fixtures/hydration';
import { COMING_SOON, LANGUAGE_BUTTON, T, type Lang, type NavKey } from '../fixtures/strings';

export interface ReloadOptions {
  /** Whether the page runs JavaScript (then the verb also waits for hydration). */
  javaScript?: boolean;
}

/**
 * The frame around every page: skip link, sandbox banner, main navigation, settings menu
 * (language and text size) and the main heading. Locators and verbs only; tests assert.
 * Names depend on the page's language, so a Shell is made for one language; `in(lang)` gives
 * the same shell read in another language.
 */
export class Shell {
  constructor(
    readonly page: Page,
    readonly lang: Lang = 'zh-Hans',
  ) {}

  in(lang: Lang): Shell {
    return new Shell(this.page, lang);
  }

  get html(): Locator {
    return this.page.locator('html');
  }

  /** The page's one `<h1>`. */
  get heading(): Locator {
    return this.page.getByRole('heading', { level: 1 });
  }

  get main(): Locator {
    return this.page.locator('#main');
  }

  get skipLink(): Locator {
    return this.page.getByRole('link', { name: T[this.lang].skipLink, exact: true });
  }

  get sandboxBanner(): Locator {
    return this.page.locator('.sandbox-banner[role="status"]');
  }

  get nav(): Locator {
    return this.page.getByRole('navigation', { name: T[this.lang].nav, exact: true });
  }

  get navLinks(): Locator {
    return this.nav.getByRole('link');
  }

  navLink(key: NavKey): Locator {
    return this.nav.getByRole('link', { name: T[this.lang].navLink[key], exact: true });
  }

  /** The coming-soon paragraph of a page that is not built yet. */
  /** What a signed-out person sees on a page that needs them signed in. */
  get signInPrompt(): Locator {
    return this.page.getByTestId('sign-in-prompt');
  }

  /** The body a signed-out visitor sees on a navigation page: coming-soon text or the sign-in prompt. */
  signedOutBody(key: NavKey): Locator {
    return COMING_SOON.includes(key) ? this.comingSoon : this.signInPrompt;
  }

  get comingSoon(): Locator {
    return this.page.getByText(T[this.lang].comingSoon, { exact: true });
  }

  get settingsMenu(): Locator {
    return this.page.locator('details.settings-menu');
  }

  get settingsToggle(): Locator {
    return this.settingsMenu.locator('summary');
  }

  languageButton(lang: Lang): Locator {
    return this.settingsMenu.getByRole('button', { name: LANGUAGE_BUTTON[lang], exact: true });
  }

  get largeTextButton(): Locator {
    return this.settingsMenu.getByRole('button', { name: T[this.lang].largeText, exact: true });
  }

  /** Follows a link of the main navigation. */
  async goTo(key: NavKey): Promise<void> {
    await this.navLink(key).click();
  }

  /** Opens the settings menu unless it is open already. */
  async openSettings(): Promise<void> {
    // Read through a selector, not evaluate(), so this also works with JavaScript disabled.
    const open = (await this.page.locator('details.settings-menu[open]').count()) > 0;
    if (!open) await this.settingsToggle.click();
  }

  /**
   * Chooses a language in the settings menu and waits for the page in that language (the form
   * posts, the server sets the cookie and redirects back). Returns the shell read in `lang`.
   */
  async switchLanguage(lang: Lang, { javaScript = true }: ReloadOptions = {}): Promise<Shell> {
    await this.openSettings();
    await this.languageButton(lang).click();
    await this.page.locator(`html[lang="${lang}"]`).waitFor({ state: 'attached' });
    if (javaScript) await waitForHydration(this.page);
    return this.in(lang);
  }

  /** Presses the large-text button and waits for the page with text size flipped. */
  async toggleLargeText({ javaScript = true }: ReloadOptions = {}): Promise<void> {
    const wasOn = (await this.page.locator('html.large-text').count()) > 0;
    await this.openSettings();
    await this.largeTextButton.click();
    await this.page.locator(wasOn ? 'html:not(.large-text)' : 'html.large-text').waitFor({ state: 'attached' });
    if (javaScript) await waitForHydration(this.page);
  }
}
