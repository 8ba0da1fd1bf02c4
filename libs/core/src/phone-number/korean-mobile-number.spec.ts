import { checkKoreanMobileNumber, type PhoneNumberRejection } from './korean-mobile-number';

describe('checkKoreanMobileNumber', () => {
  describe('accepts', () => {
    it.each([
      // the seed document's sample
      ['01000000000', '01000000000'],
      // national digits
      ['01012345678', '01012345678'],
      ['01099998888', '01099998888'],
      // grouped 3-4-4 / 3-3-4, hyphens or spaces
      ['010-1234-5678', '01012345678'],
      ['010 1234 5678', '01012345678'],
      ['011-123-4567', '0111234567'],
      ['011 123 4567', '0111234567'],
      ['011-1234-5678', '01112345678'],
      // legacy prefixes, 10 and 11 digits, kept as they are
      ['0111234567', '0111234567'],
      ['01112345678', '01112345678'],
      ['0161234567', '0161234567'],
      ['01612345678', '01612345678'],
      ['0171234567', '0171234567'],
      ['01712345678', '01712345678'],
      ['0181234567', '0181234567'],
      ['01812345678', '01812345678'],
      ['0191234567', '0191234567'],
      ['01912345678', '01912345678'],
      ['016-123-4567', '0161234567'],
      // +82 forms
      ['+821012345678', '01012345678'],
      ['+82 10-1234-5678', '01012345678'],
      ['+82-10-1234-5678', '01012345678'],
      ['+82 10 1234 5678', '01012345678'],
      ['+82 1012345678', '01012345678'],
      ['+82-1012345678', '01012345678'],
      ['+8210-1234-5678', '01012345678'],
      ['+82111234567', '0111234567'],
      ['+82 11-123-4567', '0111234567'],
      ['+82 19-1234-5678', '01912345678'],
      ['+821000000000', '01000000000'],
    ])('%p as %p', (input, expected) => {
      expect(checkKoreanMobileNumber(input)).toEqual({ valid: true, phoneNumber: expected });
    });
  });

  describe('rejects', () => {
    it.each<[unknown, PhoneNumberRejection]>([
      // not a string
      [undefined, 'NOT_A_STRING'],
      [null, 'NOT_A_STRING'],
      [1012345678, 'NOT_A_STRING'],
      [1012345678n, 'NOT_A_STRING'],
      [['01012345678'], 'NOT_A_STRING'],
      [{ phoneNumber: '01012345678' }, 'NOT_A_STRING'],
      [new String('01012345678'), 'NOT_A_STRING'],
      // empty
      ['', 'EMPTY'],
      // letters, extensions, schemes, punctuation
      ['010-1234-567a', 'INVALID_CHARACTERS'],
      ['O1012345678', 'INVALID_CHARACTERS'],
      ['01012345678 ext. 12', 'INVALID_CHARACTERS'],
      ['01012345678x12', 'INVALID_CHARACTERS'],
      ['01012345678#12', 'INVALID_CHARACTERS'],
      ['tel:+821012345678', 'INVALID_CHARACTERS'],
      ['tel:01012345678', 'INVALID_CHARACTERS'],
      ['(010) 1234-5678', 'INVALID_CHARACTERS'],
      ['(010)12345678', 'INVALID_CHARACTERS'],
      ['010.1234.5678', 'INVALID_CHARACTERS'],
      ['010/1234/5678', 'INVALID_CHARACTERS'],
      ['010_1234_5678', 'INVALID_CHARACTERS'],
      ['+82 (0)10-1234-5678', 'INVALID_CHARACTERS'],
      ['010-1234-5678; DROP TABLE members', 'INVALID_CHARACTERS'],
      // full-width and other non-ASCII digits
      ['０１０１２３４５６７８', 'INVALID_CHARACTERS'],
      ['010１2345678', 'INVALID_CHARACTERS'],
      ['٠١٠١٢٣٤٥٦٧٨', 'INVALID_CHARACTERS'],
      ['०१०१२३४५६७८', 'INVALID_CHARACTERS'],
      ['010－1234－5678', 'INVALID_CHARACTERS'],
      ['010‐1234‐5678', 'INVALID_CHARACTERS'],
      ['010–1234–5678', 'INVALID_CHARACTERS'],
      ['＋821012345678', 'INVALID_CHARACTERS'],
      // invisible characters and other whitespace
      ['010\u200B12345678', 'INVALID_CHARACTERS'],
      ['\u200B01012345678', 'INVALID_CHARACTERS'],
      ['01012345678\u200D', 'INVALID_CHARACTERS'],
      ['\uFEFF01012345678', 'INVALID_CHARACTERS'],
      ['010\u00A01234\u00A05678', 'INVALID_CHARACTERS'],
      ['010\u20281234\u20285678', 'INVALID_CHARACTERS'],
      ['\u202A01012345678\u202C', 'INVALID_CHARACTERS'],
      ['010\t1234\t5678', 'INVALID_CHARACTERS'],
      ['01012345678\n', 'INVALID_CHARACTERS'],
      ['\r\n01012345678', 'INVALID_CHARACTERS'],
      ['010\u00AD12345678', 'INVALID_CHARACTERS'],
      // surrounding, doubled and mixed separators
      [' 01012345678', 'INVALID_FORMAT'],
      ['01012345678 ', 'INVALID_FORMAT'],
      [' 010-1234-5678 ', 'INVALID_FORMAT'],
      ['   ', 'INVALID_FORMAT'],
      ['-', 'INVALID_FORMAT'],
      ['+', 'INVALID_FORMAT'],
      ['010  1234  5678', 'INVALID_FORMAT'],
      ['010--1234--5678', 'INVALID_FORMAT'],
      ['010-1234 5678', 'INVALID_FORMAT'],
      ['010 1234-5678', 'INVALID_FORMAT'],
      ['-01012345678', 'INVALID_FORMAT'],
      ['01012345678-', 'INVALID_FORMAT'],
      ['010-1234-5678-', 'INVALID_FORMAT'],
      ['+82  10-1234-5678', 'INVALID_FORMAT'],
      ['+82 10-1234 5678', 'INVALID_FORMAT'],
      ['+82 - 10-1234-5678', 'INVALID_FORMAT'],
      [' +821012345678', 'INVALID_FORMAT'],
      // groupings other than 3-4-4 / 3-3-4
      ['010-12345678', 'INVALID_FORMAT'],
      ['0101234-5678', 'INVALID_FORMAT'],
      ['01-01234-5678', 'INVALID_FORMAT'],
      ['0101-234-5678', 'INVALID_FORMAT'],
      ['010-123-45678', 'INVALID_FORMAT'],
      ['010-12-345-678', 'INVALID_FORMAT'],
      ['0-1-0-1-2-3-4-5-6-7-8', 'INVALID_FORMAT'],
      ['010 1234 56 78', 'INVALID_FORMAT'],
      ['+82 1-01234-5678', 'INVALID_FORMAT'],
      ['+82 101-234-5678', 'INVALID_FORMAT'],
      // trunk zero kept after +82, international dialling prefixes, other countries
      ['+82 010-1234-5678', 'INVALID_FORMAT'],
      ['+8201012345678', 'INVALID_FORMAT'],
      ['+82-010-1234-5678', 'INVALID_FORMAT'],
      ['0082 10-1234-5678', 'INVALID_FORMAT'],
      ['00821012345678', 'INVALID_FORMAT'],
      ['001821012345678', 'INVALID_FORMAT'],
      ['+1 202-555-0123', 'INVALID_FORMAT'],
      ['+81 90-1234-5678', 'INVALID_FORMAT'],
      ['+8 21012345678', 'INVALID_FORMAT'],
      ['++821012345678', 'INVALID_FORMAT'],
      ['82+1012345678', 'INVALID_FORMAT'],
      ['010+12345678', 'INVALID_FORMAT'],
      // not a mobile number
      ['07012345678', 'NOT_MOBILE'],
      ['070-1234-5678', 'NOT_MOBILE'],
      ['+82 70-1234-5678', 'NOT_MOBILE'],
      ['05012345678', 'NOT_MOBILE'],
      ['0505123456', 'NOT_MOBILE'],
      ['05041234567', 'NOT_MOBILE'],
      ['0505-123-4567', 'INVALID_FORMAT'],
      ['0150123456', 'NOT_MOBILE'],
      ['015-012-3456', 'NOT_MOBILE'],
      ['01210000000', 'NOT_MOBILE'],
      ['0131234567', 'NOT_MOBILE'],
      ['0212345678', 'NOT_MOBILE'],
      ['02-1234-5678', 'INVALID_FORMAT'],
      ['+82 2-1234-5678', 'INVALID_FORMAT'],
      ['+8221234567', 'NOT_MOBILE'],
      ['0311234567', 'NOT_MOBILE'],
      ['031-123-4567', 'NOT_MOBILE'],
      ['031-1234-5678', 'NOT_MOBILE'],
      ['0511234567', 'NOT_MOBILE'],
      ['064-123-4567', 'NOT_MOBILE'],
      ['15881234', 'NOT_MOBILE'],
      ['1588-1234', 'INVALID_FORMAT'],
      ['16449999', 'NOT_MOBILE'],
      ['0801234567', 'NOT_MOBILE'],
      ['0301234567', 'NOT_MOBILE'],
      ['1012345678', 'NOT_MOBILE'],
      ['821012345678', 'NOT_MOBILE'],
      ['112', 'NOT_MOBILE'],
      ['0', 'NOT_MOBILE'],
      // mobile prefixes with the wrong number of digits
      ['0101234567', 'INVALID_LENGTH'],
      ['010-123-4567', 'INVALID_LENGTH'],
      ['+82 10-123-4567', 'INVALID_LENGTH'],
      ['010123456789', 'INVALID_LENGTH'],
      ['0101234', 'INVALID_LENGTH'],
      ['010', 'INVALID_LENGTH'],
      ['011123456', 'INVALID_LENGTH'],
      ['011123456789', 'INVALID_LENGTH'],
      ['019-12-3456', 'INVALID_FORMAT'],
      ['0'.repeat(25), 'INVALID_LENGTH'],
      ['1'.repeat(10_000), 'INVALID_LENGTH'],
      ['0101234567'.repeat(3), 'INVALID_LENGTH'],
    ])('%p (%s)', (input, reason) => {
      expect(checkKoreanMobileNumber(input)).toEqual({ valid: false, reason });
    });
  });

  it('never rewrites a legacy number to 010', () => {
    const result = checkKoreanMobileNumber('016-123-4567');
    expect(result).toEqual({ valid: true, phoneNumber: '0161234567' });
  });

  it('returns the same national digits for every accepted spelling of one number', () => {
    const spellings = [
      '01012345678',
      '010-1234-5678',
      '010 1234 5678',
      '+821012345678',
      '+82 10-1234-5678',
      '+82-10-1234-5678',
    ];
    const results = spellings.map((s) => checkKoreanMobileNumber(s));
    expect(new Set(results.map((r) => (r.valid ? r.phoneNumber : r.reason)))).toEqual(
      new Set(['01012345678']),
    );
  });
});
