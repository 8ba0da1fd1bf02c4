import { type ArsVerification, type ArsVerificationStarted } from '../ars/ars.types';
import { type HmacAlgorithm } from '../auth/hmac-signature';
import { parseAuthorizationHeader } from '../auth/parse-authorization';
import { signHmacAuthorization } from '../auth/sign-authorization';
import { type ErrorCode, type MessageLanguage } from '../errors/error-catalog';
import { type Member } from '../members/member.types';
import { checkKoreanMobileNumber } from '../phone-number/korean-mobile-number';
import { runArsPhoneNumberUpdate, type ArsUpdateOptions } from './ars-phone-number-update';
import { type BearerTokenProvider, saysInvalidToken } from './bearer-token';
import {
  apiErrorFor,
  type MemberPhoneApiError,
  type MemberPhoneError,
  MemberPhoneNetworkError,
  MemberPhoneTimeoutError,
  MemberPhoneValidationError,
} from './member-phone-errors';
import {
  abortableSleep,
  backoffDelayMs,
  requestNeverSent,
  resolveRetryOptions,
  RETRYABLE_STATUSES,
  type ResolvedRetryOptions,
  type RetryOptions,
} from './retry-policy';

/**
 * How the client authenticates: an API key signing every request with HMAC, or an OAuth2 bearer
 * token, given as a string or as a {@link BearerTokenProvider} called before every request.
 *
 * @example
 * ```ts
 * const hmac: MemberPhoneClientAuth = { type: 'hmac', apiKey: 'NCS…', apiSecret: secret };
 * const bearer: MemberPhoneClientAuth = { type: 'bearer', token: ({ refresh }) => tokens.get(refresh) };
 * ```
 */
export type MemberPhoneClientAuth =
  | { type: 'hmac'; apiKey: string; apiSecret: string; algorithm?: HmacAlgorithm }
  | { type: 'bearer'; token: string | BearerTokenProvider };

/**
 * Options of {@link MemberPhoneClient}.
 *
 * @example
 * ```ts
 * const options: MemberPhoneClientOptions = {
 *   auth: { type: 'bearer', token },
 *   timeoutMs: 5000,
 *   language: 'en',
 *   retry: { maxAttempts: 4 },
 * };
 * ```
 */
export interface MemberPhoneClientOptions {
  /** Default `https://api.solapi.com`. May carry a path prefix; no query or fragment. */
  baseUrl?: string;
  auth: MemberPhoneClientAuth;
  /** Default the global `fetch`, looked up on every request (so interceptors installed later apply). */
  fetch?: typeof fetch;
  /** One attempt, answer body included. Default 10000. */
  timeoutMs?: number;
  /** Sent as `Accept-Language`; the server answers in Korean by default. */
  language?: MessageLanguage;
  /** Retry policy of idempotent calls; `false` sends every call once. Default {@link DEFAULT_RETRY_OPTIONS}. */
  retry?: RetryOptions | false;
}

/**
 * Per-call options.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * await client.getMember({ signal: controller.signal });
 * ```
 */
export interface MemberPhoneRequestOptions {
  /** Aborting it rejects the call with the signal's reason, as `fetch` does, also between retries. */
  signal?: AbortSignal;
}

/**
 * Where the client talks to when no `baseUrl` is given.
 *
 * @example
 * ```ts
 * new MemberPhoneClient({ auth }).baseUrl === DEFAULT_BASE_URL; // 'https://api.solapi.com'
 * ```
 */
export const DEFAULT_BASE_URL = 'https://api.solapi.com';
/**
 * Timeout of one attempt when no `timeoutMs` is given.
 *
 * @example
 * ```ts
 * new MemberPhoneClient({ auth }).timeoutMs === DEFAULT_TIMEOUT_MS; // 10000
 * ```
 */
export const DEFAULT_TIMEOUT_MS = 10_000;

const PHONE_NUMBER_PATH = '/users/v1/member/phone-number';
const MEMBER_PATH = '/users/v1/member';
const ARS_PATH = '/users/v1/member/phone-number/ars';
// setTimeout's ceiling; AbortSignal.timeout fires at once beyond it.
const MAX_TIMEOUT_MS = 2_147_483_647;

type Method = 'GET' | 'PUT' | 'POST';
type Shape<T> = (value: unknown) => value is T;

type AttemptOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; error: MemberPhoneError; retryAfterMs?: number | undefined; invalidToken?: boolean };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isMember: Shape<Member> = (value): value is Member =>
  isRecord(value) &&
  typeof value.memberId === 'string' &&
  typeof value.phoneNumber === 'string' &&
  typeof value.status === 'string';

const isArsVerification: Shape<ArsVerification> = (value): value is ArsVerification =>
  isRecord(value) &&
  typeof value.verificationId === 'string' &&
  typeof value.phoneNumber === 'string' &&
  typeof value.status === 'string';

const isArsVerificationStarted: Shape<ArsVerificationStarted> = (value): value is ArsVerificationStarted =>
  isArsVerification(value) && typeof (value as unknown as Record<string, unknown>).code === 'string';

// What a bare status most likely means when the body is not the API's error shape (a proxy or
// load balancer answered, or the body was lost), so callers branching on errorCode still can.
const CODE_FOR_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'ValidationError',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'ResourceNotFound',
  413: 'PayloadTooLarge',
  415: 'UnsupportedMediaType',
  429: 'TooManyRequests',
  502: 'ServiceUnavailable',
  503: 'ServiceUnavailable',
  504: 'ServiceUnavailable',
};

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function retryAfterSeconds(header: string | null): number | undefined {
  if (header === null) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

function errorCodeOf(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  const { code } = value;
  return typeof code === 'string' ? code : undefined;
}

// Native fetch rejects with `TypeError('fetch failed', { cause })`; nock's replyWithError rejects
// with whatever it was given, often a plain object. Both end up as one error class. No
// `instanceof Error` here: fetch's errors may come from another realm (jest, vm, workers).
function networkErrorFrom(error: unknown, attempts: number): MemberPhoneNetworkError {
  const cause = isRecord(error) ? error.cause : undefined;
  const code = errorCodeOf(cause) ?? errorCodeOf(error);
  const message = isRecord(error) && typeof error.message === 'string' ? error.message : String(error);
  const detail = isRecord(cause) && typeof cause.message === 'string' ? cause.message : undefined;
  const text = [message, detail].filter((part) => part !== undefined && part.length > 0).join(': ');
  return new MemberPhoneNetworkError(
    `Network error${code ? ` (${code})` : ''}: ${text}`,
    code,
    error,
    attempts,
  );
}

function normaliseBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`baseUrl is not a URL: ${baseUrl}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`baseUrl must be http or https: ${baseUrl}`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new TypeError('baseUrl must not carry a query, a fragment or credentials');
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

function isUsableToken(token: unknown): token is string {
  return typeof token === 'string' && parseAuthorizationHeader(`Bearer ${token}`).ok;
}

function validateAuth(auth: MemberPhoneClientAuth): void {
  if (!isRecord(auth)) throw new TypeError('auth is required');
  if (auth.type === 'hmac') {
    // Signing once up front surfaces unusable credentials at construction, not on first call.
    signHmacAuthorization(auth, { algorithm: auth.algorithm ?? 'HMAC-SHA256' });
    return;
  }
  if (auth.type === 'bearer') {
    if (typeof auth.token === 'function') return;
    if (!isUsableToken(auth.token)) {
      throw new TypeError('auth.token must be an RFC 6750 token or a function returning one');
    }
    return;
  }
  throw new TypeError("auth.type must be 'hmac' or 'bearer'");
}

/**
 * Typed client of the member phone-number API. It checks phone numbers locally with
 * `checkKoreanMobileNumber` before sending (and sends the national digits), signs every request
 * afresh (retries included, so a retry never meets `DuplicatedSignature`), retries idempotent
 * calls on network errors and `502`/`503`/`504` with exponential backoff and full jitter,
 * enforces timeouts, and turns every failure into a `MemberPhoneError` subclass.
 *
 * @example
 * ```ts
 * const client = new MemberPhoneClient({
 *   auth: { type: 'hmac', apiKey: process.env.API_KEY!, apiSecret: process.env.API_SECRET! },
 * });
 * const member = await client.updatePhoneNumberWithArs('010-1234-5678', {
 *   onProgress: (event) => {
 *     if (event.stage === 'calling') showOnScreen(event.verification.code);
 *   },
 * });
 * ```
 */
export class MemberPhoneClient {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  /** The retry policy in force, defaults filled in. */
  readonly retry: Readonly<ResolvedRetryOptions>;
  // A true private field: console.log(client) or util.inspect never print the secret or token.
  readonly #auth: MemberPhoneClientAuth;
  private readonly fetchImpl: typeof fetch;
  private readonly language: MessageLanguage | undefined;

  constructor(options: MemberPhoneClientOptions) {
    if (!isRecord(options)) throw new TypeError('options are required');
    validateAuth(options.auth);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMEOUT_MS) {
      throw new RangeError(`timeoutMs must be a positive integer up to ${MAX_TIMEOUT_MS}`);
    }
    if (options.language !== undefined && options.language !== 'ko' && options.language !== 'en') {
      throw new TypeError("language must be 'ko' or 'en'");
    }
    this.baseUrl = normaliseBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL);
    this.timeoutMs = timeoutMs;
    this.retry = Object.freeze(resolveRetryOptions(options.retry));
    this.#auth = { ...options.auth };
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.language = options.language;
  }

  /**
   * `PUT /users/v1/member/phone-number`: changes the member's number. Needs a completed ARS
   * verification of the same number (else `SecondAuthRequired`); the same number as now is a
   * no-op `200`, which is also what a retry meets when an earlier attempt's answer was lost after
   * the change committed.
   *
   * @throws MemberPhoneValidationError before sending when the number is refused locally
   *
   * @example
   * ```ts
   * const member = await client.updatePhoneNumber('+82 10-1234-5678');
   * member.phoneNumber; // '01012345678'
   * ```
   */
  async updatePhoneNumber(phoneNumber: string, options?: MemberPhoneRequestOptions): Promise<Member> {
    const national = this.nationalDigits(phoneNumber);
    return this.request('PUT', PHONE_NUMBER_PATH, { phoneNumber: national }, isMember, options);
  }

  /**
   * `GET /users/v1/member`: the authenticated member.
   *
   * @example
   * ```ts
   * const { phoneNumber, status } = await client.getMember();
   * ```
   */
  async getMember(options?: MemberPhoneRequestOptions): Promise<Member> {
    return this.request('GET', MEMBER_PATH, undefined, isMember, options);
  }

  /**
   * `POST /users/v1/member/phone-number/ars`: places an automated call to the new number. Show
   * `code` to the person; they type it on the phone's keypad during the call. Not retried once
   * the request may have reached the server (a second call would cost money and cancel the first).
   *
   * @throws MemberPhoneValidationError before sending when the number is refused locally
   *
   * @example
   * ```ts
   * const { verificationId, code, expireAt } = await client.startArsVerification('01012345678');
   * ```
   */
  async startArsVerification(
    phoneNumber: string,
    options?: MemberPhoneRequestOptions,
  ): Promise<ArsVerificationStarted> {
    const national = this.nationalDigits(phoneNumber);
    return this.request('POST', ARS_PATH, { phoneNumber: national }, isArsVerificationStarted, options);
  }

  /**
   * `GET /users/v1/member/phone-number/ars/{verificationId}`: the verification's status (never the
   * code). Another member's id answers `ResourceNotFound`.
   *
   * @example
   * ```ts
   * const { status } = await client.getArsVerification(verificationId);
   * if (status === 'VERIFIED') await client.updatePhoneNumber(phoneNumber);
   * ```
   */
  async getArsVerification(
    verificationId: string,
    options?: MemberPhoneRequestOptions,
  ): Promise<ArsVerification> {
    if (typeof verificationId !== 'string' || verificationId.length === 0) {
      throw new TypeError('verificationId must be a non-empty string');
    }
    const path = `${ARS_PATH}/${encodeURIComponent(verificationId)}`;
    return this.request('GET', path, undefined, isArsVerification, options);
  }

  /**
   * The whole second-authentication flow: starts the ARS call to `phoneNumber`, reports progress
   * (first the `code` to show on screen) while polling the verification's status with backoff,
   * and once it is `VERIFIED` sends the update. Resolves with the updated member.
   *
   * @throws MemberPhoneArsError when the verification ends `FAILED`, `EXPIRED`, `CANCELED` or `CONSUMED`
   * @throws MemberPhoneTimeoutError when `timeoutMs` passes first
   *
   * @example
   * ```ts
   * const member = await client.updatePhoneNumberWithArs('010-1234-5678', {
   *   signal: controller.signal,
   *   onProgress: (event) => {
   *     if (event.stage === 'calling') showOnScreen(event.verification.code);
   *     if (event.stage === 'waiting') showAttemptsLeft(event.verification.attemptsLeft);
   *   },
   * });
   * ```
   */
  async updatePhoneNumberWithArs(phoneNumber: string, options: ArsUpdateOptions = {}): Promise<Member> {
    return runArsPhoneNumberUpdate(this, phoneNumber, options);
  }

  private nationalDigits(phoneNumber: unknown): string {
    const check = checkKoreanMobileNumber(phoneNumber);
    if (!check.valid) throw new MemberPhoneValidationError(check.reason);
    return check.phoneNumber;
  }

  private async authorization(attempt: number, refresh: boolean, signal: AbortSignal): Promise<string> {
    const auth = this.#auth;
    if (auth.type === 'hmac') {
      // A new date and salt on every attempt: the service refuses a signature it has seen.
      return signHmacAuthorization(auth, { algorithm: auth.algorithm ?? 'HMAC-SHA256' });
    }
    if (typeof auth.token === 'string') return `Bearer ${auth.token}`;
    const token = await auth.token({ attempt, refresh, signal });
    if (!isUsableToken(token)) {
      throw new TypeError('the bearer token provider returned something that is not an RFC 6750 token');
    }
    return `Bearer ${token}`;
  }

  private canRefreshToken(): boolean {
    return this.#auth.type === 'bearer' && typeof this.#auth.token === 'function';
  }

  private async request<T>(
    method: Method,
    path: string,
    body: object | undefined,
    shape: Shape<T>,
    options: MemberPhoneRequestOptions | undefined,
  ): Promise<T> {
    const callerSignal = options?.signal;
    callerSignal?.throwIfAborted();
    const policy = this.retry;
    const startedAt = Date.now();
    let attempt = 0;
    let retries = 0;
    let refreshed = false;
    let refreshNext = false;

    for (;;) {
      attempt += 1;
      const remainingMs = policy.maxElapsedMs - (Date.now() - startedAt);
      const attemptTimeoutMs = Math.max(1, Math.min(this.timeoutMs, remainingMs));
      const outcome = await this.attempt(method, path, body, shape, {
        attempt,
        refresh: refreshNext,
        timeoutMs: attemptTimeoutMs,
        callerSignal,
      });
      if (outcome.ok) return outcome.value;
      refreshNext = false;

      // The service refused the token before doing anything, so resending is safe for any method.
      if (outcome.invalidToken && !refreshed && this.canRefreshToken()) {
        refreshed = true;
        refreshNext = true;
        continue;
      }

      const waitMs = this.retryWait(method, outcome, retries + 1);
      if (waitMs === undefined || attempt >= policy.maxAttempts + (refreshed ? 1 : 0)) throw outcome.error;
      if (Date.now() - startedAt + waitMs >= policy.maxElapsedMs) throw outcome.error;
      retries += 1;
      await abortableSleep(waitMs, callerSignal);
    }
  }

  // How long to wait before retrying, or undefined when this failure must not be retried.
  private retryWait(method: Method, outcome: AttemptOutcome<unknown>, retry: number): number | undefined {
    if (outcome.ok) return undefined;
    const { error } = outcome;
    const policy = this.retry;
    if (error.kind === 'network' || error.kind === 'timeout') {
      const neverSent = error.kind === 'network' && requestNeverSent((error as MemberPhoneNetworkError).code);
      if (method === 'POST' && !neverSent) return undefined;
      return backoffDelayMs(policy, retry);
    }
    if (error.kind !== 'api' || method === 'POST') return undefined;
    if (!RETRYABLE_STATUSES.includes((error as MemberPhoneApiError).status)) return undefined;
    if (outcome.retryAfterMs !== undefined) {
      // Waiting less than the server asked would only earn another refusal; waiting longer than
      // the caller allows is not this client's call to make.
      return outcome.retryAfterMs <= policy.maxRetryAfterMs ? outcome.retryAfterMs : undefined;
    }
    return backoffDelayMs(policy, retry);
  }

  private async attempt<T>(
    method: Method,
    path: string,
    body: object | undefined,
    shape: Shape<T>,
    context: { attempt: number; refresh: boolean; timeoutMs: number; callerSignal: AbortSignal | undefined },
  ): Promise<AttemptOutcome<T>> {
    const { attempt, callerSignal, timeoutMs } = context;
    const timeoutSignal = AbortSignal.timeout(timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeoutSignal]) : timeoutSignal;

    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: await this.authorization(attempt, context.refresh, signal),
    };
    if (this.language) headers['accept-language'] = this.language;
    if (body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';

    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
        // A redirect would replay the call somewhere else (and turn a PUT into a GET on 301/302).
        redirect: 'manual',
      });
      text = await response.text();
    } catch (error) {
      callerSignal?.throwIfAborted();
      if (timeoutSignal.aborted) {
        return { ok: false, error: new MemberPhoneTimeoutError(timeoutMs, error, attempt) };
      }
      return { ok: false, error: networkErrorFrom(error, attempt) };
    }

    const requestId = response.headers.get('x-request-id') ?? undefined;
    const json = parseJson(text);
    if (response.status >= 200 && response.status < 300) {
      if (shape(json)) return { ok: true, value: json };
      const error = apiErrorFor({
        errorCode: 'InternalError',
        errorMessage: `The server answered ${response.status} with a body of an unexpected shape`,
        status: response.status,
        requestId,
        wellFormedBody: false,
        attempts: attempt,
      });
      return { ok: false, error };
    }

    const retryAfter = retryAfterSeconds(response.headers.get('retry-after'));
    const wellFormed =
      isRecord(json) && typeof json.errorCode === 'string' && typeof json.errorMessage === 'string';
    const error = apiErrorFor({
      errorCode: wellFormed
        ? (json.errorCode as string)
        : (CODE_FOR_STATUS[response.status] ?? 'InternalError'),
      errorMessage: wellFormed
        ? (json.errorMessage as string)
        : `The server answered ${response.status} without an error body`,
      status: response.status,
      requestId,
      retryAfterSeconds: retryAfter,
      wellFormedBody: wellFormed,
      attempts: attempt,
    });
    return {
      ok: false,
      error,
      retryAfterMs: retryAfter === undefined ? undefined : retryAfter * 1000,
      invalidToken: response.status === 401 && saysInvalidToken(response.headers.get('www-authenticate')),
    };
  }
}

/**
 * Same as `new MemberPhoneClient(options)`.
 *
 * @example
 * ```ts
 * const client = createMemberPhoneClient({ auth: { type: 'bearer', token }, language: 'en' });
 * const member = await client.getMember();
 * ```
 */
export function createMemberPhoneClient(options: MemberPhoneClientOptions): MemberPhoneClient {
  return new MemberPhoneClient(options);
}
