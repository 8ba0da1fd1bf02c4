import type { UpdatePhoneNumberRequest } from '@member-phone/core';
import { ApiProperty } from '@nestjs/swagger';

/** OpenAPI description of the request body. Validation itself is the core DTO's. */
export class UpdatePhoneNumberBody implements UpdatePhoneNumberRequest {
  @ApiProperty({
    example: '01000000000',
    description:
      '핸드폰 번호 — a Korean mobile number: national digits (`01012345678`), grouped with hyphens or spaces ' +
      '(`010-1234-5678`), or `+82` international form. Stored and returned as national digits.',
  })
  phoneNumber!: string;
}
