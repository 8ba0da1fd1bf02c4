import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

import {
  ARS_CALL_WINDOW_MS,
  ARS_MAX_ATTEMPTS,
  ARS_PROOF_LIFETIME_MS,
  DEFAULT_BODY_LIMIT_BYTES,
  HMAC_MAX_CLOCK_SKEW_MS,
  HMAC_REPLAY_WINDOW_MS,
} from '@member-phone/core';

import type { AppConfig, ArsRateLimits, RateLimitRule, TelephonyConfig } from './app-config';

/** A configuration problem found at boot: the message names the variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function integer(env: Env, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}`);
  return value;
}

/** `{ [key]: value }` when the variable is set, `{}` otherwise, so the consumer's default applies. */
function optionalInteger<K extends string>(
  env: Env,
  name: string,
  key: K,
  min: number,
  max: number,
): Partial<Record<K, number>> {
  if (text(env, name) === undefined) return {};
  return { [key]: integer(env, name, 0, min, max) } as Partial<Record<K, number>>;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = text(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function rule(env: Env, name: string, limit: number, windowMs: number): RateLimitRule {
  return { limit: integer(env, name, limit, 1), windowMs };
}

/**
 * Reads a 32-byte key from the environment (base64 or hex), or in development from a file under the
 * data folder, creating it with mode 0600 on first start.
 */
function secretKey(env: Env, name: string, mode: AppConfig['mode'], dataDir: string, file: string): Buffer {
  const raw = text(env, name);
  if (raw !== undefined) {
    const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
    if (key.length !== 32) throw new ConfigError(`${name} must be 32 bytes, base64 or hex encoded`);
    return key;
  }
  if (mode === 'production') throw new ConfigError(`${name} is required in production`);
  const path = join(dataDir, file);
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(path, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  }
  chmodSync(path, 0o600);
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new ConfigError(`${path} does not hold a 32-byte base64 key`);
  return key;
}

function database(env: Env, dataDir: string): AppConfig['database'] {
  const url = text(env, 'DATABASE_URL');
  if (url === undefined) return { dialect: 'sqlite', file: join(dataDir, 'member-phone.sqlite') };
  if (/^postgres(ql)?:\/\//i.test(url)) {
    return {
      dialect: 'postgres',
      url,
      poolMax: integer(env, 'DATABASE_POOL_MAX', 10, 1, 1000),
      ...optionalInteger(env, 'DATABASE_CONNECT_TIMEOUT_MS', 'connectTimeoutMs', 100, 120_000),
      ...optionalInteger(env, 'DATABASE_IDLE_TIMEOUT_MS', 'idleTimeoutMs', 1_000, 3_600_000),
      ...optionalInteger(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 'statementTimeoutMs', 100, 600_000),
    };
  }
  const sqlite = /^(sqlite|file):(.+)$/i.exec(url);
  if (sqlite?.[2]) {
    const file = sqlite[2].replace(/^\/\//, '');
    return { dialect: 'sqlite', file: file === ':memory:' ? file : resolve(file) };
  }
  throw new ConfigError('DATABASE_URL must be postgres://…, postgresql://…, sqlite:<file> or file:<file>');
}

function telephony(env: Env, mode: AppConfig['mode']): TelephonyConfig {
  const adapter = text(env, 'TELEPHONY_ADAPTER') ?? (mode === 'production' ? 'http' : 'simulator');
  if (adapter === 'simulator') {
    if (mode === 'production') {
      throw new ConfigError('TELEPHONY_ADAPTER=simulator cannot run in production: no real call is placed');
    }
    return { adapter: 'simulator' };
  }
  if (adapter !== 'http') throw new ConfigError('TELEPHONY_ADAPTER must be simulator or http');
  const callUrl = text(env, 'TELEPHONY_CALL_URL');
  const secret = text(env, 'TELEPHONY_SECRET');
  if (!callUrl || !/^https?:\/\//.test(callUrl))
    throw new ConfigError('TELEPHONY_CALL_URL must be an http(s) URL');
  if (!secret || secret.length < 32) throw new ConfigError('TELEPHONY_SECRET must be at least 32 characters');
  return {
    adapter: 'http',
    callUrl,
    secret,
    timeoutMs: integer(env, 'TELEPHONY_TIMEOUT_MS', 5000, 100, 60_000),
  };
}

function arsLimits(env: Env): ArsRateLimits {
  return {
    memberCooldown: { limit: 1, windowMs: integer(env, 'ARS_MEMBER_COOLDOWN_SECONDS', 30, 1) * 1000 },
    memberDaily: rule(env, 'ARS_MEMBER_DAILY_LIMIT', 10, DAY),
    numberHourly: rule(env, 'ARS_NUMBER_HOURLY_LIMIT', 5, HOUR),
    numberDaily: rule(env, 'ARS_NUMBER_DAILY_LIMIT', 10, DAY),
    // Below the member's cap, or it could never refuse: a credential belongs to one member.
    credentialDaily: rule(env, 'ARS_CREDENTIAL_DAILY_LIMIT', 5, DAY),
    clientAddressHourly: rule(env, 'ARS_CLIENT_ADDRESS_HOURLY_LIMIT', 20, HOUR),
    globalHourly: rule(env, 'ARS_GLOBAL_HOURLY_LIMIT', 1000, HOUR),
  };
}

/**
 * `production`, or `development` (also for `test` or no value). Anything else is refused rather
 * than guessed: a typo must not start the development keypad and HS256 tokens on a real server.
 */
function modeOf(env: Env): AppConfig['mode'] {
  const raw = text(env, 'NODE_ENV');
  if (raw === 'production') return 'production';
  if (raw === undefined || raw === 'development' || raw === 'test') return 'development';
  throw new ConfigError(`NODE_ENV must be production, development or test, got "${raw}"`);
}

/**
 * Which proxies in front may set `X-Forwarded-For`: `false` (none, the default), a hop count, or a
 * list of addresses and CIDR ranges. "Trust everyone" is refused: any client could then pick the
 * address the per-address rate limit counts.
 */
function trustProxy(env: Env): AppConfig['http']['trustProxy'] {
  const raw = text(env, 'TRUST_PROXY');
  if (raw === undefined || ['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  const entries = raw.split(',').map((entry) => entry.trim());
  if (entries.every((entry) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(entry))) return entries;
  throw new ConfigError(
    'TRUST_PROXY must be false, a number of proxy hops, or a list of proxy addresses or CIDR ranges',
  );
}

/**
 * Builds the typed configuration from the environment, once, at boot. Throws {@link ConfigError}
 * naming the variable at the first problem.
 */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): AppConfig {
  const mode = modeOf(env);
  const dataDirRaw = text(env, 'DATA_DIR') ?? 'data';
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw);

  const jwksUrl = text(env, 'JWT_JWKS_URL');
  const publicKeyPem = text(env, 'JWT_PUBLIC_KEY')?.replace(/\\n/g, '\n');
  const algorithmsRaw = text(env, 'JWT_ALGORITHMS');
  const algorithms = algorithmsRaw
    ? algorithmsRaw.split(',').map((a) => a.trim())
    : mode === 'production'
      ? ['RS256', 'ES256', 'EdDSA']
      : ['HS256', 'RS256', 'ES256', 'EdDSA'];
  if (algorithms.includes('none')) throw new ConfigError('JWT_ALGORITHMS must not include none');
  if (mode === 'production' && algorithms.some((a) => a.startsWith('HS'))) {
    throw new ConfigError('JWT_ALGORITHMS: HMAC algorithms are for the embedded development default only');
  }
  const hs256Secret =
    mode === 'development' ? secretKey(env, 'JWT_HS256_SECRET', mode, dataDir, 'jwt-hs256.key') : undefined;

  return {
    mode,
    host: text(env, 'HOST') ?? '127.0.0.1',
    port: integer(env, 'PORT', 3000, 0, 65535),
    dataDir,
    database: database(env, dataDir),
    masterKey: secretKey(env, 'MASTER_KEY', mode, dataDir, 'master.key'),
    bearer: {
      algorithms,
      ...(hs256Secret ? { hs256Secret } : {}),
      ...(jwksUrl ? { jwksUrl } : {}),
      ...(publicKeyPem ? { publicKeyPem } : {}),
      ...(text(env, 'JWT_ISSUER') ? { issuer: text(env, 'JWT_ISSUER') } : {}),
      ...(text(env, 'JWT_AUDIENCE') ? { audience: text(env, 'JWT_AUDIENCE') } : {}),
    },
    hmac: { maxClockSkewMs: HMAC_MAX_CLOCK_SKEW_MS, replayWindowMs: HMAC_REPLAY_WINDOW_MS },
    http: {
      bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', DEFAULT_BODY_LIMIT_BYTES, 256, 1024 * 1024),
      trustProxy: trustProxy(env),
      requestTimeoutMs: integer(env, 'REQUEST_TIMEOUT_MS', 10_000, 100, 120_000),
      shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 0, 0, 120_000),
    },
    ars: {
      codeLength: 6,
      callWindowMs: ARS_CALL_WINDOW_MS,
      proofLifetimeMs: ARS_PROOF_LIFETIME_MS,
      maxAttempts: ARS_MAX_ATTEMPTS,
      limits: arsLimits(env),
    },
    telephony: telephony(env, mode),
    log: { level: text(env, 'LOG_LEVEL') ?? 'info' },
    seedDemo: flag(env, 'SEED_DEMO', mode === 'development'),
  };
}
