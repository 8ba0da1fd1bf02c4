import { connect } from 'node:net';

import request from 'supertest';

import { startTestApp, type TestApp } from './support/test-app';

describe('a client that hangs up mid-request', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('is not logged as an outage and leaves the service serving', async () => {
    const m = await t.createMember();
    const port = Number(new URL(t.baseUrl).port);
    await new Promise<void>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          'PUT /users/v1/member/phone-number HTTP/1.1\r\nHost: x\r\n' +
            `Authorization: ${m.hmac()}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"phone`,
        );
        setTimeout(() => {
          socket.resetAndDestroy();
          resolve();
        }, 100);
      });
      socket.on('error', reject);
    });
    await new Promise((resolve) => setTimeout(resolve, 200));

    const levels = t.logs.lines.map((line) => JSON.parse(line) as { level: number; msg?: string });
    expect(levels.filter((entry) => entry.level >= 40)).toEqual([]);
    expect(t.logs.text).not.toMatch(/dependency unavailable/);
    await request(t.app.getHttpServer()).get('/users/v1/member').set('Authorization', m.hmac()).expect(200);
  });
});
