// Contract of the ARS routes over HTTP, on a minimal Nest + Fastify app: a header-driven stand-in
// for the global auth guard, a tiny error filter and validation pipe, and the real ARS modules.
import {
  type ArgumentsHost,
  type CanActivate,
  Catch,
  type DynamicModule,
  type ExceptionFilter,
  type ExecutionContext,
  Global,
  Inject,
  Injectable,
  type LoggerService,
  Module,
  NotFoundException,
  ValidationPipe,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE, NestFactory, Reflector } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { errorBody, KOREAN_MOBILE_CONSTRAINT, type MemberStatus } from '@member-phone/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import nock from 'nock';

import { AuditModule } from '../audit/audit.module';
import { type AuthContext, hasScope } from '../auth/auth-context';
import { ALLOWED_MEMBER_STATUSES, PUBLIC_ROUTE, REQUIRED_SCOPE } from '../auth/auth.decorators';
import { ApiError } from '../common/api-error';
import { CLOCK } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { KYSELY } from '../database/database.module';
import type { Database } from '../database/schema';
import { signTelephonyPayload } from '../telephony/telephony-signature';
import * as arsCode from './ars-code';
import { ArsDevModule } from './ars-dev.module';
import { ArsModule } from './ars.module';
import { arsTestConfig, insertMember, openTestDatabase, type TestDatabase } from './testing/ars-test-kit';
import { ManualClock } from '../common/testing/manual-clock';

const PROVIDER = 'https://telephony.example.test';
const SECRET = 'a-telephony-secret-of-at-least-32-chars';
const HTTP_TELEPHONY = {
  adapter: 'http',
  callUrl: `${PROVIDER}/v1/calls`,
  secret: SECRET,
  timeoutMs: 500,
} as const;

/** Stands in for the real guard: the member comes from `x-test-member`, scopes from `x-test-scopes`. */
@Injectable()
class HeaderAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(KYSELY) private readonly db: Kysely<Database>,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const memberId = request.headers['x-test-member'];
    if (typeof memberId !== 'string') throw new ApiError('Unauthorized');
    const member = await this.db
      .selectFrom('members')
      .selectAll()
      .where('id', '=', memberId)
      .executeTakeFirst();
    if (!member) throw new ApiError('Unauthorized');
    const scopes = request.headers['x-test-scopes'];
    const credential = request.headers['x-test-credential'];
    const auth: AuthContext = {
      method: 'hmac',
      credentialId: typeof credential === 'string' ? credential : `apikey:key-of-${member.id}`,
      member,
      scopes: typeof scopes === 'string' ? new Set(scopes.split(' ')) : 'all',
    };
    const scope = this.reflector.getAllAndOverride<string | undefined>(REQUIRED_SCOPE, targets);
    if (scope && !hasScope(auth, scope)) throw new ApiError('Forbidden');
    const statuses = this.reflector.getAllAndOverride<MemberStatus[] | undefined>(
      ALLOWED_MEMBER_STATUSES,
      targets,
    );
    if (statuses && !statuses.includes(member.status)) throw new ApiError('InvalidMemberStatus');
    request.auth = auth;
    return true;
  }
}

@Catch()
class CatalogErrorFilter implements ExceptionFilter {
  static readonly unexpected: unknown[] = [];

  catch(exception: unknown, host: ArgumentsHost): void {
    let error: ApiError;
    if (exception instanceof ApiError) error = exception;
    else if (exception instanceof NotFoundException) error = new ApiError('ResourceNotFound');
    else {
      CatalogErrorFilter.unexpected.push(exception);
      error = new ApiError('InternalError');
    }
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    void reply.status(error.status).headers(error.headers).send(errorBody(error.code));
  }
}

class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  private keep = (...args: unknown[]) => {
    this.lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  };
  log = this.keep;
  error = this.keep;
  warn = this.keep;
  debug = this.keep;
  verbose = this.keep;
  fatal = this.keep;
}

@Global()
@Module({})
class TestGlobalsModule {
  static forRoot(config: AppConfig, clock: ManualClock, database: TestDatabase): DynamicModule {
    return {
      module: TestGlobalsModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: clock },
        { provide: KYSELY, useValue: database.handle.db },
      ],
      exports: [APP_CONFIG, CLOCK, KYSELY],
    };
  }
}

@Module({})
class TestAppModule {
  static forRoot(
    config: AppConfig,
    clock: ManualClock,
    database: TestDatabase,
    withDevRoutes: boolean,
  ): DynamicModule {
    return {
      module: TestAppModule,
      imports: [
        TestGlobalsModule.forRoot(config, clock, database),
        AuditModule,
        ArsModule.forConfig(config),
        ...(withDevRoutes ? [ArsDevModule] : []),
      ],
      providers: [
        { provide: APP_GUARD, useClass: HeaderAuthGuard },
        { provide: APP_FILTER, useClass: CatalogErrorFilter },
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({
            whitelist: true,
            forbidNonWhitelisted: true,
            exceptionFactory: (errors) => {
              const failed = errors.flatMap((e) => Object.keys(e.constraints ?? {}));
              return new ApiError(
                failed.length === 1 && failed[0] === KOREAN_MOBILE_CONSTRAINT
                  ? 'InvalidPhoneNumber'
                  : 'ValidationError',
              );
            },
          }),
        },
      ],
    };
  }
}

interface TestApp {
  app: NestFastifyApplication;
  logger: CapturingLogger;
  request(options: {
    method: 'GET' | 'POST';
    url: string;
    member?: string;
    headers?: Record<string, string>;
    body?: unknown;
    rawBody?: string;
  }): Promise<{ status: number; body: Record<string, unknown>; headers: Record<string, unknown> }>;
}

async function createTestApp(
  config: AppConfig,
  clock: ManualClock,
  database: TestDatabase,
  withDevRoutes = config.mode === 'development',
): Promise<TestApp> {
  const logger = new CapturingLogger();
  const app = await NestFactory.create<NestFastifyApplication>(
    TestAppModule.forRoot(config, clock, database, withDevRoutes),
    new FastifyAdapter(),
    { bodyParser: false, logger, abortOnError: false },
  );
  const fastify = app.getHttpAdapter().getInstance();
  // As the app's own parser does: keep the exact text for signed webhooks.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = String(body);
    (request as FastifyRequest & { rawBody?: string }).rawBody = text;
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new ApiError('ValidationError'), undefined);
    }
  });
  await app.init();
  await fastify.ready();
  return {
    app,
    logger,
    async request({ method, url, member, headers = {}, body, rawBody }) {
      const payload = rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
      const response = await fastify.inject({
        method,
        url,
        headers: {
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
          ...(member ? { 'x-test-member': member } : {}),
          ...headers,
        },
        ...(payload === undefined ? {} : { payload }),
      });
      return {
        status: response.statusCode,
        body: response.body ? (JSON.parse(response.body) as Record<string, unknown>) : {},
        headers: response.headers,
      };
    },
  };
}

const ARS = '/users/v1/member/phone-number/ars';

describe('ARS over HTTP', () => {
  let database: TestDatabase;
  const clock = new ManualClock();

  beforeAll(async () => {
    database = await openTestDatabase();
    nock.disableNetConnect();
  });
  afterAll(async () => {
    nock.enableNetConnect();
    await database.close();
  });
  afterEach(() => {
    nock.cleanAll();
    expect(CatalogErrorFilter.unexpected).toEqual([]);
  });

  const newMember = async (status: MemberStatus = 'ACTIVE') =>
    (await insertMember(database.handle.db, { status })).id;

  describe('with the simulator (development)', () => {
    let api: TestApp;

    beforeAll(async () => {
      const config = arsTestConfig({ limits: { memberCooldown: { limit: 1, windowMs: 30_000 } } });
      api = await createTestApp(config, clock, database);
    });
    afterAll(() => api.app.close());

    it('POST starts a verification (201) and GET shows its status, never the code', async () => {
      const member = await newMember();

      const started = await api.request({
        method: 'POST',
        url: ARS,
        member,
        body: { phoneNumber: '010-2222-3333' },
      });
      const shown = await api.request({
        method: 'GET',
        url: `${ARS}/${String(started.body['verificationId'])}`,
        member,
      });

      expect(started.status).toBe(201);
      expect(started.body).toEqual({
        verificationId: expect.any(String) as unknown,
        phoneNumber: '01022223333',
        code: expect.stringMatching(/^\d{6}$/) as unknown,
        status: 'CALLING',
        attemptsLeft: 5,
        expireAt: new Date(clock.now() + 180_000).toISOString(),
      });
      expect(shown.status).toBe(200);
      expect(shown.body).toEqual({
        verificationId: started.body['verificationId'],
        phoneNumber: '01022223333',
        status: 'CALLING',
        attemptsLeft: 5,
        expireAt: started.body['expireAt'],
      });
      expect(JSON.stringify(shown.body)).not.toContain(String(started.body['code']));
    });

    it('GET of another member’s verification answers 404 ResourceNotFound', async () => {
      const owner = await newMember();
      const started = await api.request({
        method: 'POST',
        url: ARS,
        member: owner,
        body: { phoneNumber: '01022224444' },
      });

      const peek = await api.request({
        method: 'GET',
        url: `${ARS}/${String(started.body['verificationId'])}`,
        member: await newMember(),
      });

      expect(peek.status).toBe(404);
      expect(peek.body).toEqual(errorBody('ResourceNotFound'));
    });

    it('requires the users:write permission and an ACTIVE member', async () => {
      const readOnly = await api.request({
        method: 'POST',
        url: ARS,
        member: await newMember(),
        headers: { 'x-test-scopes': 'users:read' },
        body: { phoneNumber: '01022225555' },
      });
      const inactive = await api.request({
        method: 'POST',
        url: ARS,
        member: await newMember('INACTIVE'),
        body: { phoneNumber: '01022225555' },
      });

      expect([readOnly.status, readOnly.body['errorCode']]).toEqual([403, 'Forbidden']);
      expect([inactive.status, inactive.body['errorCode']]).toEqual([403, 'InvalidMemberStatus']);
    });

    it('refuses a number that is not a Korean mobile number with 400 InvalidPhoneNumber', async () => {
      const response = await api.request({
        method: 'POST',
        url: ARS,
        member: await newMember(),
        body: { phoneNumber: '070-1234-5678' },
      });

      expect([response.status, response.body['errorCode']]).toEqual([400, 'InvalidPhoneNumber']);
    });

    it('answers 429 TooManyRequests with Retry-After inside the member cooldown', async () => {
      const member = await newMember();
      await api.request({ method: 'POST', url: ARS, member, body: { phoneNumber: '01022226666' } });

      const again = await api.request({
        method: 'POST',
        url: ARS,
        member,
        body: { phoneNumber: '01022226666' },
      });

      expect(again.status).toBe(429);
      expect(again.body).toEqual(errorBody('TooManyRequests'));
      expect(again.headers['retry-after']).toBe('30');
    });

    it('the development keypad presses digits on a simulated call', async () => {
      const member = await newMember();
      const started = await api.request({
        method: 'POST',
        url: ARS,
        member,
        body: { phoneNumber: '01022227777' },
      });
      const id = String(started.body['verificationId']);
      const code = String(started.body['code']);
      const wrong = code === '000000' ? '111111' : '000000';

      const miss = await api.request({
        method: 'POST',
        url: `/dev/ars/${id}/keypad`,
        body: { digits: wrong },
      });
      const hit = await api.request({ method: 'POST', url: `/dev/ars/${id}/keypad`, body: { digits: code } });
      const unknown = await api.request({
        method: 'POST',
        url: '/dev/ars/nope/keypad',
        body: { digits: code },
      });
      const shown = await api.request({ method: 'GET', url: `${ARS}/${id}`, member });

      expect([miss.status, miss.body]).toEqual([200, { outcome: 'mismatch', status: 'CALLING' }]);
      expect([hit.status, hit.body]).toEqual([200, { outcome: 'verified', status: 'VERIFIED' }]);
      expect([unknown.status, unknown.body['errorCode']]).toEqual([404, 'ResourceNotFound']);
      expect(shown.body).toMatchObject({ status: 'VERIFIED', attemptsLeft: 0 });
    });

    it('has no telephony webhook while the simulator places the calls', async () => {
      const body = JSON.stringify({ type: 'keypad', callId: 'x', digits: '1' });

      const response = await api.request({
        method: 'POST',
        url: '/telephony/v1/events',
        rawBody: body,
        headers: { 'x-telephony-signature': signTelephonyPayload(SECRET, body, clock.now()) },
      });

      expect([response.status, response.body['errorCode']]).toEqual([404, 'ResourceNotFound']);
    });

    it('logs the masked number, never the full number or the code', async () => {
      jest.spyOn(arsCode, 'generateArsCode').mockReturnValue('246813');
      const member = await newMember();
      api.logger.lines.length = 0;

      const started = await api.request({
        method: 'POST',
        url: ARS,
        member,
        body: { phoneNumber: '01055556666' },
      });
      await api.request({
        method: 'POST',
        url: `/dev/ars/${String(started.body['verificationId'])}/keypad`,
        body: { digits: '246813' },
      });

      expect(started.body['code']).toBe('246813');
      const log = api.logger.lines.join('\n');
      expect(log).toContain('call placed to 010-****-6666');
      expect(log).not.toContain('01055556666');
      expect(log).not.toContain('246813');
    });
  });

  describe('with the HTTP telephony provider', () => {
    let api: TestApp;

    beforeAll(async () => {
      api = await createTestApp(arsTestConfig({ telephony: HTTP_TELEPHONY }), clock, database);
    });
    afterAll(() => api.app.close());

    const sendEvent = (
      event: unknown,
      sign: (body: string) => string = (b) => signTelephonyPayload(SECRET, b, clock.now()),
    ) => {
      const body = JSON.stringify(event);
      return api.request({
        method: 'POST',
        url: '/telephony/v1/events',
        rawBody: body,
        headers: { 'x-telephony-signature': sign(body) },
      });
    };
    const startCall = async (phoneNumber: string) => {
      let providerBody: Record<string, unknown> = {};
      nock(PROVIDER)
        .post('/v1/calls', (body: Record<string, unknown>) => {
          providerBody = body;
          return true;
        })
        .reply(200, { providerCallId: 'provider-call-1' });
      const member = await newMember();
      const started = await api.request({ method: 'POST', url: ARS, member, body: { phoneNumber } });
      expect(started.status).toBe(201);
      return {
        member,
        id: String(started.body['verificationId']),
        code: String(started.body['code']),
        providerBody,
      };
    };
    const rowOf = (id: string) =>
      database.handle.db
        .selectFrom('ars_verifications')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();

    it('places the call with the provider, and a signed keypad event verifies it', async () => {
      const call = await startCall('01033334444');

      const event = await sendEvent({ type: 'keypad', callId: call.id, digits: call.code });
      const shown = await api.request({ method: 'GET', url: `${ARS}/${call.id}`, member: call.member });

      expect(call.providerBody).toEqual({
        callId: call.id,
        to: '01033334444',
        requestId: expect.any(String) as unknown,
      });
      expect((await rowOf(call.id)).provider_call_id).toBe('provider-call-1');
      expect([event.status, event.body]).toEqual([200, { outcome: 'verified' }]);
      expect(shown.body['status']).toBe('VERIFIED');
    });

    it('refuses an event with a wrong or stale signature with 401 and changes nothing', async () => {
      const call = await startCall('01033335555');
      const event = { type: 'keypad', callId: call.id, digits: call.code };

      const forged = await sendEvent(event, (b) =>
        signTelephonyPayload('not-the-shared-secret-but-long-enough', b, clock.now()),
      );
      const stale = await sendEvent(event, (b) => signTelephonyPayload(SECRET, b, clock.now() - 6 * 60_000));
      const unsigned = await api.request({
        method: 'POST',
        url: '/telephony/v1/events',
        rawBody: JSON.stringify(event),
      });

      for (const response of [forged, stale, unsigned]) {
        expect([response.status, response.body['errorCode']]).toEqual([401, 'Unauthorized']);
      }
      expect(await rowOf(call.id)).toMatchObject({ status: 'CALLING', attempts: 0 });
    });

    it('reports a wrong code as mismatch and a failed call as failed', async () => {
      const call = await startCall('01033336666');
      const wrong = call.code === '000000' ? '111111' : '000000';

      const miss = await sendEvent({ type: 'keypad', callId: call.id, digits: wrong });
      const failed = await sendEvent({ type: 'call.failed', callId: call.id });
      const late = await sendEvent({ type: 'keypad', callId: call.id, digits: call.code });

      expect([miss.body, failed.body, late.body]).toEqual([
        { outcome: 'mismatch' },
        { outcome: 'failed' },
        { outcome: 'not_open' },
      ]);
      expect(await rowOf(call.id)).toMatchObject({ status: 'FAILED', attempts: 1 });
    });

    it('acts on a signed event once: copies replayed within the tolerance change nothing', async () => {
      const call = await startCall('01033338888');
      const wrong = call.code === '000000' ? '111111' : '000000';
      const body = JSON.stringify({ type: 'keypad', callId: call.id, digits: wrong });
      const header = signTelephonyPayload(SECRET, body, clock.now());
      const send = () =>
        api.request({
          method: 'POST',
          url: '/telephony/v1/events',
          rawBody: body,
          headers: { 'x-telephony-signature': header },
        });

      const first = await send();
      const copies = await Promise.all([send(), send(), send(), send(), send()]);

      expect([first.status, first.body]).toEqual([200, { outcome: 'mismatch' }]);
      for (const copy of copies) expect([copy.status, copy.body]).toEqual([200, { outcome: 'duplicate' }]);
      expect(await rowOf(call.id)).toMatchObject({ status: 'CALLING', attempts: 1 });
      // A new event, signed afresh, still counts: the right code verifies the call.
      const right = await sendEvent({ type: 'keypad', callId: call.id, digits: call.code });
      expect(right.body).toEqual({ outcome: 'verified' });
    });

    it('acknowledges unknown event types and refuses malformed known ones', async () => {
      const ignored = await sendEvent({ type: 'call.answered', callId: 'whatever' });
      const malformed = await sendEvent({ type: 'keypad', callId: 'x', digits: 123456 });

      expect([ignored.status, ignored.body]).toEqual([200, { outcome: 'ignored' }]);
      expect([malformed.status, malformed.body['errorCode']]).toEqual([400, 'ValidationError']);
    });

    it('answers 503 ServiceUnavailable when the provider fails, leaving nothing usable', async () => {
      nock(PROVIDER).post('/v1/calls').reply(502, 'bad gateway');
      const member = await newMember();

      const response = await api.request({
        method: 'POST',
        url: ARS,
        member,
        body: { phoneNumber: '01033337777' },
      });

      expect([response.status, response.body]).toEqual([503, errorBody('ServiceUnavailable')]);
      const rows = await database.handle.db
        .selectFrom('ars_verifications')
        .select('status')
        .where('member_id', '=', member)
        .execute();
      expect(rows).toEqual([{ status: 'FAILED' }]);
    });
  });

  describe('in production mode', () => {
    it('the development keypad does not exist, even if its module were imported', async () => {
      const config = arsTestConfig({ mode: 'production', telephony: HTTP_TELEPHONY });
      const withoutDev = await createTestApp(config, clock, database, false);
      const withDev = await createTestApp(config, clock, database, true);

      const responses = await Promise.all(
        [withoutDev, withDev].map((api) =>
          api.request({ method: 'POST', url: '/dev/ars/some-id/keypad', body: { digits: '123456' } }),
        ),
      );
      await Promise.all([withoutDev.app.close(), withDev.app.close()]);

      for (const response of responses) {
        expect([response.status, response.body['errorCode']]).toEqual([404, 'ResourceNotFound']);
      }
    });
  });
});
