import { MemberPhoneClient } from '@member-phone/core';
import { useMemberPhoneApi } from './use-member-phone-api';

const client = new MemberPhoneClient({
  auth: { type: 'hmac', apiKey: 'KEY1', apiSecret: 'secret' },
  retry: false,
});

describe('useMemberPhoneApi', () => {
  const api = useMemberPhoneApi();

  it('serves what the test scripts', async () => {
    api.scenario('getMember.success', { member: { name: 'Kim' } });
    await expect(client.getMember()).resolves.toMatchObject({ name: 'Kim' });
    expect(api.requests()).toHaveLength(1);
  });

  it('starts every test from a clean state', () => {
    expect(api.requests()).toEqual([]);
    expect(api.pending()).toEqual([]);
  });

  it('refuses real connections to other hosts while it is installed', async () => {
    await expect(fetch('https://example.com/')).rejects.toMatchObject({ name: 'NetConnectNotAllowedError' });
  });
});

describe('useMemberPhoneApi with verify', () => {
  // Its own instance and no verification, so the test can look at what verify() would say.
  const api = useMemberPhoneApi({ verify: false, baseUrl: 'http://localhost:4321' });
  const local = new MemberPhoneClient({
    baseUrl: 'http://localhost:4321',
    auth: { type: 'hmac', apiKey: 'KEY1', apiSecret: 'secret' },
    retry: false,
  });

  it('would fail the test on an answer left unused', () => {
    api.scenario('updatePhoneNumber.success');
    expect(() => api.verify()).toThrow('Answers never used');
  });

  it('would fail the test on a request that matched nothing, even when the client caught it', async () => {
    api.scenario('getMember.success');
    await local.getMember();
    const caught = await local.getArsVerification('v-1').catch(() => 'caught');
    expect(caught).toBe('caught');
    expect(() => api.verify()).toThrow(
      'GET http://localhost:4321/users/v1/member/phone-number/ars/v-1 matched nothing',
    );
  });
});

describe('useMemberPhoneApi nested in another block', () => {
  useMemberPhoneApi();

  describe('an inner block with its own mock', () => {
    const inner = useMemberPhoneApi({ baseUrl: 'http://localhost:4322' });

    it('runs with its own mock', () => {
      expect(inner.pending()).toEqual([]);
    });
  });

  it('keeps the network closed for the outer block after the inner block ended', async () => {
    await expect(fetch('https://example.com/')).rejects.toMatchObject({ name: 'NetConnectNotAllowedError' });
  });
});
