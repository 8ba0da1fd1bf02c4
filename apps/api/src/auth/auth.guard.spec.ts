import {
  type ArgumentsHost,
  Catch,
  Controller,
  type ExceptionFilter,
  Get,
  Global,
  Module,
  Put,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { signHmacAuthorization } from '@member-phone/core';
import type { FastifyReply } from 'fastify';

import { ApiKeysService } from '../api-keys/api-keys.service';
import { ApiError } from '../common/api-error';
import { CLOCK } from '../common/clock';
import { APP_CONFIG } from '../config/app-config';
import type { DatabaseHandle } from '../database/create-database';
import { DatabaseModule } from '../database/database.module';
import type { MemberRow } from '../database/schema';
import type { AuthContext } from './auth-context';
import { AllowMemberStatus, Auth, Public, RequireScope } from './auth.decorators';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from './auth.module';
import { DevTokenIssuer } from './bearer/dev-token.issuer';
import { insertMember, openTestDatabase, testConfig } from './testing/auth-test-kit';
import { ManualClock } from '../common/testing/manual-clock';

const NOW = Date.UTC(2025, 0, 15, 3, 0, 0);
const CHALLENGE = 'HMAC-SHA256 realm="member-phone", Bearer realm="member-phone"';

const describeAuth = (auth: AuthContext) => ({
  method: auth.method,
  credentialId: auth.credentialId,
  memberId: auth.member.id,
  scopes: auth.scopes === 'all' ? 'all' : [...auth.scopes],
});

@Controller('t')
class ProbeController {
  @Public()
  @Get('public')
  open() {
    return { public: true };
  }

  @Get('any')
  any(@Auth() auth: AuthContext) {
    return describeAuth(auth);
  }

  @RequireScope('users:write')
  @Put('write')
  write(@Auth() auth: AuthContext) {
    return describeAuth(auth);
  }

  @RequireScope('users:read')
  @AllowMemberStatus('ACTIVE', 'UNVERIFIED')
  @Get('read')
  read(@Auth() auth: AuthContext) {
    return describeAuth(auth);
  }
}

@Public()
@Controller('open-class')
class PublicClassController {
  @Get()
  open() {
    return { public: true };
  }
}

@RequireScope('users:read')
@AllowMemberStatus('INACTIVE')
@Controller('scoped-class')
class ScopedClassController {
  @Get()
  inherited(@Auth() auth: AuthContext) {
    return describeAuth(auth);
  }

  @RequireScope('users:write')
  @AllowMemberStatus('ACTIVE')
  @Get('override')
  override(@Auth() auth: AuthContext) {
    return describeAuth(auth);
  }
}

/** Stand-in for the app's global filter: the catalog code, status and headers of an ApiError. */
@Catch()
class ApiErrorFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost) {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (error instanceof ApiError) {
      void reply.status(error.status).headers(error.headers).send({ errorCode: error.code });
    } else {
      void reply.status(500).send({ errorCode: 'InternalError' });
    }
  }
}

describe('AuthGuard over HTTP', () => {
  let app: NestFastifyApplication;
  let handle: DatabaseHandle;
  let clock: ManualClock;
  let active: MemberRow;
  let fullKey: { apiKey: string; apiSecret: string };
  let tokens: DevTokenIssuer;
  let apiKeys: ApiKeysService;

  beforeEach(async () => {
    handle = await openTestDatabase();
    clock = new ManualClock(NOW);
    const config = testConfig();

    @Global()
    @Module({
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: clock },
      ],
      exports: [APP_CONFIG, CLOCK],
    })
    class TestEnvironmentModule {}

    const moduleRef = await Test.createTestingModule({
      imports: [TestEnvironmentModule, DatabaseModule.forHandle(handle), AuditModule, AuthModule],
      controllers: [ProbeController, PublicClassController, ScopedClassController],
      providers: [{ provide: APP_FILTER, useClass: ApiErrorFilter }],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();

    tokens = app.get(DevTokenIssuer);
    apiKeys = moduleRef.get(ApiKeysService, { strict: false });
    active = await insertMember(handle.db);
    fullKey = await apiKeys.create({ memberId: active.id });
  });

  afterEach(async () => {
    await app.close(); // also closes the database
  });

  const hmac = (key: { apiKey: string; apiSecret: string }, options: { salt?: string } = {}) =>
    signHmacAuthorization(key, { date: new Date(NOW).toISOString(), ...options });
  const call = (method: 'GET' | 'PUT', url: string, authorization?: string) =>
    app.inject({ method, url, headers: authorization === undefined ? {} : { authorization } });
  const memberWith = (status: MemberRow['status']) => insertMember(handle.db, { status });

  it('serves a @Public route without credentials, even with a broken Authorization header', async () => {
    expect((await call('GET', '/t/public')).json()).toEqual({ public: true });
    const res = await call('GET', '/t/public', 'Basic Zm9vOmJhcg==');
    expect(res.statusCode).toBe(200);
    expect((await call('GET', '/open-class')).statusCode).toBe(200);
  });

  it.each([
    ['no Authorization header', undefined],
    ['an empty header', ''],
    ['an unknown scheme', 'Basic Zm9vOmJhcg=='],
    [
      'an HMAC header missing a parameter',
      'HMAC-SHA256 apiKey=MPX, date=2025-01-15T03:00:00Z, salt=abcdefghijklmn',
    ],
    [
      'an HMAC date without offset',
      `HMAC-SHA256 apiKey=MPX, date=2025-01-15T03:00:00, salt=abcdefghijklmn, signature=${'a'.repeat(64)}`,
    ],
    [
      'an HMAC salt that is too short',
      `HMAC-SHA256 apiKey=MPX, date=2025-01-15T03:00:00Z, salt=short, signature=${'a'.repeat(64)}`,
    ],
    ['an empty bearer token', 'Bearer '],
  ])('answers 401 Unauthorized naming both schemes for %s', async (_name, authorization) => {
    const res = await call('GET', '/t/any', authorization);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ errorCode: 'Unauthorized' });
    expect(res.headers['www-authenticate']).toBe(CHALLENGE);
  });

  it('answers 401 with invalid_token for a bad bearer token', async () => {
    const res = await call('GET', '/t/any', 'Bearer not.a.token');
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe(`${CHALLENGE}, error="invalid_token"`);
  });

  it('authenticates an API-key request and hands the route its auth context', async () => {
    const res = await call('PUT', '/t/write', hmac(fullKey));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      method: 'hmac',
      credentialId: `apikey:${fullKey.apiKey}`,
      memberId: active.id,
      scopes: 'all',
    });
  });

  it('authenticates a bearer request and hands the route its auth context', async () => {
    const token = await tokens.issue({ memberId: active.id, scopes: ['users:write'] });
    const res = await call('PUT', '/t/write', `Bearer ${token}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ method: 'bearer', memberId: active.id, scopes: ['users:write'] });
  });

  it('refuses a replayed API-key request with DuplicatedSignature', async () => {
    const header = hmac(fullKey);
    expect((await call('GET', '/t/any', header)).statusCode).toBe(200);
    const replay = await call('GET', '/t/any', header);
    expect(replay.statusCode).toBe(403);
    expect(replay.json()).toEqual({ errorCode: 'DuplicatedSignature' });
  });

  it('authenticates before anything else: a bad signature from a member lacking scope and status', async () => {
    const inactive = await memberWith('INACTIVE');
    const key = await apiKeys.create({ memberId: inactive.id, scopes: [] });
    const res = await call('PUT', '/t/write', hmac({ apiKey: key.apiKey, apiSecret: 'wrong'.repeat(7) }));
    expect(res.json()).toEqual({ errorCode: 'SignatureDoesNotMatch' });
  });

  it('checks the scope before the member status', async () => {
    const inactive = await memberWith('INACTIVE');
    const noWrite = await tokens.issue({ memberId: inactive.id, scopes: ['users:read'] });
    const withWrite = await tokens.issue({ memberId: inactive.id, scopes: ['users:write'] });

    const forbidden = await call('PUT', '/t/write', `Bearer ${noWrite}`);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json()).toEqual({ errorCode: 'Forbidden' });
    const status = await call('PUT', '/t/write', `Bearer ${withWrite}`);
    expect(status.statusCode).toBe(403);
    expect(status.json()).toEqual({ errorCode: 'InvalidMemberStatus' });
  });

  it('enforces the scope list of a scoped API key', async () => {
    const readOnly = await apiKeys.create({ memberId: active.id, scopes: ['users:read'] });
    expect((await call('PUT', '/t/write', hmac(readOnly))).json()).toEqual({ errorCode: 'Forbidden' });
    expect((await call('GET', '/t/read', hmac(readOnly))).statusCode).toBe(200);
  });

  it('allows only ACTIVE members on a route that names no status', async () => {
    for (const status of ['UNVERIFIED', 'INACTIVE'] as const) {
      const member = await memberWith(status);
      const token = await tokens.issue({ memberId: member.id, scopes: [] });
      expect((await call('GET', '/t/any', `Bearer ${token}`)).json()).toEqual({
        errorCode: 'InvalidMemberStatus',
      });
    }
  });

  it('allows the statuses a route names', async () => {
    const unverified = await memberWith('UNVERIFIED');
    const token = await tokens.issue({ memberId: unverified.id, scopes: ['users:read'] });
    const res = await call('GET', '/t/read', `Bearer ${token}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ memberId: unverified.id });
  });

  it('reads scope and status from the class, and lets a handler override them', async () => {
    const inactive = await memberWith('INACTIVE');
    const read = await tokens.issue({ memberId: inactive.id, scopes: ['users:read'] });
    const write = await tokens.issue({ memberId: active.id, scopes: ['users:write'] });

    expect((await call('GET', '/scoped-class', `Bearer ${read}`)).statusCode).toBe(200);
    expect((await call('GET', '/scoped-class', `Bearer ${write}`)).json()).toEqual({
      errorCode: 'Forbidden',
    });
    expect((await call('GET', '/scoped-class/override', `Bearer ${write}`)).statusCode).toBe(200);
    expect((await call('GET', '/scoped-class/override', `Bearer ${read}`)).json()).toEqual({
      errorCode: 'Forbidden',
    });
  });

  it('refuses the credentials of a deleted member', async () => {
    const deleted = await memberWith('DELETED');
    const key = await apiKeys.create({ memberId: active.id });
    await handle.db
      .updateTable('api_keys')
      .set({ member_id: deleted.id })
      .where('id', '=', key.apiKey)
      .execute();
    const token = await tokens.issue({ memberId: deleted.id, scopes: ['users:write'] });

    expect((await call('GET', '/t/any', hmac(key))).json()).toEqual({ errorCode: 'InvalidAPIKey' });
    const bearer = await call('GET', '/t/any', `Bearer ${token}`);
    expect(bearer.statusCode).toBe(401);
    expect(bearer.json()).toEqual({ errorCode: 'Unauthorized' });
  });

  it('answers 503 ServiceUnavailable when the database is unreachable', async () => {
    jest
      .spyOn(ApiKeysService.prototype, 'resolveSecret')
      .mockRejectedValue(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const res = await call('GET', '/t/any', hmac(fullKey));
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ errorCode: 'ServiceUnavailable' });
  });

  it('lets a bug through as a plain error, which the filter makes a 500', async () => {
    jest.spyOn(ApiKeysService.prototype, 'resolveSecret').mockRejectedValue(new TypeError('oops'));
    const res = await call('GET', '/t/any', hmac(fullKey));
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ errorCode: 'InternalError' });
  });
});
