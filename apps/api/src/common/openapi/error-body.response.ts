import { ERROR_CODES, type ErrorBody, type ErrorCode } from '@member-phone/core';
import { ApiProperty } from '@nestjs/swagger';

/** OpenAPI description of every non-2xx body. */
export class ErrorBodyResponse implements ErrorBody {
  @ApiProperty({
    enum: ERROR_CODES,
    example: 'SecondAuthRequired',
    description: 'Branch on this, not on the status.',
  })
  errorCode!: ErrorCode;

  @ApiProperty({
    example: '새 전화번호로 ARS 전화 인증을 먼저 완료해 주세요.',
    description: 'Korean by default; English when Accept-Language prefers it.',
  })
  errorMessage!: string;
}
