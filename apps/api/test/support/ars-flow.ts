import type { ArsVerificationStarted } from '@member-phone/core';
import request from 'supertest';

import type { TestApp } from './test-app';

/** Starts an ARS verification over HTTP and types its code on the simulated keypad. */
export async function verifyByArs(
  t: TestApp,
  authorization: string,
  phoneNumber: string,
): Promise<ArsVerificationStarted> {
  const started = await request(t.app.getHttpServer())
    .post('/users/v1/member/phone-number/ars')
    .set('Authorization', authorization)
    .send({ phoneNumber })
    .expect(201);
  const body = started.body as ArsVerificationStarted;
  await request(t.app.getHttpServer())
    .post(`/dev/ars/${body.verificationId}/keypad`)
    .send({ digits: body.code })
    .expect(200, { outcome: 'verified', status: 'VERIFIED' });
  return body;
}
