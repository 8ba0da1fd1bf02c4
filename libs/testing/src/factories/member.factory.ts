import { type Member } from '@member-phone/core';

/**
 * A member object exactly like the seed document's sample (with DESIGN's email), with any field
 * replaced. Each call returns a new object.
 *
 * @example
 * ```ts
 * buildMember(); // { name: 'nickName', phoneNumber: '01000000000', status: 'ACTIVE', … }
 * buildMember({ phoneNumber: '01012345678', status: 'INACTIVE' });
 * ```
 */
export function buildMember(overrides: Partial<Member> = {}): Member {
  return {
    name: 'nickName',
    phoneNumber: '01000000000',
    status: 'ACTIVE',
    selectedAccountId: null,
    memberId: '18010100001000',
    email: 'member@example.com',
    dateCreated: '2019-07-30T02:38:40.642Z',
    dateUpdated: '2019-07-30T02:38:40.649Z',
    loginSessions: [],
    ...overrides,
  };
}
