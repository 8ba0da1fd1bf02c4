import type { Member } from '@member-phone/core';

import type { MemberRow } from '../database/schema';

/** The API's member object, field for field as DESIGN section 2 lists it. */
export function toMember(row: MemberRow): Member {
  return {
    name: row.name,
    phoneNumber: row.phone_number,
    status: row.status,
    selectedAccountId: row.selected_account_id,
    memberId: row.id,
    email: row.email,
    dateCreated: new Date(row.date_created).toISOString(),
    dateUpdated: new Date(row.date_updated).toISOString(),
    loginSessions: [],
  };
}
