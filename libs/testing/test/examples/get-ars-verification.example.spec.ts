import { MemberPhoneClient } from '@member-phone/core';
// Imported by package name, as a consumer would: these files double as documentation.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { useMemberPhoneApi } from '@member-phone/testing';

// Usage examples of the scenario catalog (docs/testing/scenarios.md embeds each #region).
// They run in jest like any other test: keep them short and self-explanatory.
const client = new MemberPhoneClient({
  auth: { type: 'hmac', apiKey: 'NCSAYU7YDBXYORXC', apiSecret: 'test-secret' },
  retry: false,
});
const VERIFICATION_ID = '5f0c6f8e-2b7a-4d39-9d0e-8c1d1f3a2b4c';

describe('GET /users/v1/member/phone-number/ars/{verificationId}', () => {
  const api = useMemberPhoneApi();

  // #region getArsVerification.CALLING
  it('getArsVerification.CALLING: the verification is CALLING: the call is ringing or the person has not typed the code yet (poll again)', async () => {
    api.scenario('getArsVerification.CALLING');
    const verification = await client.getArsVerification(VERIFICATION_ID);
    expect(verification).toMatchObject({ verificationId: VERIFICATION_ID, status: 'CALLING' });
    expect(verification).not.toHaveProperty('code');
  });
  // #endregion

  // #region getArsVerification.VERIFIED
  it('getArsVerification.VERIFIED: the verification is VERIFIED: the person typed the code: the number update may go ahead', async () => {
    api.scenario('getArsVerification.VERIFIED');
    const verification = await client.getArsVerification(VERIFICATION_ID);
    expect(verification).toMatchObject({ verificationId: VERIFICATION_ID, status: 'VERIFIED' });
    expect(verification).not.toHaveProperty('code');
  });
  // #endregion

  // #region getArsVerification.FAILED
  it('getArsVerification.FAILED: the verification is FAILED: every keypad attempt was used up with wrong codes', async () => {
    api.scenario('getArsVerification.FAILED');
    const verification = await client.getArsVerification(VERIFICATION_ID);
    expect(verification).toMatchObject({ verificationId: VERIFICATION_ID, status: 'FAILED' });
    expect(verification).not.toHaveProperty('code');
  });
  // #endregion

  // #region getArsVerification.EXPIRED
  it('getArsVerification.EXPIRED: the verification is EXPIRED: the call window ran out before the code was typed', async () => {
    api.scenario('getArsVerification.EXPIRED');
    const verification = await client.getArsVerification(VERIFICATION_ID);
    expect(verification).toMatchObject({ verificationId: VERIFICATION_ID, status: 'EXPIRED' });
    expect(verification).not.toHaveProperty('code');
  });
  // #endregion

  // #region getArsVerification.CONSUMED
  it('getArsVerification.CONSUMED: the verification is CONSUMED: the proof was already used by a number update', async () => {
    api.scenario('getArsVerification.CONSUMED');
    const verification = await client.getArsVerification(VERIFICATION_ID);
    expect(verification).toMatchObject({ verificationId: VERIFICATION_ID, status: 'CONSUMED' });
    expect(verification).not.toHaveProperty('code');
  });
  // #endregion

  // #region getArsVerification.CANCELED
  it('getArsVerification.CANCELED: the verification is CANCELED: a newer verification of the same member replaced this one', async () => {
    api.scenario('getArsVerification.CANCELED');
    const verification = await client.getArsVerification(VERIFICATION_ID);
    expect(verification).toMatchObject({ verificationId: VERIFICATION_ID, status: 'CANCELED' });
    expect(verification).not.toHaveProperty('code');
  });
  // #endregion

  // #region getArsVerification.Unauthorized
  it('getArsVerification.Unauthorized: credentials are missing or malformed, or a bearer token expired', async () => {
    api.scenario('getArsVerification.Unauthorized');
    await expect(client.getArsVerification(VERIFICATION_ID)).rejects.toMatchObject({
      errorCode: 'Unauthorized',
      status: 401,
    });
  });
  // #endregion

  // #region getArsVerification.InvalidAPIKey
  it('getArsVerification.InvalidAPIKey: the API key is unknown or was disabled', async () => {
    api.scenario('getArsVerification.InvalidAPIKey');
    await expect(client.getArsVerification(VERIFICATION_ID)).rejects.toMatchObject({
      errorCode: 'InvalidAPIKey',
      status: 403,
    });
  });
  // #endregion

  // #region getArsVerification.SignatureDoesNotMatch
  it('getArsVerification.SignatureDoesNotMatch: the request is signed with the wrong secret', async () => {
    api.scenario('getArsVerification.SignatureDoesNotMatch');
    await expect(client.getArsVerification(VERIFICATION_ID)).rejects.toMatchObject({
      errorCode: 'SignatureDoesNotMatch',
      status: 403,
    });
  });
  // #endregion

  // #region getArsVerification.RequestTimeTooSkewed
  it('getArsVerification.RequestTimeTooSkewed: the caller’s clock is more than 15 minutes off', async () => {
    api.scenario('getArsVerification.RequestTimeTooSkewed');
    await expect(client.getArsVerification(VERIFICATION_ID)).rejects.toMatchObject({
      errorCode: 'RequestTimeTooSkewed',
      status: 403,
    });
  });
  // #endregion

  // #region getArsVerification.DuplicatedSignature
  it('getArsVerification.DuplicatedSignature: a signed request is replayed (a retry that reuses the signature)', async () => {
    api.scenario('getArsVerification.DuplicatedSignature');
    await expect(client.getArsVerification(VERIFICATION_ID)).rejects.toMatchObject({
      errorCode: 'DuplicatedSignature',
      status: 403,
    });
  });
  // #endregion

  // #region getArsVerification.Forbidden
  it('getArsVerification.Forbidden: the credential lacks `users:write`', async () => {
    api.scenario('getArsVerification.Forbidden');
    await expect(client.getArsVerification(VERIFICATION_ID)).rejects.toMatchObject({
      errorCode: 'Forbidden',
      status: 403,
    });
  });
  // #endregion

  // #region getArsVerification.InvalidMemberStatus
  it('getArsVerification.InvalidMemberStatus: the member is not in a status the operation allows (here INACTIVE)', async () => {
    api.scenario('getArsVerification.InvalidMemberStatus');
    await expect(client.getArsVerification(VERIFICATION_ID)).rejects.toMatchObject({
      errorCode: 'InvalidMemberStatus',
      status: 403,
    });
  });
  // #endregion

  // #region getArsVerification.ResourceNotFound
  it('getArsVerification.ResourceNotFound: the verification id is unknown or belongs to another member', async () => {
    api.scenario('getArsVerification.ResourceNotFound');
    await expect(client.getArsVerification(VERIFICATION_ID)).rejects.toMatchObject({
      errorCode: 'ResourceNotFound',
      status: 404,
    });
  });
  // #endregion

  // #region getArsVerification.InternalError
  it('getArsVerification.InternalError: the service hits a bug; the client must show a generic failure', async () => {
    api.scenario('getArsVerification.InternalError');
    await expect(client.getArsVerification(VERIFICATION_ID)).rejects.toMatchObject({
      errorCode: 'InternalError',
      status: 500,
    });
  });
  // #endregion

  // #region getArsVerification.ServiceUnavailable
  it('getArsVerification.ServiceUnavailable: the service’s database (or telephony provider) is down; `Retry-After` is set', async () => {
    // The quick-start client retries a 503 after its Retry-After (up to 3 attempts in all): serve
    // one answer per attempt, without the wait. Or build the client with `retry: false` and serve one.
    const retrying = new MemberPhoneClient({ auth: { type: 'hmac', apiKey: 'KEY', apiSecret: 'SECRET' } });
    api.scenario('getArsVerification.ServiceUnavailable', { times: 3, retryAfterSeconds: 0 });
    await expect(retrying.getArsVerification(VERIFICATION_ID)).rejects.toMatchObject({
      errorCode: 'ServiceUnavailable',
      status: 503,
    });
    expect(api.requests()).toHaveLength(3);
  });
  // #endregion

  // #region sequence:CALLING-then-VERIFIED
  it('sequence: CALLING while the person listens, then VERIFIED', async () => {
    api.sequence(['getArsVerification.CALLING', 'getArsVerification.VERIFIED']);
    expect((await client.getArsVerification(VERIFICATION_ID)).status).toBe('CALLING');
    expect((await client.getArsVerification(VERIFICATION_ID)).status).toBe('VERIFIED');
  });
  // #endregion
});
