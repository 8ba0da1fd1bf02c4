import { randomUUID } from 'node:crypto';

import {
  errorBody,
  MemberPhoneClient,
  type MemberPhoneClientAuth,
  type MessageLanguage,
  type Operation,
  signHmacAuthorization,
} from '@member-phone/core';
import {
  getScenario,
  mockMemberPhoneApi,
  normalizeRecordedResponse,
  OPERATION_ROUTES,
  type FakeApiKey,
  type RecordedResponse,
  type RecordedResponses,
  type Scenario,
  type ScenarioName,
} from '@member-phone/testing';
import request from 'supertest';

import { ApiKeysService } from '../../../src/api-keys/api-keys.service';
import { ManualClock } from '../../../src/common/testing/manual-clock';
import { startTestApp, type TestApp, type TestMember } from '../../support/test-app';

const KIT_BASE_URL = 'https://api.solapi.com';

const SUCCESS_OF: Readonly<Record<Operation, ScenarioName>> = {
  updatePhoneNumber: 'updatePhoneNumber.success',
  getMember: 'getMember.success',
  startArsVerification: 'startArsVerification.success',
  getArsVerification: 'getArsVerification.CALLING',
};
const ARS_COOLDOWN_MS = 31_000;
const ARS_CALL_WINDOW_MS = 3 * 60_000;

/** Limits high enough that dozens of scenarios in one app never trip the shared buckets. */
const CONFORMANCE_ENV: Record<string, string> = {
  ARS_NUMBER_HOURLY_LIMIT: '100000',
  ARS_NUMBER_DAILY_LIMIT: '100000',
  ARS_MEMBER_DAILY_LIMIT: '100000',
  ARS_CREDENTIAL_DAILY_LIMIT: '100000',
  ARS_CLIENT_ADDRESS_HOURLY_LIMIT: '100000',
  ARS_GLOBAL_HOURLY_LIMIT: '100000',
};

/** One HTTP answer as it arrived, before normalization. */
interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/** A scenario's request, resolved against one member, ready to send to either side. */
interface PreparedRequest {
  readonly scenario: Scenario;
  readonly path: string;
  readonly auth: MemberPhoneClientAuth | undefined;
  /** A header to send as is instead of the client's own signing. */
  readonly authorization: string | undefined;
  readonly rawBody: { contentType: string; text: string } | undefined;
  readonly verificationId: string | undefined;
  readonly language?: MessageLanguage;
  /** The member's own key, for a kit that checks credentials. */
  readonly memberKey: FakeApiKey;
}

/** What one scenario gave on both sides, normalized. */
export interface ScenarioComparison {
  readonly name: ScenarioName;
  readonly expected: RecordedResponse | undefined;
  readonly real: RecordedResponse;
  readonly kit: RecordedResponse | undefined;
  /** Human-readable differences; empty when service, kit and recording agree. */
  readonly differences: string[];
}

function sameJson(left: unknown, right: unknown): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}

function wrongDigits(code: string): string {
  return [...code].map((digit) => String((Number(digit) + 1) % 10)).join('');
}

/**
 * The real app under a manual clock, plus what it takes to put it in each scenario's state and
 * send the scenario's request through the real client.
 */
export class ScenarioHarness {
  private constructor(
    readonly app: TestApp,
    private readonly clock: ManualClock,
  ) {}

  static async start(): Promise<ScenarioHarness> {
    const clock = new ManualClock(Date.now());
    const app = await startTestApp({ clock, env: CONFORMANCE_ENV });
    return new ScenarioHarness(app, clock);
  }

  close(): Promise<void> {
    return this.app.close();
  }

  /**
   * Builds the scenario's state in the real service, sends its request there and to the kit, and
   * compares both normalized answers with `responses` (the checked-in recording by default).
   * `kit: false` skips the kit side (while regenerating, the loaded recording is stale).
   */
  async compare(
    name: ScenarioName,
    responses: RecordedResponses,
    options: { kit?: boolean; language?: MessageLanguage } = {},
  ): Promise<ScenarioComparison> {
    const scenario = getScenario(name);
    const prepared = { ...(await this.arrange(scenario)), language: options.language ?? 'ko' };
    const real = normalizeRecordedResponse(await this.sendReal(prepared));
    const recorded = (responses as Partial<Record<ScenarioName, RecordedResponse>>)[name];
    // The recording holds the Korean answers; the English ones differ only by the catalog's message.
    const expected =
      recorded && scenario.errorCode && prepared.language === 'en'
        ? { ...recorded, body: errorBody(scenario.errorCode, 'en') }
        : recorded;
    const kit =
      options.kit === false ? undefined : normalizeRecordedResponse(await sendToKit(prepared, responses));
    const differences: string[] = [];
    if (!expected) differences.push(`${name}: no recorded answer`);
    else {
      if (!sameJson(real, expected)) {
        differences.push(
          `${name}: the service answered ${JSON.stringify(real)}, the recording says ${JSON.stringify(expected)}`,
        );
      }
      if (kit && !sameJson(kit, expected)) {
        differences.push(
          `${name}: the kit answered ${JSON.stringify(kit)}, the recording says ${JSON.stringify(expected)}`,
        );
      }
    }
    if (real.status !== scenario.status)
      differences.push(`${name}: status ${real.status}, the catalog says ${scenario.status}`);
    const errorCode = (real.body as { errorCode?: unknown } | null)?.errorCode;
    if (scenario.errorCode !== errorCode) {
      differences.push(
        `${name}: errorCode ${String(errorCode)}, the scenario says ${String(scenario.errorCode)}`,
      );
    }
    return { name, expected, real, kit, differences };
  }

  /**
   * Sends the scenario's request to the real service and to a kit that only scripts the
   * operation's success but knows the member's key and the server's clock, so the kit must work
   * out the refusal itself (signature, replay, skew, scope, body rules). Both answers, normalized.
   */
  async deriveRefusal(name: ScenarioName): Promise<{ real: RecordedResponse; kit: RecordedResponse }> {
    const scenario = getScenario(name);
    const prepared = await this.arrange(scenario);
    const real = normalizeRecordedResponse(await this.sendReal(prepared));
    const api = mockMemberPhoneApi(KIT_BASE_URL, {
      credentials: { apiKeys: [prepared.memberKey] },
      now: () => this.clock.now(),
    });
    try {
      api
        .scenario(SUCCESS_OF[scenario.operation], { persist: true })
        .scenario('getMember.success', { persist: true });
      if (prepared.authorization) {
        // The replay needs a first, accepted use, as arrange() gave the real service.
        await fetch(`${KIT_BASE_URL}/users/v1/member`, {
          headers: { authorization: prepared.authorization },
        });
      }
      const kit = normalizeRecordedResponse(await send(KIT_BASE_URL, prepared));
      return { real, kit };
    } finally {
      api.cleanup();
    }
  }

  private async arrange(scenario: Scenario): Promise<PreparedRequest> {
    const { state, request: spec } = scenario;
    this.clock.set(Date.now());
    const member = await this.app.createMember({
      phoneNumber: state.member.phoneNumber,
      scopes: state.scopes === null ? null : [...state.scopes],
    });

    let verificationId: string | undefined;
    if (state.arsVerification) {
      verificationId = await this.holdVerification(
        member,
        state.arsVerification.phoneNumber,
        state.arsVerification.status,
      );
    }
    if (state.recentArsCall) await this.startArs(member, '01099990000');
    if (state.member.status !== 'ACTIVE') {
      await this.app.db
        .updateTable('members')
        .set({ status: state.member.status })
        .where('id', '=', member.row.id)
        .execute();
    }
    if (state.serverClockAheadMs) this.clock.advance(state.serverClockAheadMs);

    const route = OPERATION_ROUTES[scenario.operation];
    const id = spec.verificationId === 'unknown' ? randomUUID() : verificationId;
    const path = route.path.replace('{verificationId}', encodeURIComponent(id ?? ''));
    const ownKey = { type: 'hmac' as const, apiKey: member.apiKey, apiSecret: member.apiSecret };
    let auth: MemberPhoneClientAuth | undefined = ownKey;
    let authorization: string | undefined;
    switch (spec.credential) {
      case 'valid':
        break;
      case 'none':
        auth = undefined;
        break;
      case 'unknown-key':
        auth = { ...ownKey, apiKey: `NCS${randomUUID().replace(/-/g, '').slice(0, 13).toUpperCase()}` };
        break;
      case 'wrong-secret':
        auth = { ...ownKey, apiSecret: `${member.apiSecret}-not` };
        break;
      case 'replayed':
        authorization = member.hmac();
        // Accepted once on another route, so the scenario's request is the replay.
        await request(this.app.app.getHttpServer())
          .get('/users/v1/member')
          .set('Authorization', authorization)
          .expect(200);
        break;
    }
    const memberKey: FakeApiKey = {
      apiKey: member.apiKey,
      apiSecret: member.apiSecret,
      scopes: state.scopes,
    };
    return { scenario, path, auth, authorization, rawBody: spec.rawBody, verificationId: id, memberKey };
  }

  private async startArs(
    member: TestMember,
    phoneNumber: string,
  ): Promise<{ verificationId: string; code: string }> {
    const answer = await request(this.app.app.getHttpServer())
      .post('/users/v1/member/phone-number/ars')
      .set('Authorization', member.hmac())
      .send({ phoneNumber })
      .expect(201);
    return answer.body as { verificationId: string; code: string };
  }

  private async press(verificationId: string, digits: string): Promise<void> {
    await request(this.app.app.getHttpServer())
      .post(`/dev/ars/${verificationId}/keypad`)
      .send({ digits })
      .expect(200);
  }

  /** Leaves the member holding a verification of `phoneNumber` in `status`; returns its id. */
  private async holdVerification(member: TestMember, phoneNumber: string, status: string): Promise<string> {
    const started = await this.startArs(member, phoneNumber);
    switch (status) {
      case 'CALLING':
        break;
      case 'VERIFIED':
        await this.press(started.verificationId, started.code);
        break;
      case 'FAILED':
        for (let attempt = 0; attempt < 5; attempt += 1)
          await this.press(started.verificationId, wrongDigits(started.code));
        break;
      case 'EXPIRED':
        this.clock.advance(ARS_CALL_WINDOW_MS + 1000);
        break;
      case 'CONSUMED':
        await this.press(started.verificationId, started.code);
        await request(this.app.app.getHttpServer())
          .put('/users/v1/member/phone-number')
          .set('Authorization', member.hmac())
          .send({ phoneNumber })
          .expect(200);
        break;
      case 'CANCELED':
        this.clock.advance(ARS_COOLDOWN_MS);
        await this.startArs(member, phoneNumber);
        break;
      default:
        throw new Error(`no way to set up an ARS verification in status ${status}`);
    }
    return started.verificationId;
  }

  private async sendReal(prepared: PreparedRequest): Promise<RawAnswer> {
    const { failure } = prepared.scenario.state;
    const keys = this.app.app.get(ApiKeysService);
    const spy =
      failure === undefined
        ? undefined
        : jest
            .spyOn(keys, 'resolveSecret')
            .mockRejectedValue(
              failure === 'bug'
                ? new Error('a bug injected by the conformance suite')
                : Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
            );
    try {
      return await send(this.app.baseUrl, prepared);
    } finally {
      spy?.mockRestore();
    }
  }
}

/** Sends the prepared request: through MemberPhoneClient when it can express it, else with fetch. */
async function send(baseUrl: string, prepared: PreparedRequest): Promise<RawAnswer> {
  const { scenario } = prepared;
  const route = OPERATION_ROUTES[scenario.operation];
  if (prepared.auth && !prepared.authorization && !prepared.rawBody) {
    let captured: RawAnswer | undefined;
    const recordingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      captured = { status: response.status, headers: response.headers, text: await response.clone().text() };
      return response;
    };
    const client = new MemberPhoneClient({
      baseUrl,
      auth: prepared.auth,
      fetch: recordingFetch,
      // One attempt: the recording holds the service's answer to one request.
      retry: false,
      language: prepared.language ?? 'ko',
    });
    const phoneNumber = scenario.request.phoneNumber ?? '';
    const call = (): Promise<unknown> => {
      switch (scenario.operation) {
        case 'updatePhoneNumber':
          return client.updatePhoneNumber(phoneNumber);
        case 'getMember':
          return client.getMember();
        case 'startArsVerification':
          return client.startArsVerification(phoneNumber);
        case 'getArsVerification':
          return client.getArsVerification(prepared.verificationId ?? '');
      }
    };
    // The outcome (member or MemberPhoneApiError) is the client's business; the answer is ours.
    await call().catch(() => undefined);
    if (!captured) throw new Error(`${scenario.name}: the client sent nothing`);
    return captured;
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  if (prepared.language === 'en') headers['accept-language'] = 'en';
  if (prepared.authorization) headers.authorization = prepared.authorization;
  else if (prepared.auth?.type === 'hmac') headers.authorization = signHmacAuthorization(prepared.auth);
  let body: string | undefined;
  if (prepared.rawBody) {
    headers['content-type'] = prepared.rawBody.contentType;
    body = prepared.rawBody.text;
  } else if (route.hasBody) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify({ phoneNumber: scenario.request.phoneNumber });
  }
  const response = await fetch(`${baseUrl}${prepared.path}`, {
    method: route.method,
    headers,
    body,
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** The same request against the kit, serving the scenario from `responses`. */
async function sendToKit(prepared: PreparedRequest, responses: RecordedResponses): Promise<RawAnswer> {
  const api = mockMemberPhoneApi(KIT_BASE_URL, { responses });
  try {
    api.scenario(prepared.scenario.name);
    return await send(KIT_BASE_URL, prepared);
  } finally {
    api.cleanup();
  }
}
