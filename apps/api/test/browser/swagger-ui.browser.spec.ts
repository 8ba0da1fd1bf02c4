import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Browser, BrowserContext, Page } from 'playwright-core';

import {
  BUILT_MAIN,
  type DemoBanner,
  parseDemoBanner,
  REPO_ROOT,
  requireBuilt,
  spawnBuiltApp,
  stopSpawned,
  waitUntilListening,
} from '../support/built-app';
import {
  authorizeBearer,
  CHROMIUM,
  chromiumAvailable,
  launchChromium,
  liveResponse,
  openDocs,
  operation,
  signWith,
  tryItOut,
} from './swagger-page';

/** Where the screenshots go: CI keeps this folder as an artifact (see README, "Swagger UI"). */
const SCREENSHOTS = join(REPO_ROOT, 'reports/screenshots');
/** The committed picture of a signed "Try it out"; refreshed with UPDATE_DOCS_SCREENSHOTS=1. */
const DOCS_IMAGE = join(REPO_ROOT, 'docs/images/swagger-signed-try-it-out.png');

const ARS_START = '/users/v1/member/phone-number/ars';
const KEYPAD = '/dev/ars/{verificationId}/keypad';
const PHONE_NUMBER = '/users/v1/member/phone-number';
const MEMBER = '/users/v1/member';
const NEW_NUMBER = '01000000000';

const required = process.env.REQUIRE_BROWSER === '1';
const runs = chromiumAvailable() || required;
if (!runs) {
  process.stderr.write(
    `swagger-ui.browser.spec: skipped, ${CHROMIUM} is not installed (apt-get install chromium); ` +
      'set REQUIRE_BROWSER=1 to make its absence a failure.\n',
  );
}

// Chromium and the built service both start here; a loaded CI machine needs room.
jest.setTimeout(180_000);

interface SeenRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | null;
}

/** A fresh browser context (nothing shared between tests) recording every request the page sends. */
async function recordingPage(
  browser: Browser,
): Promise<{ context: BrowserContext; page: Page; requests: () => Promise<SeenRequest[]> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const seen: Promise<SeenRequest>[] = [];
  page.on('request', (sent) => {
    seen.push(
      sent.allHeaders().then((headers) => ({
        url: sent.url(),
        method: sent.method(),
        headers,
        body: sent.postData(),
      })),
    );
  });
  return { context, page, requests: () => Promise.all(seen) };
}

(runs ? describe : describe.skip)(
  'Swagger UI at /docs, driven in Debian chromium against the built service',
  () => {
    const folder = mkdtempSync(join(tmpdir(), 'member-phone-browser-'));
    let browser: Browser;
    let banner: DemoBanner;
    let baseUrl: string;

    beforeAll(async () => {
      if (!chromiumAvailable()) {
        throw new Error(`REQUIRE_BROWSER=1 but ${CHROMIUM} is missing: install Debian's chromium package`);
      }
      requireBuilt(BUILT_MAIN);
      mkdirSync(SCREENSHOTS, { recursive: true });
      // `npm start` in an empty folder: development mode, the demo seed, SQLite under ./data.
      const app = spawnBuiltApp({ cwd: folder, env: { NODE_ENV: 'development', LOG_LEVEL: 'warn' } });
      baseUrl = await waitUntilListening(app);
      banner = parseDemoBanner(app.stdout);
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
      await stopSpawned();
      rmSync(folder, { recursive: true, force: true });
    });

    it('explains ARS and the demo credentials, and replaces the hmac box of Authorize with a pointer', async () => {
      const { context, page } = await recordingPage(browser);
      try {
        await openDocs(page, baseUrl);
        const panel = page.locator('#member-phone-signing');
        await expect(panel.innerText()).resolves.toMatch(
          /ARS \(automatic response system\) is the second authentication/,
        );
        await expect(panel.innerText()).resolves.toContain('member@example.com');
        await expect(panel.innerText()).resolves.toContain('member-phone: demo credentials (shown once)');
        await expect(panel.innerText()).resolves.toContain('POST /dev/ars/{verificationId}/keypad');

        await page.locator('.scheme-container button.authorize').click();
        const hmac = page.locator('.modal-ux .member-phone-hmac-note');
        await expect(hmac.innerText()).resolves.toContain('enter the API key and secret');
        await expect(
          page.locator('.modal-ux .auth-container', { hasText: 'hmac' }).locator('input').count(),
        ).resolves.toBe(0);
      } finally {
        await context.close();
      }
    });

    it('signs each "Try it out" with the demo API key in the page: ARS start, simulated keypad, PUT succeed', async () => {
      const { context, page, requests } = await recordingPage(browser);
      try {
        await openDocs(page, baseUrl);
        await signWith(page, banner.apiKey, banner.apiSecret);
        await expect(page.getByLabel('API secret', { exact: true }).inputValue()).resolves.toBe('');
        await page
          .locator('#member-phone-signing')
          .screenshot({ path: join(SCREENSHOTS, '0-signing-panel.png') });

        const started = await tryItOut(operation(page, 'post', ARS_START), {
          body: { phoneNumber: NEW_NUMBER },
        });
        expect(started).toMatchObject({
          status: 201,
          body: { phoneNumber: NEW_NUMBER, status: 'CALLING', attemptsLeft: 5 },
        });
        const { verificationId, code } = started.body as { verificationId: string; code: string };
        expect(code).toMatch(/^\d{6}$/);
        expect(started.curl).toMatch(
          /-H 'Authorization: HMAC-SHA256 apiKey=\S+, date=\S+, salt=\w{32}, signature=[0-9a-f]{64}'/,
        );
        await expect(page.locator('#member-phone-last-verification').innerText()).resolves.toContain(code);
        await liveResponse(operation(page, 'post', ARS_START)).screenshot({
          path: join(SCREENSHOTS, '1-ars-started.png'),
        });

        const pressed = await tryItOut(operation(page, 'post', KEYPAD), {
          params: { verificationId },
          body: { digits: code },
        });
        expect(pressed).toMatchObject({ status: 200, body: { outcome: 'verified', status: 'VERIFIED' } });
        await liveResponse(operation(page, 'post', KEYPAD)).screenshot({
          path: join(SCREENSHOTS, '2-keypad-pressed.png'),
        });

        const putBlock = operation(page, 'put', PHONE_NUMBER);
        const updated = await tryItOut(putBlock, { body: { phoneNumber: NEW_NUMBER } });
        expect(updated).toMatchObject({
          status: 200,
          body: { memberId: banner.memberId, email: banner.email, phoneNumber: NEW_NUMBER, status: 'ACTIVE' },
        });
        expect(updated.curl).toContain(`apiKey=${banner.apiKey}`);
        await expect(page.locator('#member-phone-signing-status').innerText()).resolves.toContain(
          '(2 signed so far)',
        );
        const picture = join(SCREENSHOTS, '3-swagger-signed-try-it-out.png');
        await liveResponse(putBlock).screenshot({ path: picture });
        if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') copyFileSync(picture, DOCS_IMAGE);

        // What went over the wire: only to the app, the secret never, a fresh signature per API call.
        const seen = await requests();
        const api = seen.filter((r) => new URL(r.url).pathname.startsWith('/users/'));
        expect(seen.filter((r) => !r.url.startsWith(`${baseUrl}/`))).toEqual([]);
        expect(seen.filter((r) => JSON.stringify(r).includes(banner.apiSecret))).toEqual([]);
        expect(api.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
          `POST ${ARS_START}`,
          `PUT ${PHONE_NUMBER}`,
        ]);
        const signatures = api.map(
          (r) => /signature=([0-9a-f]{64})$/.exec(r.headers.authorization ?? '')?.[1],
        );
        expect(new Set(signatures).size).toBe(2);
        expect(signatures.every(Boolean)).toBe(true);
        const keypad = seen.find((r) => r.url.includes('/dev/ars/'));
        expect(keypad?.headers.authorization).toBeUndefined();
      } finally {
        await context.close();
      }
    });

    it('shows SignatureDoesNotMatch when the page signs with a wrong secret', async () => {
      const { context, page } = await recordingPage(browser);
      try {
        await openDocs(page, baseUrl);
        await signWith(page, banner.apiKey, `${banner.apiSecret}-wrong`);
        const answer = await tryItOut(operation(page, 'get', MEMBER));
        expect(answer).toMatchObject({
          status: 403,
          body: { errorCode: 'SignatureDoesNotMatch', errorMessage: expect.any(String) },
        });
        await liveResponse(operation(page, 'get', MEMBER)).screenshot({
          path: join(SCREENSHOTS, '4-wrong-secret.png'),
        });
      } finally {
        await context.close();
      }
    });

    it('sends the bearer token of the Authorize dialog while no API key is entered', async () => {
      const { context, page, requests } = await recordingPage(browser);
      try {
        await openDocs(page, baseUrl);
        await authorizeBearer(page, banner.token);
        const answer = await tryItOut(operation(page, 'get', MEMBER));
        expect(answer).toMatchObject({ status: 200, body: { memberId: banner.memberId } });
        const sent = (await requests()).find((r) => r.url === `${baseUrl}${MEMBER}`);
        expect(sent?.headers.authorization).toBe(`Bearer ${banner.token}`);
      } finally {
        await context.close();
      }
    });
  },
);
