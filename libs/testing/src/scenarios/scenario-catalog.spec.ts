import { ERROR_CATALOG, OPERATION_ERROR_CODES } from '@member-phone/core';
import { OPERATION_ROUTES, OPERATIONS } from './operation-routes';
import { getScenario, isScenarioName, SCENARIOS } from './scenario-catalog';
import { type ScenarioName } from './scenario.types';

describe('SCENARIOS', () => {
  it.each(OPERATIONS.map((operation) => [operation]))(
    'has an error scenario for exactly the codes %s can answer with, in catalog order',
    (operation) => {
      const codes = SCENARIOS.filter((s) => s.operation === operation && s.errorCode).map((s) => s.errorCode);
      expect(codes).toEqual([...OPERATION_ERROR_CODES[operation]]);
    },
  );

  it('gives every error scenario its catalog status and every success a 2xx', () => {
    for (const scenario of SCENARIOS) {
      if (scenario.errorCode) expect(scenario.status).toBe(ERROR_CATALOG[scenario.errorCode].status);
      else expect([200, 201]).toContain(scenario.status);
      expect(scenario.name.startsWith(`${scenario.operation}.`)).toBe(true);
    }
  });

  it('declares a body for the routes that take one, and a verification id for the one that reads it', () => {
    for (const scenario of SCENARIOS) {
      const route = OPERATION_ROUTES[scenario.operation];
      const hasBody = scenario.request.phoneNumber !== undefined || scenario.request.rawBody !== undefined;
      expect(hasBody).toBe(route.hasBody);
      expect(scenario.request.verificationId !== undefined).toBe(scenario.operation === 'getArsVerification');
    }
  });

  it('states what a verified update needs in the real service', () => {
    expect(getScenario('updatePhoneNumber.success').state).toEqual({
      member: { status: 'ACTIVE', phoneNumber: '01000000000' },
      scopes: null,
      arsVerification: { phoneNumber: '01012345678', status: 'VERIFIED' },
    });
    expect(getScenario('updatePhoneNumber.SecondAuthRequired').state.arsVerification).toBeUndefined();
  });

  it('has unique names that isScenarioName and getScenario agree on', () => {
    const names = SCENARIOS.map((scenario) => scenario.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.every(isScenarioName)).toBe(true);
    expect(isScenarioName('getMember.SecondAuthRequired')).toBe(false);
    expect(() => getScenario('nope' as ScenarioName)).toThrow('Unknown scenario: nope');
  });

  it('types scenario names from the operation error codes', () => {
    const valid: ScenarioName = 'startArsVerification.TooManyRequests';
    // @ts-expect-error the PUT never answers TooManyRequests
    const invalid: ScenarioName = 'updatePhoneNumber.TooManyRequests';
    expect([valid, invalid].map(isScenarioName)).toEqual([true, false]);
  });
});
