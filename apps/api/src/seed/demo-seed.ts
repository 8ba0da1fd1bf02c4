import type { INestApplicationContext } from '@nestjs/common';
import { SCOPE_USERS_READ, SCOPE_USERS_WRITE } from '@member-phone/core';

import { ApiKeysService } from '../api-keys/api-keys.service';
import { DevTokenIssuer } from '../auth/bearer/dev-token.issuer';
import { MembersAdminService } from '../members/members-admin.service';
import { MembersRepository } from '../members/members.repository';

/**
 * The seed document's sample member, except for the number: it starts on 010-1234-5678 so that the
 * sample request (`{"phoneNumber":"01000000000"}`) is a real change that needs the ARS call.
 */
export const DEMO_MEMBER = {
  name: 'nickName',
  email: 'member@example.com',
  phoneNumber: '01012345678',
} as const;

export interface DemoCredentials {
  memberId: string;
  email: string;
  apiKey: string;
  apiSecret: string;
  bearerToken: string;
}

/**
 * On an empty database only: creates the demo ACTIVE member (the seed document's sample), an API key
 * with every permission and a development bearer token. Returns them so they can be shown once;
 * on any later start it returns undefined and creates nothing.
 */
export async function seedDemoIfEmpty(app: INestApplicationContext): Promise<DemoCredentials | undefined> {
  if ((await app.get(MembersRepository).count()) > 0) return undefined;
  const member = await app.get(MembersAdminService).create({ ...DEMO_MEMBER, status: 'ACTIVE' });
  const key = await app
    .get(ApiKeysService)
    .create({ memberId: member.id, scopes: null, description: 'demo key' });
  const bearerToken = await app
    .get(DevTokenIssuer)
    .issue({ memberId: member.id, scopes: [SCOPE_USERS_READ, SCOPE_USERS_WRITE] });
  return {
    memberId: member.id,
    email: member.email,
    apiKey: key.apiKey,
    apiSecret: key.apiSecret,
    bearerToken,
  };
}

/** The banner printed once, on the console (not in the JSON logs: it holds secrets). */
export function demoBanner(baseUrl: string, credentials: DemoCredentials): string {
  return [
    '',
    '──────────────── member-phone: demo credentials (shown once) ────────────────',
    `  member     ${credentials.memberId}  ${credentials.email}  ACTIVE  010-****-5678`,
    `  API key    ${credentials.apiKey}`,
    `  API secret ${credentials.apiSecret}`,
    `  token      ${credentials.bearerToken}`,
    '',
    `  Swagger UI ${baseUrl}/docs      OpenAPI ${baseUrl}/docs-json`,
    '  A new token at any time:  npm run cli -- tokens issue --member member@example.com',
    '──────────────────────────────────────────────────────────────────────────────',
    '',
  ].join('\n');
}
