import nock from 'nock';

import { ManualClock } from '../common/testing/manual-clock';
import { HttpTelephony, type HttpTelephonyConfig } from './http-telephony.adapter';
import { verifyTelephonySignature } from './telephony-signature';
import { TelephonyUnavailableError } from './telephony.port';

const CONFIG: HttpTelephonyConfig = {
  adapter: 'http',
  callUrl: 'https://telephony.example.test/v1/calls',
  secret: 'a-telephony-secret-of-at-least-32-chars',
  timeoutMs: 300,
};
const REQUEST = { verificationId: 'verification-1', to: '01012345678', requestId: 'req-1' };

describe('HttpTelephony', () => {
  const clock = new ManualClock();
  const telephony = new HttpTelephony(CONFIG, clock);

  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  it('POSTs {callId, to, requestId} signed over the exact body and returns the provider’s call id', async () => {
    let received:
      | { body: string; signature: string | undefined; contentType: string | undefined }
      | undefined;
    nock('https://telephony.example.test')
      .post('/v1/calls')
      .reply(function (_uri, body) {
        received = {
          body: typeof body === 'string' ? body : JSON.stringify(body),
          signature: this.req.headers['x-telephony-signature'],
          contentType: this.req.headers['content-type'],
        };
        return [201, { providerCallId: 'prov-42' }];
      });

    const result = await telephony.placeCall(REQUEST);

    expect(result).toEqual({ providerCallId: 'prov-42' });
    expect(JSON.parse(received!.body)).toEqual({
      callId: 'verification-1',
      to: '01012345678',
      requestId: 'req-1',
    });
    expect(received!.contentType).toBe('application/json');
    expect(verifyTelephonySignature(CONFIG.secret, received!.signature, received!.body, clock.now())).toBe(
      true,
    );
  });

  it.each([
    [
      'a 5xx answer',
      () => nock('https://telephony.example.test').post('/v1/calls').reply(503, { error: 'busy' }),
    ],
    ['a 4xx answer', () => nock('https://telephony.example.test').post('/v1/calls').reply(400, 'bad')],
    [
      'a redirect',
      () => nock('https://telephony.example.test').post('/v1/calls').reply(302, '', { Location: '/x' }),
    ],
    ['a 2xx without JSON', () => nock('https://telephony.example.test').post('/v1/calls').reply(200, 'OK')],
    [
      'a 2xx without providerCallId',
      () => nock('https://telephony.example.test').post('/v1/calls').reply(200, { id: 'x' }),
    ],
    [
      'a connection error',
      () => nock('https://telephony.example.test').post('/v1/calls').replyWithError('ECONNREFUSED'),
    ],
    [
      'no answer within the timeout',
      () =>
        nock('https://telephony.example.test')
          .post('/v1/calls')
          .delay(2_000)
          .reply(200, { providerCallId: 'late' }),
    ],
  ])('throws TelephonyUnavailableError on %s', async (_name, arrange) => {
    arrange();

    await expect(telephony.placeCall(REQUEST)).rejects.toBeInstanceOf(TelephonyUnavailableError);
  });
});
