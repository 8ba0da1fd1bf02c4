import { MEMBER_STATUSES, type Member, type MemberStatus } from '@member-phone/core';
import { ApiProperty } from '@nestjs/swagger';

/** OpenAPI description of {@link Member}; the seed's sample is its example. */
export class MemberResponse implements Member {
  @ApiProperty({ example: 'nickName' })
  name!: string;

  @ApiProperty({ example: '01000000000', description: 'National digits.' })
  phoneNumber!: string;

  @ApiProperty({ enum: MEMBER_STATUSES, example: 'ACTIVE' })
  status!: MemberStatus;

  @ApiProperty({ type: String, nullable: true, example: null })
  selectedAccountId!: string | null;

  @ApiProperty({ example: '18010100001000' })
  memberId!: string;

  @ApiProperty({ example: 'member@example.com' })
  email!: string;

  @ApiProperty({ format: 'date-time', example: '2019-07-30T02:38:40.642Z' })
  dateCreated!: string;

  @ApiProperty({ format: 'date-time', example: '2019-07-30T02:38:40.649Z' })
  dateUpdated!: string;

  @ApiProperty({ type: 'array', items: { type: 'object' }, example: [] })
  loginSessions!: unknown[];
}
