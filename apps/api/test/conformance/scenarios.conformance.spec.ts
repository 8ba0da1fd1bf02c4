import {
  RECORDED_RESPONSES,
  type RecordedResponse,
  SCENARIOS,
  type ScenarioName,
} from '@member-phone/testing';

import { readRecordingText, recordingText, UPDATING, writeRecording } from './support/recording-file';
import { ScenarioHarness } from './support/scenario-harness';

// Every scenario of @member-phone/testing, proven against the real service: state set up in the
// real app (real database), request sent through the real client, normalized answer compared with
// the checked-in recording, and the kit's answer to the same request compared with it too.
jest.setTimeout(120_000);

let harness: ScenarioHarness;
const answers = new Map<ScenarioName, RecordedResponse>();

beforeAll(async () => {
  harness = await ScenarioHarness.start();
});
afterAll(async () => {
  await harness?.close();
  if (UPDATING) writeRecording(recordingText(answers));
});

describe('the kit answers every scenario as the real service does', () => {
  it.each(SCENARIOS.map((scenario) => [scenario.name]))('%s', async (name) => {
    const comparison = await harness.compare(name, RECORDED_RESPONSES, { kit: !UPDATING });
    answers.set(name, comparison.real);
    if (UPDATING) {
      expect(comparison.real.status).toBe(comparison.expected?.status ?? comparison.real.status);
      return;
    }
    expect(comparison.real).toEqual(comparison.expected);
    expect(comparison.kit).toEqual(comparison.expected);
    expect(comparison.differences).toEqual([]);
  });
});

describe('in English, the kit answers every error scenario as the real service does', () => {
  const errors = SCENARIOS.filter((scenario) => scenario.errorCode !== undefined);
  it.each(errors.map((scenario) => [scenario.name]))('%s', async (name) => {
    if (UPDATING) return;
    const comparison = await harness.compare(name, RECORDED_RESPONSES, { language: 'en' });
    expect(comparison.real).toEqual(comparison.expected);
    expect(comparison.kit).toEqual(comparison.expected);
  });
});

// The refusals the kit computes itself (given the member's key and the server's clock) instead of
// being scripted: what the fake's HMAC, scope and body checks must agree with.
const DERIVED_CODES = new Set<string>([
  'PayloadTooLarge',
  'Unauthorized',
  'InvalidAPIKey',
  'RequestTimeTooSkewed',
  'SignatureDoesNotMatch',
  'DuplicatedSignature',
  'Forbidden',
  'UnsupportedMediaType',
  'ValidationError',
  'InvalidPhoneNumber',
]);

describe('the kit works out the same refusal as the service when it knows the credentials', () => {
  const derived = SCENARIOS.filter((scenario) => DERIVED_CODES.has(scenario.errorCode ?? ''));
  it.each(derived.map((scenario) => [scenario.name]))('%s', async (name) => {
    if (UPDATING) return;
    const { real, kit } = await harness.deriveRefusal(name);
    expect(kit).toEqual(real);
    expect(real).toEqual(RECORDED_RESPONSES[name]);
  });
});

describe('the checked-in recording', () => {
  it('is byte for byte what regenerating from the service writes', () => {
    expect(answers.size).toBe(SCENARIOS.length);
    if (UPDATING) return;
    expect(readRecordingText()).toBe(recordingText(answers));
  });
});
