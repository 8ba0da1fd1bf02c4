/**
 * Lifecycle of a member account. Only `ACTIVE` members may change their phone number.
 *
 * @example
 * ```ts
 * MEMBER_STATUSES.includes(member.status); // true
 * ```
 */
export const MEMBER_STATUSES = ['UNVERIFIED', 'ACTIVE', 'INACTIVE', 'DELETED'] as const;

/**
 * One of {@link MEMBER_STATUSES}.
 *
 * @example
 * ```ts
 * const status: MemberStatus = 'ACTIVE';
 * ```
 */
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/**
 * The member object returned by `GET /users/v1/member` and `PUT /users/v1/member/phone-number`.
 * It has exactly these fields; `phoneNumber` is in national digits.
 *
 * @example
 * ```ts
 * const member: Member = await client.getMember();
 * console.log(member.phoneNumber); // "01012345678"
 * ```
 */
export interface Member {
  name: string;
  phoneNumber: string;
  status: MemberStatus;
  selectedAccountId: string | null;
  memberId: string;
  email: string;
  /** ISO 8601, UTC, milliseconds. */
  dateCreated: string;
  /** ISO 8601, UTC, milliseconds. */
  dateUpdated: string;
  loginSessions: unknown[];
}

/**
 * Field names of {@link Member}, in the order the service writes them.
 *
 * @example
 * ```ts
 * expect(Object.keys(member)).toEqual([...MEMBER_FIELDS]);
 * ```
 */
export const MEMBER_FIELDS = [
  'name',
  'phoneNumber',
  'status',
  'selectedAccountId',
  'memberId',
  'email',
  'dateCreated',
  'dateUpdated',
  'loginSessions',
] as const satisfies readonly (keyof Member)[];

/**
 * Body of `PUT /users/v1/member/phone-number`, and of `POST /users/v1/member/phone-number/ars`.
 *
 * @example
 * ```ts
 * const body: UpdatePhoneNumberRequest = { phoneNumber: '01012345678' };
 * ```
 */
export interface UpdatePhoneNumberRequest {
  phoneNumber: string;
}

/**
 * Permission a credential needs to read the member.
 *
 * @example
 * ```ts
 * hasScope(auth, SCOPE_USERS_READ); // 'users:read'
 * ```
 */
export const SCOPE_USERS_READ = 'users:read';
/**
 * Permission a credential needs to change the member.
 *
 * @example
 * ```ts
 * hasScope(auth, SCOPE_USERS_WRITE); // 'users:write'
 * ```
 */
export const SCOPE_USERS_WRITE = 'users:write';
