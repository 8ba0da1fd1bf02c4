import type { SqlDialect } from '../database/dialect';

/** Which telephony adapter places ARS calls. */
export type TelephonyConfig =
  | { readonly adapter: 'simulator' }
  | {
      readonly adapter: 'http';
      /** Where the outbound call request is POSTed. */
      readonly callUrl: string;
      /** Shared secret that signs outbound requests and inbound webhook events. */
      readonly secret: string;
      readonly timeoutMs: number;
    };

export interface RateLimitRule {
  readonly limit: number;
  readonly windowMs: number;
}

export interface ArsRateLimits {
  /** Minimum gap between two calls for one member: limit 1 per window. */
  readonly memberCooldown: RateLimitRule;
  readonly memberDaily: RateLimitRule;
  readonly numberHourly: RateLimitRule;
  readonly numberDaily: RateLimitRule;
  readonly credentialDaily: RateLimitRule;
  readonly clientAddressHourly: RateLimitRule;
  readonly globalHourly: RateLimitRule;
}

/** PostgreSQL pool settings given in the environment; database/create-database.ts holds the defaults. */
export interface PostgresPoolTuning {
  /** How long a request waits for a connection before it is answered 503 (DATABASE_CONNECT_TIMEOUT_MS). */
  readonly connectTimeoutMs?: number;
  /** How long an unused connection stays open (DATABASE_IDLE_TIMEOUT_MS). */
  readonly idleTimeoutMs?: number;
  /** Server-side limit of one statement (DATABASE_STATEMENT_TIMEOUT_MS). */
  readonly statementTimeoutMs?: number;
}

/** The whole configuration, read and validated once at boot (see config/load-config.ts). */
export interface AppConfig {
  /** `production` hides development routes and requires every secret from the environment. */
  readonly mode: 'development' | 'production';
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly database:
    | { readonly dialect: Extract<SqlDialect, 'sqlite'>; readonly file: string }
    | ({
        readonly dialect: Extract<SqlDialect, 'postgres'>;
        readonly url: string;
        readonly poolMax: number;
      } & PostgresPoolTuning);
  /** 32-byte key that encrypts API secrets at rest (AES-256-GCM) and keys the ARS code hashes. */
  readonly masterKey: Buffer;
  readonly bearer: {
    /** Accepted JWS algorithms. `HS256` only in development. */
    readonly algorithms: readonly string[];
    readonly hs256Secret?: Buffer;
    readonly jwksUrl?: string;
    readonly publicKeyPem?: string;
    readonly issuer?: string;
    readonly audience?: string;
  };
  readonly hmac: {
    /** Largest accepted distance between the signed date and the server clock. */
    readonly maxClockSkewMs: number;
    /** How long a used signature is remembered. */
    readonly replayWindowMs: number;
  };
  readonly http: {
    readonly bodyLimitBytes: number;
    /** Whose `X-Forwarded-For` to believe for the client address: nobody, N hops, or these addresses. */
    readonly trustProxy: false | number | readonly string[];
    readonly requestTimeoutMs: number;
    /** After SIGTERM, how long readiness answers 503 while requests are still served. */
    readonly shutdownGraceMs: number;
  };
  readonly ars: {
    readonly codeLength: number;
    readonly callWindowMs: number;
    readonly proofLifetimeMs: number;
    readonly maxAttempts: number;
    readonly limits: ArsRateLimits;
  };
  readonly telephony: TelephonyConfig;
  readonly log: { readonly level: string };
  /** Seed a demo member, API key and token into an empty database. */
  readonly seedDemo: boolean;
}

/** Injection token of {@link AppConfig}. */
export const APP_CONFIG = Symbol('APP_CONFIG');
