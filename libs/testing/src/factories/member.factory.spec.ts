import { MEMBER_FIELDS } from '@member-phone/core';
import { buildMember } from './member.factory';

describe('buildMember', () => {
  it('defaults to the seed sample with the DESIGN email', () => {
    expect(buildMember()).toEqual({
      name: 'nickName',
      phoneNumber: '01000000000',
      status: 'ACTIVE',
      selectedAccountId: null,
      memberId: '18010100001000',
      email: 'member@example.com',
      dateCreated: '2019-07-30T02:38:40.642Z',
      dateUpdated: '2019-07-30T02:38:40.649Z',
      loginSessions: [],
    });
  });

  it('has exactly the member fields, in the service order', () => {
    expect(Object.keys(buildMember())).toEqual([...MEMBER_FIELDS]);
  });

  it('applies overrides and returns a fresh object each time', () => {
    const first = buildMember({ phoneNumber: '01012345678', status: 'INACTIVE' });
    expect(first).toMatchObject({ phoneNumber: '01012345678', status: 'INACTIVE', name: 'nickName' });
    first.loginSessions.push('x');
    expect(buildMember().loginSessions).toEqual([]);
  });
});
