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

describe('GET /users/v1/member', () => {
  const api = useMemberPhoneApi();

  // #region getMember.success
  it('getMember.success: the code under test reads the signed-in member', async () => {
    api.scenario('getMember.success', { member: { phoneNumber: '01099998888' } });
    const member = await client.getMember();
    expect(member).toMatchObject({ memberId: '18010100001000', phoneNumber: '01099998888' });
  });
  // #endregion

  // #region getMember.Unauthorized
  it('getMember.Unauthorized: credentials are missing or malformed, or a bearer token expired', async () => {
    api.scenario('getMember.Unauthorized');
    await expect(client.getMember()).rejects.toMatchObject({
      errorCode: 'Unauthorized',
      status: 401,
    });
  });
  // #endregion

  // #region getMember.InvalidAPIKey
  it('getMember.InvalidAPIKey: the API key is unknown or was disabled', async () => {
    api.scenario('getMember.InvalidAPIKey');
    await expect(client.getMember()).rejects.toMatchObject({
      errorCode: 'InvalidAPIKey',
      status: 403,
    });
  });
  // #endregion

  // #region getMember.SignatureDoesNotMatch
  it('getMember.SignatureDoesNotMatch: the request is signed with the wrong secret', async () => {
    api.scenario('getMember.SignatureDoesNotMatch');
    await expect(client.getMember()).rejects.toMatchObject({
      errorCode: 'SignatureDoesNotMatch',
      status: 403,
    });
  });
  // #endregion

  // #region getMember.RequestTimeTooSkewed
  it('getMember.RequestTimeTooSkewed: the caller’s clock is more than 15 minutes off', async () => {
    api.scenario('getMember.RequestTimeTooSkewed');
    await expect(client.getMember()).rejects.toMatchObject({
      errorCode: 'RequestTimeTooSkewed',
      status: 403,
    });
  });
  // #endregion

  // #region getMember.DuplicatedSignature
  it('getMember.DuplicatedSignature: a signed request is replayed (a retry that reuses the signature)', async () => {
    api.scenario('getMember.DuplicatedSignature');
    await expect(client.getMember()).rejects.toMatchObject({
      errorCode: 'DuplicatedSignature',
      status: 403,
    });
  });
  // #endregion

  // #region getMember.Forbidden
  it('getMember.Forbidden: the credential lacks `users:read`', async () => {
    api.scenario('getMember.Forbidden');
    await expect(client.getMember()).rejects.toMatchObject({
      errorCode: 'Forbidden',
      status: 403,
    });
  });
  // #endregion

  // #region getMember.InvalidMemberStatus
  it('getMember.InvalidMemberStatus: the member is not in a status the operation allows (here INACTIVE)', async () => {
    api.scenario('getMember.InvalidMemberStatus');
    await expect(client.getMember()).rejects.toMatchObject({
      errorCode: 'InvalidMemberStatus',
      status: 403,
    });
  });
  // #endregion

  // #region getMember.InternalError
  it('getMember.InternalError: the service hits a bug; the client must show a generic failure', async () => {
    api.scenario('getMember.InternalError');
    await expect(client.getMember()).rejects.toMatchObject({
      errorCode: 'InternalError',
      status: 500,
    });
  });
  // #endregion

  // #region getMember.ServiceUnavailable
  it('getMember.ServiceUnavailable: the service’s database (or telephony provider) is down; `Retry-After` is set', async () => {
    // The quick-start client retries a 503 after its Retry-After (up to 3 attempts in all): serve
    // one answer per attempt, without the wait. Or build the client with `retry: false` and serve one.
    const retrying = new MemberPhoneClient({ auth: { type: 'hmac', apiKey: 'KEY', apiSecret: 'SECRET' } });
    api.scenario('getMember.ServiceUnavailable', { times: 3, retryAfterSeconds: 0 });
    await expect(retrying.getMember()).rejects.toMatchObject({
      errorCode: 'ServiceUnavailable',
      status: 503,
    });
    expect(api.requests()).toHaveLength(3);
  });
  // #endregion
});
