import { maskPhoneNumber } from './mask-phone-number';

describe('maskPhoneNumber', () => {
  it.each([
    ['01012345678', '010-****-5678'],
    ['01000000000', '010-****-0000'],
    ['0111234567', '011-***-4567'],
    ['01912345678', '019-****-5678'],
  ])('masks %p as %p', (input, expected) => {
    expect(maskPhoneNumber(input)).toBe(expected);
  });

  it.each([
    '',
    '010123456',
    '010123456789',
    '010-1234-5678',
    '+821012345678',
    '0101234567a',
    '０１０１２３４５６７８',
  ])('hides anything that is not 10 or 11 national digits (%p) entirely', (input) => {
    expect(maskPhoneNumber(input)).toBe('***');
  });

  it('hides a non-string that slipped past the types', () => {
    expect(maskPhoneNumber(12345678901 as unknown as string)).toBe('***');
  });
});
