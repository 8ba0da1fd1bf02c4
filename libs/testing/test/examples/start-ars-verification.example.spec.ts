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

describe('POST /users/v1/member/phone-number/ars', () => {
  const api = useMemberPhoneApi();

  // #region startArsVerification.success
  it('startArsVerification.success: the call to the new number is placed; show the returned code on screen', async () => {
    api.scenario('startArsVerification.success', { verification: { code: '135790' } });
    const started = await client.startArsVerification('010-1234-5678');
    expect(started).toMatchObject({ phoneNumber: '01012345678', status: 'CALLING', code: '135790' });
  });
  // #endregion

  // #region startArsVerification.ValidationError
  it('startArsVerification.ValidationError: the code under test sends a body with a missing, extra or mistyped field', async () => {
    api.scenario('startArsVerification.ValidationError');
    await expect(client.startArsVerification('010-1234-5678')).rejects.toMatchObject({
      errorCode: 'ValidationError',
      status: 400,
    });
  });
  // #endregion

  // #region startArsVerification.InvalidPhoneNumber
  it('startArsVerification.InvalidPhoneNumber: the service refuses the number (not a Korean mobile number) and the UI must say so', async () => {
    api.scenario('startArsVerification.InvalidPhoneNumber');
    await expect(client.startArsVerification('010-1234-5678')).rejects.toMatchObject({
      errorCode: 'InvalidPhoneNumber',
      status: 400,
    });
  });
  // #endregion

  // #region startArsVerification.Unauthorized
  it('startArsVerification.Unauthorized: credentials are missing or malformed, or a bearer token expired', async () => {
    api.scenario('startArsVerification.Unauthorized');
    await expect(client.startArsVerification('010-1234-5678')).rejects.toMatchObject({
      errorCode: 'Unauthorized',
      status: 401,
    });
  });
  // #endregion

  // #region startArsVerification.InvalidAPIKey
  it('startArsVerification.InvalidAPIKey: the API key is unknown or was disabled', async () => {
    api.scenario('startArsVerification.InvalidAPIKey');
    await expect(client.startArsVerification('010-1234-5678')).rejects.toMatchObject({
      errorCode: 'InvalidAPIKey',
      status: 403,
    });
  });
  // #endregion

  // #region startArsVerification.SignatureDoesNotMatch
  it('startArsVerification.SignatureDoesNotMatch: the request is signed with the wrong secret', async () => {
    api.scenario('startArsVerification.SignatureDoesNotMatch');
    await expect(client.startArsVerification('010-1234-5678')).rejects.toMatchObject({
      errorCode: 'SignatureDoesNotMatch',
      status: 403,
    });
  });
  // #endregion

  // #region startArsVerification.RequestTimeTooSkewed
  it('startArsVerification.RequestTimeTooSkewed: the caller’s clock is more than 15 minutes off', async () => {
    api.scenario('startArsVerification.RequestTimeTooSkewed');
    await expect(client.startArsVerification('010-1234-5678')).rejects.toMatchObject({
      errorCode: 'RequestTimeTooSkewed',
      status: 403,
    });
  });
  // #endregion

  // #region startArsVerification.DuplicatedSignature
  it('startArsVerification.DuplicatedSignature: a signed request is replayed (a retry that reuses the signature)', async () => {
    api.scenario('startArsVerification.DuplicatedSignature');
    await expect(client.startArsVerification('010-1234-5678')).rejects.toMatchObject({
      errorCode: 'DuplicatedSignature',
      status: 403,
    });
  });
  // #endregion

  // #region startArsVerification.Forbidden
  it('startArsVerification.Forbidden: the credential lacks `users:write`', async () => {
    api.scenario('startArsVerification.Forbidden');
    await expect(client.startArsVerification('010-1234-5678')).rejects.toMatchObject({
      errorCode: 'Forbidden',
      status: 403,
    });
  });
  // #endregion

  // #region startArsVerification.InvalidMemberStatus
  it('startArsVerification.InvalidMemberStatus: the member is not in a status the operation allows (here INACTIVE)', async () => {
    api.scenario('startArsVerification.InvalidMemberStatus');
    await expect(client.startArsVerification('010-1234-5678')).rejects.toMatchObject({
      errorCode: 'InvalidMemberStatus',
      status: 403,
    });
  });
  // #endregion

  // #region startArsVerification.PayloadTooLarge
  it('startArsVerification.PayloadTooLarge: the code under test sends a body over the service limit (16 KiB by default)', async () => {
    api.scenario('startArsVerification.PayloadTooLarge');
    await expect(client.startArsVerification('010-1234-5678')).rejects.toMatchObject({
      errorCode: 'PayloadTooLarge',
      status: 413,
    });
  });
  // #endregion

  // #region startArsVerification.UnsupportedMediaType
  it('startArsVerification.UnsupportedMediaType: the code under test forgets `Content-Type: application/json`', async () => {
    api.scenario('startArsVerification.UnsupportedMediaType');
    await expect(client.startArsVerification('010-1234-5678')).rejects.toMatchObject({
      errorCode: 'UnsupportedMediaType',
      status: 415,
    });
  });
  // #endregion

  // #region startArsVerification.TooManyRequests
  it('startArsVerification.TooManyRequests: a rate limit refuses the call; the answer carries `Retry-After`', async () => {
    // The quick-start client never retries a POST the service answered: one answer is enough.
    const quickStart = new MemberPhoneClient({ auth: { type: 'hmac', apiKey: 'KEY', apiSecret: 'SECRET' } });
    api.scenario('startArsVerification.TooManyRequests');
    await expect(quickStart.startArsVerification('010-1234-5678')).rejects.toMatchObject({
      errorCode: 'TooManyRequests',
      status: 429,
    });
    expect(api.requests()).toHaveLength(1);
  });
  // #endregion

  // #region startArsVerification.InternalError
  it('startArsVerification.InternalError: the service hits a bug; the client must show a generic failure', async () => {
    api.scenario('startArsVerification.InternalError');
    await expect(client.startArsVerification('010-1234-5678')).rejects.toMatchObject({
      errorCode: 'InternalError',
      status: 500,
    });
  });
  // #endregion

  // #region startArsVerification.ServiceUnavailable
  it('startArsVerification.ServiceUnavailable: the service’s database (or telephony provider) is down; `Retry-After` is set', async () => {
    // The quick-start client never retries a POST the service answered: one answer is enough.
    const quickStart = new MemberPhoneClient({ auth: { type: 'hmac', apiKey: 'KEY', apiSecret: 'SECRET' } });
    api.scenario('startArsVerification.ServiceUnavailable');
    await expect(quickStart.startArsVerification('010-1234-5678')).rejects.toMatchObject({
      errorCode: 'ServiceUnavailable',
      status: 503,
    });
    expect(api.requests()).toHaveLength(1);
  });
  // #endregion
});
