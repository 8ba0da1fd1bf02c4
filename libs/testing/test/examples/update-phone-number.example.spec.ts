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

describe('PUT /users/v1/member/phone-number', () => {
  const api = useMemberPhoneApi();

  // #region updatePhoneNumber.success
  it('updatePhoneNumber.success: the member completed the ARS verification of the new number: the update succeeds', async () => {
    api.scenario('updatePhoneNumber.success', { member: { name: 'Kim' } });
    const member = await client.updatePhoneNumber('010-1234-5678');
    expect(member).toMatchObject({ name: 'Kim', phoneNumber: '01012345678', status: 'ACTIVE' });
    expect(api.requests()[0]?.body).toEqual({ phoneNumber: '01012345678' });
  });
  // #endregion

  // #region updatePhoneNumber.sameNumber
  it('updatePhoneNumber.sameNumber: the number sent is the member’s current one (or a retried update): 200, no ARS needed', async () => {
    api.scenario('updatePhoneNumber.sameNumber');
    // A retried update after a lost answer meets this too: PUT is idempotent.
    const member = await client.updatePhoneNumber('01012345678');
    expect(member.phoneNumber).toBe('01012345678');
  });
  // #endregion

  // #region updatePhoneNumber.ValidationError
  it('updatePhoneNumber.ValidationError: the code under test sends a body with a missing, extra or mistyped field', async () => {
    api.scenario('updatePhoneNumber.ValidationError');
    await expect(client.updatePhoneNumber('010-1234-5678')).rejects.toMatchObject({
      errorCode: 'ValidationError',
      status: 400,
    });
  });
  // #endregion

  // #region updatePhoneNumber.InvalidPhoneNumber
  it('updatePhoneNumber.InvalidPhoneNumber: the service refuses the number (not a Korean mobile number) and the UI must say so', async () => {
    api.scenario('updatePhoneNumber.InvalidPhoneNumber');
    await expect(client.updatePhoneNumber('010-1234-5678')).rejects.toMatchObject({
      errorCode: 'InvalidPhoneNumber',
      status: 400,
    });
  });
  // #endregion

  // #region updatePhoneNumber.Unauthorized
  it('updatePhoneNumber.Unauthorized: credentials are missing or malformed, or a bearer token expired', async () => {
    api.scenario('updatePhoneNumber.Unauthorized');
    await expect(client.updatePhoneNumber('010-1234-5678')).rejects.toMatchObject({
      errorCode: 'Unauthorized',
      status: 401,
    });
  });
  // #endregion

  // #region updatePhoneNumber.InvalidAPIKey
  it('updatePhoneNumber.InvalidAPIKey: the API key is unknown or was disabled', async () => {
    api.scenario('updatePhoneNumber.InvalidAPIKey');
    await expect(client.updatePhoneNumber('010-1234-5678')).rejects.toMatchObject({
      errorCode: 'InvalidAPIKey',
      status: 403,
    });
  });
  // #endregion

  // #region updatePhoneNumber.SignatureDoesNotMatch
  it('updatePhoneNumber.SignatureDoesNotMatch: the request is signed with the wrong secret', async () => {
    api.scenario('updatePhoneNumber.SignatureDoesNotMatch');
    await expect(client.updatePhoneNumber('010-1234-5678')).rejects.toMatchObject({
      errorCode: 'SignatureDoesNotMatch',
      status: 403,
    });
  });
  // #endregion

  // #region updatePhoneNumber.RequestTimeTooSkewed
  it('updatePhoneNumber.RequestTimeTooSkewed: the caller’s clock is more than 15 minutes off', async () => {
    api.scenario('updatePhoneNumber.RequestTimeTooSkewed');
    await expect(client.updatePhoneNumber('010-1234-5678')).rejects.toMatchObject({
      errorCode: 'RequestTimeTooSkewed',
      status: 403,
    });
  });
  // #endregion

  // #region updatePhoneNumber.DuplicatedSignature
  it('updatePhoneNumber.DuplicatedSignature: a signed request is replayed (a retry that reuses the signature)', async () => {
    api.scenario('updatePhoneNumber.DuplicatedSignature');
    await expect(client.updatePhoneNumber('010-1234-5678')).rejects.toMatchObject({
      errorCode: 'DuplicatedSignature',
      status: 403,
    });
  });
  // #endregion

  // #region updatePhoneNumber.Forbidden
  it('updatePhoneNumber.Forbidden: the credential lacks `users:write`', async () => {
    api.scenario('updatePhoneNumber.Forbidden');
    await expect(client.updatePhoneNumber('010-1234-5678')).rejects.toMatchObject({
      errorCode: 'Forbidden',
      status: 403,
    });
  });
  // #endregion

  // #region updatePhoneNumber.InvalidMemberStatus
  it('updatePhoneNumber.InvalidMemberStatus: the member is not in a status the operation allows (here INACTIVE)', async () => {
    api.scenario('updatePhoneNumber.InvalidMemberStatus');
    await expect(client.updatePhoneNumber('010-1234-5678')).rejects.toMatchObject({
      errorCode: 'InvalidMemberStatus',
      status: 403,
    });
  });
  // #endregion

  // #region updatePhoneNumber.SecondAuthRequired
  it('updatePhoneNumber.SecondAuthRequired: a new number without a completed ARS verification: the UI must start one', async () => {
    api.scenario('updatePhoneNumber.SecondAuthRequired');
    await expect(client.updatePhoneNumber('010-1234-5678')).rejects.toMatchObject({
      errorCode: 'SecondAuthRequired',
      status: 403,
    });
  });
  // #endregion

  // #region updatePhoneNumber.PayloadTooLarge
  it('updatePhoneNumber.PayloadTooLarge: the code under test sends a body over the service limit (16 KiB by default)', async () => {
    api.scenario('updatePhoneNumber.PayloadTooLarge');
    await expect(client.updatePhoneNumber('010-1234-5678')).rejects.toMatchObject({
      errorCode: 'PayloadTooLarge',
      status: 413,
    });
  });
  // #endregion

  // #region updatePhoneNumber.UnsupportedMediaType
  it('updatePhoneNumber.UnsupportedMediaType: the code under test forgets `Content-Type: application/json`', async () => {
    api.scenario('updatePhoneNumber.UnsupportedMediaType');
    await expect(client.updatePhoneNumber('010-1234-5678')).rejects.toMatchObject({
      errorCode: 'UnsupportedMediaType',
      status: 415,
    });
  });
  // #endregion

  // #region updatePhoneNumber.InternalError
  it('updatePhoneNumber.InternalError: the service hits a bug; the client must show a generic failure', async () => {
    api.scenario('updatePhoneNumber.InternalError');
    await expect(client.updatePhoneNumber('010-1234-5678')).rejects.toMatchObject({
      errorCode: 'InternalError',
      status: 500,
    });
  });
  // #endregion

  // #region updatePhoneNumber.ServiceUnavailable
  it('updatePhoneNumber.ServiceUnavailable: the service’s database (or telephony provider) is down; `Retry-After` is set', async () => {
    // The quick-start client retries a 503 after its Retry-After (up to 3 attempts in all): serve
    // one answer per attempt, without the wait. Or build the client with `retry: false` and serve one.
    const retrying = new MemberPhoneClient({ auth: { type: 'hmac', apiKey: 'KEY', apiSecret: 'SECRET' } });
    api.scenario('updatePhoneNumber.ServiceUnavailable', { times: 3, retryAfterSeconds: 0 });
    await expect(retrying.updatePhoneNumber('010-1234-5678')).rejects.toMatchObject({
      errorCode: 'ServiceUnavailable',
      status: 503,
    });
    expect(api.requests()).toHaveLength(3);
  });
  // #endregion

  // #region sequence:SecondAuthRequired-then-success
  it('sequence: SecondAuthRequired, then success once the ARS call is done', async () => {
    api.sequence(['updatePhoneNumber.SecondAuthRequired', 'updatePhoneNumber.success']);
    await expect(client.updatePhoneNumber('01012345678')).rejects.toMatchObject({
      errorCode: 'SecondAuthRequired',
    });
    await expect(client.updatePhoneNumber('01012345678')).resolves.toMatchObject({
      phoneNumber: '01012345678',
    });
  });
  // #endregion
});
