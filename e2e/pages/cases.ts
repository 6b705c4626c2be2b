import type { Locator, Page } from '@playwright/test';
import { waitForHydration } from '../fixtures/hydration';

/** Electronic service: the staff case page's serve form and proof of service, and the documents on a party's case page. */
export class Service {
  constructor(readonly page: Page) {}

  /** On the staff case page: serves a PDF after ticking the confirmation. */
  async serve(kind: string, title: string, file: { name: string; mimeType: string; buffer: Buffer }, evidenceDays?: string): Promise<void> {
    const form = this.page.getByTestId('serve-form');
    await form.getByTestId('serve-kind').selectOption(kind);
    await form.getByTestId('serve-title').fill(title);
    if (evidenceDays !== undefined) await form.getByTestId('serve-days').fill(evidenceDays);
    await form.getByTestId('serve-file').setInputFiles(file);
    await form.getByTestId('serve-confirm').check();
    // The form is a plain POST: the page comes back from the server and hydrates again.
    const loaded = this.page.waitForEvent('load');
    await form.getByTestId('serve-submit').click();
    await loaded;
    await waitForHydration(this.page);
  }

  /** On the staff case page: records what happened (now, with a note for the parties). */
  async record(kind: string, note: string): Promise<void> {
    const form = this.page.getByTestId('record-form');
    await form.getByTestId('record-kind').selectOption(kind);
    await form.getByTestId('record-note').fill(note);
    await form.getByTestId('record-submit').click();
  }

  /** On the staff case page: moves the case to another stage. */
  async moveTo(stage: string): Promise<void> {
    await this.page.getByTestId('change-stage').selectOption(stage);
    await this.page.getByTestId('change-stage-submit').click();
  }

  /** A document in the staff list of what was served. */
  served(title: string): Locator {
    return this.page.getByTestId('served-document').filter({ hasText: title });
  }

  /** A document on the party's case page. */
  document(title: string): Locator {
    return this.page.getByTestId('case-document').filter({ hasText: title });
  }
}
