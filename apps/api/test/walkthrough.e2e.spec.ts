import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type Member, MEMBER_FIELDS } from '@member-phone/core';

import {
  BUILT_CLI,
  BUILT_MAIN,
  cleanEnv,
  type DemoBanner,
  parseDemoBanner,
  REPO_ROOT,
  requireBuilt,
  spawnBuiltApp,
  stopSpawned,
  waitUntilListening,
} from './support/built-app';
import { bashBlocksOfSection, type BlockRun, runBlocksInOneShell } from './support/readme-walkthrough';

// The README's walkthrough writes these two files itself; the names are kept as the README has them.
const README_ADDRESS = '127.0.0.1:3000';

const blocks = bashBlocksOfSection(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8'), 'Walkthrough');

/**
 * The README's answer under a block, as a matcher: `"…"` stands for any string, and `illustrative`
 * replaces values the README shows only as an example.
 */
function documentedAnswer(documented: string | undefined, illustrative: Record<string, unknown> = {}) {
  if (documented === undefined) throw new Error('the README shows no answer under this block');
  const shown = JSON.parse(documented) as Record<string, unknown>;
  const matcher = Object.fromEntries(
    Object.entries(shown).map(([key, value]) => [
      key,
      key in illustrative
        ? illustrative[key]
        : typeof value === 'string' && value.includes('…')
          ? expect.any(String)
          : value,
    ]),
  );
  return { keys: Object.keys(shown), matcher };
}

function parsedJson(run: BlockRun): Record<string, unknown> {
  try {
    return JSON.parse(run.stdout) as Record<string, unknown>;
  } catch {
    throw new Error(`the block printed no JSON:\n${run.stdout}\n${run.stderr}`);
  }
}

/** What the reader sees on the terminal besides the answers: nothing, apart from npm's own warnings. */
function unexpectedStderr(run: BlockRun): string {
  return run.stderr
    .split('\n')
    .filter((line) => line.trim() && !/^npm warn/i.test(line))
    .join('\n');
}

// What each block must be, in README order, recognised by a piece of its text.
const STEPS = [
  { name: 'issue a token with the CLI', has: 'tokens issue --member member@example.com' },
  { name: 'send the seed request before ARS', has: '-X PUT' },
  { name: 'start the ARS verification', has: '/users/v1/member/phone-number/ars' },
  { name: 'press the simulated keypad', has: '/dev/ars/$VERIFICATION_ID/keypad' },
  { name: 'send the seed request again', has: '-X PUT' },
  { name: 'show the audit trail', has: 'cli -- audit --member member@example.com' },
  { name: 'call the API with an HMAC-signed request', has: 'signHmacAuthorization' },
] as const;

describe('README.md "## Walkthrough", run as written against the built app', () => {
  let dataDir: string;
  let banner: DemoBanner;
  let runs: BlockRun[];
  let workFolder = '';

  beforeAll(async () => {
    requireBuilt(BUILT_MAIN, BUILT_CLI);
    const misplaced = STEPS.filter((step, index) => !blocks[index]?.source.includes(step.has));
    expect({ blocks: blocks.length, misplaced: misplaced.map((step) => step.name) }).toEqual({
      blocks: STEPS.length,
      misplaced: [],
    });
    for (const block of blocks) {
      // Only the README's one address is rewritten: any other would reach whatever listens there.
      expect(block.source.replaceAll(README_ADDRESS, '')).not.toMatch(/localhost|127\.0\.0\.1|:3000\b/);
    }

    dataDir = mkdtempSync(join(tmpdir(), 'member-phone-walkthrough-'));
    // `npm start` at the repository root; DATA_DIR keeps the developer's ./data out of it.
    const app = spawnBuiltApp({ cwd: REPO_ROOT, env: { DATA_DIR: dataDir } });
    const baseUrl = await waitUntilListening(app);
    banner = parseDemoBanner(app.stdout);

    const address = baseUrl.replace(/^http:\/\//, '');
    // One more "block" after the README's: where its private WORK folder is, to read the files kept there.
    const result = await runBlocksInOneShell(
      [...blocks.map((block) => block.source.replaceAll(README_ADDRESS, address)), 'printf %s "$WORK"'],
      {
        cwd: REPO_ROOT,
        // The second terminal runs the CLI on the same database as the service.
        env: cleanEnv({ DATA_DIR: dataDir }),
        workDir: join(dataDir, 'walkthrough'),
        timeoutMs: 50_000,
      },
    );
    expect({ exit: result.exit, stderr: result.stderr }).toEqual({
      exit: { code: 0, signal: null },
      stderr: '',
    });
    runs = result.runs;
    workFolder = runs[blocks.length]?.stdout ?? '';
    expect(workFolder).toMatch(/^\/.+/);
  }, 70_000);

  afterAll(async () => {
    await stopSpawned();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (workFolder) rmSync(workFolder, { recursive: true, force: true });
  });

  const kept = (name: string): unknown => JSON.parse(readFileSync(join(workFolder, name), 'utf8'));

  const run = (index: number): BlockRun => {
    const found = runs[index];
    if (!found) throw new Error(`block ${index} did not run`);
    expect({ status: found.status, stderr: unexpectedStderr(found) }).toEqual({ status: 0, stderr: '' });
    return found;
  };

  it(`1. ${STEPS[0].name}: prints nothing, TOKEN is set for the next blocks`, () => {
    expect(run(0).stdout).toBe('');
  });

  it(`2. ${STEPS[1].name}: answers SecondAuthRequired exactly as the README shows`, () => {
    const { keys, matcher } = documentedAnswer(blocks[1]!.documentedOutput);
    const answer = parsedJson(run(1));
    expect(answer).toEqual(matcher);
    expect(Object.keys(answer)).toEqual(keys);
    expect(answer.errorCode).toBe('SecondAuthRequired');
  });

  it(`3. ${STEPS[2].name}: answers a CALLING verification with its code, saved in the WORK folder`, () => {
    const { keys, matcher } = documentedAnswer(blocks[2]!.documentedOutput, {
      code: expect.stringMatching(/^\d{6}$/),
    });
    const answer = parsedJson(run(2));
    expect(answer).toEqual(matcher);
    expect(Object.keys(answer)).toEqual(keys);
    expect(answer).toMatchObject({
      verificationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      phoneNumber: '01000000000',
      status: 'CALLING',
    });
    expect(kept('ars.json')).toEqual(answer);
  });

  it(`4. ${STEPS[3].name}: answers verified exactly as the README shows`, () => {
    const { keys, matcher } = documentedAnswer(blocks[3]!.documentedOutput);
    const answer = parsedJson(run(3));
    expect(answer).toEqual(matcher);
    expect(Object.keys(answer)).toEqual(keys);
    expect(answer).toEqual({ outcome: 'verified', status: 'VERIFIED' });
  });

  it(`5. ${STEPS[4].name}: answers the demo member with phoneNumber 01000000000`, () => {
    const { keys, matcher } = documentedAnswer(blocks[4]!.documentedOutput);
    const answer = parsedJson(run(4));
    expect(answer).toEqual(matcher);
    expect(Object.keys(answer)).toEqual(keys);
    expect(keys).toEqual([...MEMBER_FIELDS]);
    expect(answer).toMatchObject({
      memberId: banner.memberId,
      email: 'member@example.com',
      phoneNumber: '01000000000',
      status: 'ACTIVE',
    });
  });

  it(`6. ${STEPS[5].name}: lists every step, newest first, phone.changed on top, numbers masked`, () => {
    const output = run(5).stdout;
    const entries = output
      .trim()
      .split('\n')
      .map(
        (line) => JSON.parse(line) as { type: string; memberId: string; details: Record<string, unknown> },
      );
    expect(entries.map((entry) => entry.type)).toEqual([
      'phone.changed',
      'ars.verified',
      'ars.call_placed',
      'ars.requested',
      'phone.refused',
    ]);
    expect(entries.every((entry) => entry.memberId === banner.memberId)).toBe(true);
    expect(entries[0]!.details).toMatchObject({
      oldPhoneNumber: '010-****-5678',
      newPhoneNumber: '010-****-0000',
    });
    expect(output).not.toMatch(/01000000000|01012345678|010-0000-0000|010-1234-5678/);
  });

  it(`7. ${STEPS[6].name}: a new key from the CLI signs a GET that answers the updated member`, () => {
    const key = kept('key.json') as Record<string, unknown>;
    expect(key).toMatchObject({
      memberId: banner.memberId,
      apiKey: expect.stringMatching(/^[A-Z0-9]{16}$/),
      apiSecret: expect.stringMatching(/^[A-Za-z0-9]{32}$/),
      scopes: null,
    });
    expect(key.apiKey).not.toBe(banner.apiKey);
    const answer = parsedJson(run(6)) as unknown as Member;
    expect(Object.keys(answer)).toEqual([...MEMBER_FIELDS]);
    expect(answer).toMatchObject({ memberId: banner.memberId, phoneNumber: '01000000000' });
  });
});
