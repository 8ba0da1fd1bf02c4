import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { type RecordedResponse, SCENARIOS, type ScenarioName } from '@member-phone/testing';

/** The checked-in recording the kit serves. */
export const RECORDING_PATH = join(
  __dirname,
  '../../../../../libs/testing/src/fixtures/generated/scenario-responses.json',
);

/** Regenerating instead of checking: `UPDATE_FIXTURES=1 npx jest apps/api/test/conformance`. */
export const UPDATING = process.env.UPDATE_FIXTURES === '1';

/** The file's text exactly as regenerating writes it: scenarios in catalog order, two-space JSON. */
export function recordingText(answers: ReadonlyMap<ScenarioName, RecordedResponse>): string {
  const responses: Record<string, RecordedResponse> = {};
  for (const scenario of SCENARIOS) {
    const answer = answers.get(scenario.name);
    if (answer) responses[scenario.name] = answer;
  }
  const document = {
    $comment:
      'Generated from the real service by apps/api/test/conformance (UPDATE_FIXTURES=1). Do not edit by hand: CI fails when this file and the service disagree.',
    responses,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

export function readRecordingText(): string {
  return readFileSync(RECORDING_PATH, 'utf8');
}

export function writeRecording(text: string): void {
  writeFileSync(RECORDING_PATH, text);
}
