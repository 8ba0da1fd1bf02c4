import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

/** Body of the development-only keypad route. */
export class DevKeypadDto {
  @ApiProperty({ description: 'The digits "typed" on the phone keypad.', example: '482913' })
  @IsString()
  @Matches(/^[0-9]{1,32}$/)
  digits!: string;
}
