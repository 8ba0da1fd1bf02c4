import { existsSync } from 'node:fs';

import { type Browser, chromium, type Locator, type Page } from 'playwright-core';

/** Debian's chromium: the only browser these specs drive (never a downloaded one). */
export const CHROMIUM = '/usr/bin/chromium';

/** Quiet, offline, CI-safe: no sandbox (root in containers), no GPU, no background traffic. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** What the page shows after "Execute": status, body (parsed when JSON) and the curl line. */
export interface ShownResponse {
  status: number;
  body: unknown;
  curl: string;
}

/** One operation block of Swagger UI, found by method and documented path. */
export function operation(page: Page, method: string, path: string): Locator {
  return page.locator(`.opblock.opblock-${method.toLowerCase()}`, {
    has: page.locator(`.opblock-summary-path[data-path="${path}"]`),
  });
}

/** Opens `/docs` and waits until Swagger UI has rendered the operations and the signing panel. */
export async function openDocs(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/docs`);
  await page.locator('.opblock').first().waitFor();
  await page.locator('#member-phone-signing').waitFor();
}

/** Enters an API key and secret in the signing panel, and waits until the page says it signs. */
export async function signWith(page: Page, apiKey: string, apiSecret: string): Promise<void> {
  await page.getByLabel('API key', { exact: true }).fill(apiKey);
  await page.getByLabel('API secret', { exact: true }).fill(apiSecret);
  await page.getByRole('button', { name: 'Sign requests' }).click();
  await page.locator('#member-phone-signing-status.member-phone-on').waitFor();
}

/**
 * Runs one operation through "Try it out": fills path parameters and the JSON body, presses Execute
 * and reads the answer as the page shows it.
 */
export async function tryItOut(
  block: Locator,
  input: { params?: Record<string, string>; body?: unknown } = {},
): Promise<ShownResponse> {
  await block.locator('.opblock-summary').first().click();
  await block.locator('button.try-out__btn').click();
  for (const [name, value] of Object.entries(input.params ?? {})) {
    await block.locator(`tr[data-param-name="${name}"] input`).fill(value);
  }
  if (input.body !== undefined) {
    await block.locator('textarea.body-param__text').fill(JSON.stringify(input.body, null, 2));
  }
  await block.locator('button.execute').click();
  const live = block.locator('.live-responses-table');
  await live.waitFor();
  const status = Number((await live.locator('tr.response .response-col_status').first().innerText()).trim());
  const text = await live.locator('.response-col_description pre').first().innerText();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text as shown
  }
  const curl = await block.locator('.curl-command .curl').first().innerText();
  return { status, body, curl };
}

/** The part of an operation block that shows the request sent and the answer received. */
export function liveResponse(block: Locator): Locator {
  return block
    .locator('.responses-inner > div', { has: block.page().locator('.live-responses-table') })
    .first();
}

/** Authorizes the bearer scheme through Swagger UI's own Authorize dialog. */
export async function authorizeBearer(page: Page, token: string): Promise<void> {
  await page.locator('.scheme-container button.authorize').click();
  const dialog = page.locator('.modal-ux');
  const bearer = dialog
    .locator('.auth-container')
    .filter({ has: page.locator('h4', { hasText: /^bearer/ }) });
  await bearer.locator('input').fill(token);
  await bearer.locator('button.authorize').click();
  await bearer.locator('button', { hasText: 'Logout' }).waitFor();
  await dialog.locator('button.close-modal').click();
  await dialog.waitFor({ state: 'detached' });
}
