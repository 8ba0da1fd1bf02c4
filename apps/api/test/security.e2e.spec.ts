import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

import { type ArsVerificationStarted, signHmacAuthorization } from '@member-phone/core';
import { sql } from 'kysely';
import request from 'supertest';

import { testPostgresUrl } from '../src/database/testing/test-database';
import { expectCatalogError } from './support/http-expect';
import { startTestApp, type TestApp, type TestMember } from './support/test-app';

const PUT_PATH = '/users/v1/member/phone-number';
const ARS_PATH = '/users/v1/member/phone-number/ars';
const OLD_NUMBER = '01098765432';
const NEW_NUMBER = '01000000000';

/** Every way the two numbers could be spelled in a log line. */
const SPELLINGS = [
  OLD_NUMBER,
  '010-9876-5432',
  '010 9876 5432',
  '+821098765432',
  '98765432',
  NEW_NUMBER,
  '010-0000-0000',
  '010 0000 0000',
  '+821000000000',
];

const signatureOf = (authorization: string) => /signature=([0-9a-fA-F]+)$/.exec(authorization)![1]!;
/** Digits standing alone, not as part of a longer number (timestamps hold many 6-digit runs). */
const standalone = (digits: string) => new RegExp(`(?<![0-9])${digits}(?![0-9])`);

describe('Secrets, codes and phone numbers stay out of logs and out of the database file', () => {
  let t: TestApp;
  let m: TestMember;
  let token: string;
  let started: ArsVerificationStarted;
  let wrongDigits: string;
  const authorizations: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({ env: { ARS_MEMBER_COOLDOWN_SECONDS: '30' } });
    m = await t.createMember({ phoneNumber: OLD_NUMBER });
    token = await m.bearer();
    const server = t.app.getHttpServer();
    const hmac = () => {
      const header = m.hmac();
      authorizations.push(header);
      return header;
    };

    // A full flow: ARS start (HMAC), one wrong and one right keypad press, the PUT, a GET.
    const start = await request(server)
      .post(ARS_PATH)
      .set('Authorization', hmac())
      .send({ phoneNumber: '010-0000-0000' });
    expect(start.status).toBe(201);
    started = start.body as ArsVerificationStarted;
    wrongDigits = started.code.replace(/\d/g, (d) => String((Number(d) + 3) % 10));
    expect(
      (await request(server).post(`/dev/ars/${started.verificationId}/keypad`).send({ digits: wrongDigits }))
        .body,
    ).toMatchObject({ outcome: 'mismatch' });
    expect(
      (await request(server).post(`/dev/ars/${started.verificationId}/keypad`).send({ digits: started.code }))
        .body,
    ).toMatchObject({ outcome: 'verified' });
    const status = await request(server)
      .get(`${ARS_PATH}/${started.verificationId}`)
      .set('Authorization', hmac());
    expect(status.status).toBe(200);
    const put = await request(server)
      .put(PUT_PATH)
      .set('Authorization', hmac())
      .send({ phoneNumber: '+82 10-0000-0000' });
    expect(put.status).toBe(200);
    expect(
      (await request(server).get('/users/v1/member').set('Authorization', `Bearer ${token}`)).status,
    ).toBe(200);

    // And failing requests carrying every secret and number there is.
    const replayed = authorizations[0]!;
    expectCatalogError(
      await request(server).get('/users/v1/member').set('Authorization', replayed),
      'DuplicatedSignature',
    );
    const wrongSecret = signHmacAuthorization({ apiKey: m.apiKey, apiSecret: `${m.apiSecret}!` });
    authorizations.push(wrongSecret);
    expectCatalogError(
      await request(server).put(PUT_PATH).set('Authorization', wrongSecret).send({ phoneNumber: OLD_NUMBER }),
      'SignatureDoesNotMatch',
    );
    const malformed = `HMAC-SHA256 apiKey=${m.apiKey}, date=2026-01-01T00:00:00, salt=${m.apiSecret}, signature=${signatureOf(replayed)}`;
    authorizations.push(malformed);
    expectCatalogError(
      await request(server).put(PUT_PATH).set('Authorization', malformed).send({}),
      'Unauthorized',
    );
    expectCatalogError(
      await request(server)
        .put(PUT_PATH)
        .set('Authorization', `Bearer ${token}`)
        .send({ phoneNumber: OLD_NUMBER, secret: m.apiSecret }),
      'ValidationError',
    );
    expectCatalogError(
      await request(server)
        .put(PUT_PATH)
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'application/json')
        .send(`{"phoneNumber":"${NEW_NUMBER}"`),
      'ValidationError',
    );
    expectCatalogError(
      await request(server)
        .put(PUT_PATH)
        .set('Authorization', `Bearer ${token}`)
        .send({ phoneNumber: `${OLD_NUMBER}#1` }),
      'InvalidPhoneNumber',
    );
    expectCatalogError(
      await request(server)
        .put(PUT_PATH)
        .set('Authorization', `Bearer ${token}`)
        .send({ phoneNumber: '010-1111-2222' }),
      'SecondAuthRequired',
    );
    expectCatalogError(
      await request(server)
        .post(ARS_PATH)
        .set('Authorization', `Bearer ${token}`)
        .send({ phoneNumber: '010 9876 5432' }),
      'TooManyRequests',
    );
    expectCatalogError(
      await request(server)
        .get('/users/v1/member')
        .set('Authorization', `Bearer ${token.slice(0, -2)}xx`),
      'Unauthorized',
    );
    expectCatalogError(
      await request(server).get(`/nope/${NEW_NUMBER}`).set('Authorization', `Bearer ${token}`),
      'ResourceNotFound',
    );
  });
  afterAll(() => t.close());

  describe('the logs', () => {
    it('were written (the checks below look at real lines)', () => {
      expect(t.logs.lines.filter((line) => line.includes('"msg":"request"')).length).toBeGreaterThanOrEqual(
        15,
      );
      // The simulator announced its call with the masked number.
      expect(t.logs.text).toContain('010-****-0000');
    });

    it('hold no full phone number, old or new, in any spelling', () => {
      for (const spelling of SPELLINGS) expect(t.logs.text).not.toContain(spelling);
    });

    it('hold no ARS code, neither the right one nor the digits typed', () => {
      expect(t.logs.text).not.toMatch(standalone(started.code));
      expect(t.logs.text).not.toMatch(standalone(wrongDigits));
    });

    it('hold no API secret, no bearer token and no Authorization header value', () => {
      expect(t.logs.text).not.toContain(m.apiSecret);
      expect(t.logs.text).not.toContain(token);
      for (const part of token.split('.')) expect(t.logs.text).not.toContain(part);
      for (const authorization of authorizations) {
        expect(t.logs.text).not.toContain(authorization);
        expect(t.logs.text).not.toContain(signatureOf(authorization));
      }
    });
  });

  describe('the database', () => {
    // The file-level check is for the embedded SQLite file; on PostgreSQL the row check below holds.
    const onSqliteFile = testPostgresUrl() ? it.skip : it;
    onSqliteFile(
      'stores the API secret only sealed: the file bytes never hold it in any common encoding',
      async () => {
        await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(t.db);
        const file = t.config.database.dialect === 'sqlite' ? t.config.database.file : '';
        expect(file.startsWith(t.dataDir)).toBe(true);
        const bytes = Buffer.concat(
          [file, `${file}-wal`, `${file}-journal`]
            .filter((path) => existsSync(path))
            .map((path) => readFileSync(path)),
        );
        // Positive control: the key id, stored in clear, is there, so the file is the one in use.
        expect(bytes.includes(m.apiKey)).toBe(true);
        expect(bytes.includes(m.row.email)).toBe(true);
        for (const encoding of ['utf8', 'utf16le'] as const) {
          expect(bytes.includes(Buffer.from(m.apiSecret, encoding))).toBe(false);
        }
        expect(bytes.includes(Buffer.from(Buffer.from(m.apiSecret).toString('base64')))).toBe(false);
        expect(bytes.includes(Buffer.from(Buffer.from(m.apiSecret).toString('hex')))).toBe(false);
        expect(bytes.includes(Buffer.from(token))).toBe(false);
      },
    );

    it('keeps no plain secret in the api_keys row', async () => {
      const row = await t.db
        .selectFrom('api_keys')
        .selectAll()
        .where('id', '=', m.apiKey)
        .executeTakeFirstOrThrow();
      for (const value of Object.values(row)) {
        if (typeof value === 'string') expect(value).not.toContain(m.apiSecret);
      }
      expect(row.secret_ciphertext).not.toContain(Buffer.from(m.apiSecret).toString('base64'));
    });

    it('stores the ARS code as a keyed hash only', async () => {
      const row = await t.db
        .selectFrom('ars_verifications')
        .selectAll()
        .where('id', '=', started.verificationId)
        .executeTakeFirstOrThrow();
      expect(row.code_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.code_hash).not.toContain(started.code);
      // Not a bare digest either: those could be reversed by trying all million codes.
      for (const input of [started.code, `${started.verificationId}:${started.code}`]) {
        expect(row.code_hash).not.toBe(createHash('sha256').update(input).digest('hex'));
      }
      for (const value of Object.values(row)) expect(String(value)).not.toBe(started.code);
    });

    it('keeps the audit trail free of codes and full numbers', async () => {
      const rows = await t.db
        .selectFrom('audit_events')
        .selectAll()
        .where('member_id', '=', m.row.id)
        .execute();
      expect(rows.map((row) => row.event_type)).toEqual(
        expect.arrayContaining([
          'ars.requested',
          'ars.call_placed',
          'ars.failed',
          'ars.verified',
          'phone.changed',
        ]),
      );
      const text = JSON.stringify(rows);
      for (const spelling of SPELLINGS) expect(text).not.toContain(spelling);
      expect(text).not.toMatch(standalone(started.code));
      expect(text).not.toMatch(standalone(wrongDigits));
      expect(text).not.toContain(m.apiSecret);
    });
  });
});
