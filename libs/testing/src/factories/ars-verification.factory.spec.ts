import { ARS_MAX_ATTEMPTS, ARS_VERIFICATION_STATUSES } from '@member-phone/core';
import { buildArsVerification, buildArsVerificationStarted } from './ars-verification.factory';

describe('ARS verification factories', () => {
  it('builds a calling verification with every attempt left and no code', () => {
    const verification = buildArsVerification();
    expect(verification).toMatchObject({
      status: 'CALLING',
      attemptsLeft: ARS_MAX_ATTEMPTS,
      phoneNumber: '01000000000',
    });
    expect(ARS_VERIFICATION_STATUSES).toContain(verification.status);
    expect(verification).not.toHaveProperty('code');
    expect(Number.isNaN(Date.parse(verification.expireAt))).toBe(false);
  });

  it('adds a digits-only code to a started verification and applies overrides', () => {
    const started = buildArsVerificationStarted({ phoneNumber: '01012345678' });
    expect(started.code).toMatch(/^\d+$/);
    expect(started).toMatchObject({ phoneNumber: '01012345678', status: 'CALLING' });
  });
});
