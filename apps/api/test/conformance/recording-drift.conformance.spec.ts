import { RECORDED_RESPONSES, type RecordedResponses } from '@member-phone/testing';

import { ScenarioHarness } from './support/scenario-harness';

// The conformance check must catch a recording edited by hand. This edits a copy (never the
// checked-in file) and runs the same comparison as scenarios.conformance.spec.ts against it.
jest.setTimeout(120_000);

let harness: ScenarioHarness;

beforeAll(async () => {
  harness = await ScenarioHarness.start();
});
afterAll(() => harness?.close());

function editedCopy(
  edit: (copy: {
    -readonly [K in keyof RecordedResponses]: {
      status: number;
      headers: Record<string, string>;
      body: Record<string, unknown>;
    };
  }) => void,
): RecordedResponses {
  const copy = structuredClone(RECORDED_RESPONSES) as unknown as Parameters<typeof edit>[0];
  edit(copy);
  return copy;
}

describe('a recording that disagrees with the service', () => {
  it('passes unedited, as the baseline', async () => {
    const comparison = await harness.compare(
      'updatePhoneNumber.SecondAuthRequired',
      structuredClone(RECORDED_RESPONSES),
    );
    expect(comparison.differences).toEqual([]);
  });

  it('fails on an edited error message, which the kit would otherwise serve', async () => {
    const copy = editedCopy((responses) => {
      responses['updatePhoneNumber.SecondAuthRequired'].body.errorMessage = 'ARS 인증이 필요합니다.';
    });
    const comparison = await harness.compare('updatePhoneNumber.SecondAuthRequired', copy);
    expect(comparison.differences).toHaveLength(1);
    expect(comparison.differences[0]).toMatch(
      /^updatePhoneNumber\.SecondAuthRequired: the service answered /,
    );
    // The kit serves whatever the recording says: only the comparison with the service catches it.
    expect(comparison.kit).toEqual(copy['updatePhoneNumber.SecondAuthRequired']);
    expect(comparison.real).toEqual(RECORDED_RESPONSES['updatePhoneNumber.SecondAuthRequired']);
  });

  it('fails on an edited status', async () => {
    const copy = editedCopy((responses) => {
      responses['startArsVerification.TooManyRequests'].status = 503;
    });
    const comparison = await harness.compare('startArsVerification.TooManyRequests', copy);
    expect(comparison.differences.join('\n')).toMatch(/the service answered \{"status":429/);
  });

  it('fails on an edited header', async () => {
    const copy = editedCopy((responses) => {
      responses['startArsVerification.TooManyRequests'].headers['retry-after'] = '60';
    });
    const comparison = await harness.compare('startArsVerification.TooManyRequests', copy);
    expect(comparison.real.headers['retry-after']).toBe('30');
    expect(comparison.differences.join('\n')).toMatch(/"retry-after":"30"/);
  });

  it('fails on an edited success body field', async () => {
    const copy = editedCopy((responses) => {
      responses['getMember.success'].body.selectedAccountId = 'ACC-1';
    });
    const comparison = await harness.compare('getMember.success', copy);
    expect(comparison.differences).toHaveLength(1);
    expect(comparison.real.body).toMatchObject({ selectedAccountId: null });
    expect(comparison.kit?.body).toMatchObject({ selectedAccountId: 'ACC-1' });
  });

  it('fails when a scenario has no recorded answer', async () => {
    const copy = editedCopy((responses) => {
      delete (responses as Partial<typeof responses>)['getMember.Forbidden'];
    });
    const comparison = await harness.compare('getMember.Forbidden', copy);
    expect(comparison.differences).toContain('getMember.Forbidden: no recorded answer');
  });
});
