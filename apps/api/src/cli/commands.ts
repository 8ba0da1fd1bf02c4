import { parseArgs } from 'node:util';

import type { INestApplicationContext } from '@nestjs/common';
import { MEMBER_STATUSES, type MemberStatus, SCOPE_USERS_READ, SCOPE_USERS_WRITE } from '@member-phone/core';

import { ApiKeysService } from '../api-keys/api-keys.service';
import { ArsService } from '../ars/ars.service';
import { AuditService } from '../audit/audit.service';
import { DevTokenIssuer } from '../auth/bearer/dev-token.issuer';
import { CLOCK, type Clock } from '../common/clock';
import type { AppConfig } from '../config/app-config';
import { toMember } from '../members/member.mapper';
import { MembersAdminService } from '../members/members-admin.service';

export const USAGE = `member-phone operator CLI

  npm run cli -- members create --email <email> --name <name> --phone <number> [--status ACTIVE]
  npm run cli -- members show <memberId|email>
  npm run cli -- members set-status <memberId|email> <UNVERIFIED|ACTIVE|INACTIVE|DELETED>
  npm run cli -- api-keys create --member <memberId|email> [--scopes users:read,users:write] [--description text]
  npm run cli -- api-keys list --member <memberId|email>
  npm run cli -- api-keys disable <apiKey>
  npm run cli -- tokens issue --member <memberId|email> [--scopes users:read,users:write] [--ttl seconds]
  npm run cli -- audit --member <memberId|email> [--limit 50]
  npm run cli -- ars keypad <verificationId> <digits>        (development mode only)

Add --json for machine-readable output. Secrets are printed once, when created.
`;

type Print = (line: string) => void;

class UsageError extends Error {}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      phone: { type: 'string' },
      status: { type: 'string' },
      member: { type: 'string' },
      scopes: { type: 'string' },
      description: { type: 'string' },
      ttl: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
}

function required(value: string | undefined, name: string): string {
  if (!value) throw new UsageError(`missing ${name}`);
  return value;
}

function status(value: string | undefined): MemberStatus {
  const s = required(value, 'status').toUpperCase();
  if (!(MEMBER_STATUSES as readonly string[]).includes(s)) throw new UsageError(`unknown status ${s}`);
  return s as MemberStatus;
}

function scopes(value: string | undefined): string[] | undefined {
  return value
    ?.split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new UsageError(`${name} must be a positive whole number`);
  return Number(value);
}

/** Runs one CLI command; returns the process exit code. Separate from main.ts so tests can call it. */
export async function runCommand(
  app: INestApplicationContext,
  config: AppConfig,
  argv: string[],
  print: Print,
): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (error) {
    print(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = args;
  const [group, action, ...rest] = positionals;
  const out = (human: string, data: unknown) => print(values.json ? JSON.stringify(data, null, 2) : human);
  const admin = app.get(MembersAdminService);
  const memberOf = async (idOrEmail: string | undefined) => {
    const member = await admin.find(required(idOrEmail, 'member'));
    if (!member) throw new UsageError(`no member ${idOrEmail}`);
    return member;
  };

  try {
    switch (`${group} ${group === 'audit' ? '' : (action ?? '')}`.trim()) {
      case 'members create': {
        const member = await admin.create({
          email: required(values.email, '--email'),
          name: required(values.name, '--name'),
          phoneNumber: required(values.phone, '--phone'),
          status: values.status ? status(values.status) : 'ACTIVE',
        });
        out(`created member ${member.id} (${member.email}, ${member.status})`, toMember(member));
        return 0;
      }
      case 'members show': {
        const member = toMember(await memberOf(rest[0]));
        out(JSON.stringify(member, null, 2), member);
        return 0;
      }
      case 'members set-status': {
        const member = await memberOf(rest[0]);
        const updated = await admin.setStatus(member.id, status(rest[1]));
        out(`member ${member.id} is now ${updated?.status ?? '?'}`, updated ? toMember(updated) : null);
        return 0;
      }
      case 'api-keys create': {
        const member = await memberOf(values.member);
        const key = await app.get(ApiKeysService).create({
          memberId: member.id,
          scopes: scopes(values.scopes) ?? null,
          ...(values.description ? { description: values.description } : {}),
        });
        out(
          [
            `API key    ${key.apiKey}`,
            `API secret ${key.apiSecret}`,
            `scopes     ${key.scopes ? key.scopes.join(' ') : 'all'}`,
            'The secret is shown only now: store it safely.',
          ].join('\n'),
          { memberId: member.id, ...key },
        );
        return 0;
      }
      case 'api-keys list': {
        const member = await memberOf(values.member);
        const keys = await app.get(ApiKeysService).list(member.id);
        out(keys.map((k) => JSON.stringify(k)).join('\n') || '(no keys)', keys);
        return 0;
      }
      case 'api-keys disable': {
        const apiKey = required(rest[0], 'apiKey');
        const disabled = await app.get(ApiKeysService).disable(apiKey);
        out(disabled ? `disabled ${apiKey}` : `no key ${apiKey}`, { apiKey, disabled });
        return disabled ? 0 : 1;
      }
      case 'tokens issue': {
        const member = await memberOf(values.member);
        const token = await app.get(DevTokenIssuer).issue({
          memberId: member.id,
          scopes: scopes(values.scopes) ?? [SCOPE_USERS_READ, SCOPE_USERS_WRITE],
          ...(values.ttl ? { ttlSeconds: positiveInt(values.ttl, '--ttl', 0) } : {}),
        });
        out(token, { memberId: member.id, token });
        return 0;
      }
      case 'audit': {
        const member = await memberOf(values.member ?? action);
        const entries = await app.get(AuditService).listForMember(member.id, {
          limit: positiveInt(values.limit, '--limit', 50),
        });
        out(entries.map((e) => JSON.stringify(e)).join('\n') || '(no events)', entries);
        return 0;
      }
      case 'ars keypad': {
        if (config.mode !== 'development')
          throw new UsageError('the simulated keypad exists only in development mode');
        const result = await app
          .get(ArsService)
          .submitKeypad(
            { verificationId: required(rest[0], 'verificationId'), digits: required(rest[1], 'digits') },
            app.get<Clock>(CLOCK).now(),
          );
        out(`keypad: ${result.outcome}`, result);
        return result.outcome === 'verified' ? 0 : 1;
      }
      default:
        print(USAGE);
        return 2;
    }
  } catch (error) {
    if (error instanceof UsageError) {
      print(`error: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
