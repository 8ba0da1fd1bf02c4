import { ERROR_CODES } from './error-catalog';
import { OPERATION_ERROR_CODES } from './operation-errors';

describe('OPERATION_ERROR_CODES', () => {
  it('lets the update answer every code but ResourceNotFound and TooManyRequests', () => {
    expect([...OPERATION_ERROR_CODES.updatePhoneNumber].sort()).toEqual(
      ERROR_CODES.filter((c) => c !== 'ResourceNotFound' && c !== 'TooManyRequests').sort(),
    );
  });

  it('rate-limits only the ARS start, and only the ARS lookup answers ResourceNotFound', () => {
    for (const [operation, codes] of Object.entries(OPERATION_ERROR_CODES)) {
      expect([operation, (codes as readonly string[]).includes('TooManyRequests')]).toEqual([
        operation,
        operation === 'startArsVerification',
      ]);
      expect([operation, (codes as readonly string[]).includes('ResourceNotFound')]).toEqual([
        operation,
        operation === 'getArsVerification',
      ]);
    }
  });

  it('lists each code once per operation, in catalog order', () => {
    for (const codes of Object.values(OPERATION_ERROR_CODES)) {
      expect(codes).toEqual(ERROR_CODES.filter((code) => (codes as readonly string[]).includes(code)));
    }
  });

  it('lets every authenticated operation answer every authentication and availability code', () => {
    for (const codes of Object.values(OPERATION_ERROR_CODES)) {
      expect(codes).toEqual(expect.arrayContaining([...OPERATION_ERROR_CODES.getMember]));
    }
  });
});
