import { parseIsoDateWithOffset } from './iso-date';

const SEED_INSTANT = Date.UTC(2019, 6, 30, 2, 38, 40, 642);

describe('parseIsoDateWithOffset', () => {
  it.each<[string, number]>([
    ['2019-07-30T02:38:40.642Z', SEED_INSTANT],
    ['2019-07-30T11:38:40.642+09:00', SEED_INSTANT],
    ['2019-07-30T11:38:40.642+0900', SEED_INSTANT],
    ['2019-07-29T21:38:40.642-05:00', SEED_INSTANT],
    ['2019-07-30T02:38:40.642-00:00', SEED_INSTANT],
    ['2019-07-30T02:38:40.642000000Z', SEED_INSTANT],
    ['2019-07-30T02:38:40.642999999Z', SEED_INSTANT],
    ['2019-07-30T02:38:40.6Z', Date.UTC(2019, 6, 30, 2, 38, 40, 600)],
    ['2019-07-30T02:38:40.06Z', Date.UTC(2019, 6, 30, 2, 38, 40, 60)],
    ['2019-07-30T02:38:40Z', Date.UTC(2019, 6, 30, 2, 38, 40)],
    ['2019-07-30T11:38:40+09:00', Date.UTC(2019, 6, 30, 2, 38, 40)],
    ['2019-07-30T08:08:40+05:30', Date.UTC(2019, 6, 30, 2, 38, 40)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['2000-02-29T00:00:00Z', Date.UTC(2000, 1, 29)],
    ['1970-01-01T00:00:00Z', 0],
    ['1999-12-31T23:59:59.999Z', Date.UTC(1999, 11, 31, 23, 59, 59, 999)],
    ['2020-01-01T08:59:59+09:00', Date.UTC(2019, 11, 31, 23, 59, 59)],
    // years below 100 stay themselves (Date.UTC would turn 50 into 1950); V8 reads this Z form right
    ['0050-06-15T12:00:00Z', Date.parse('0050-06-15T12:00:00Z')],
    ['0050-06-15T21:00:00+09:00', Date.parse('0050-06-15T12:00:00Z')],
  ])('reads %p', (input, expected) => {
    expect(parseIsoDateWithOffset(input)).toBe(expected);
  });

  it.each([
    // no offset
    '2019-07-30T02:38:40.642',
    '2019-07-30T02:38:40',
    '2019-07-30',
    // impossible calendar values
    '2019-02-29T00:00:00Z',
    '1900-02-29T00:00:00Z',
    '2019-04-31T00:00:00Z',
    '2019-13-01T00:00:00Z',
    '2019-00-10T00:00:00Z',
    '2019-07-00T00:00:00Z',
    '2019-07-32T00:00:00Z',
    '2019-07-30T24:00:00Z',
    '2019-07-30T23:60:00Z',
    '2019-07-30T23:59:60Z',
    '2019-07-30T02:38:40+24:00',
    '2019-07-30T02:38:40+09:60',
    // shapes Date.parse tolerates
    '2019-07-30 02:38:40Z',
    '2019-07-30t02:38:40z',
    '2019-7-30T02:38:40Z',
    '2019-07-30T2:38:40Z',
    '2019-07-30T02:38Z',
    '+002019-07-30T02:38:40Z',
    '2019-07-30T02:38:40.Z',
    '2019-07-30T02:38:40.1234567890Z',
    '2019-07-30T02:38:40,642Z',
    '2019-07-30T02:38:40+09',
    '2019-07-30T02:38:40+9:00',
    '2019-07-30T02:38:40+09:0',
    '2019-07-30T02:38:40 +09:00',
    '2019-07-30T02:38:40GMT',
    '2019-07-30T02:38:40UTC',
    'Tue, 30 Jul 2019 02:38:40 GMT',
    '1564454320642',
    ' 2019-07-30T02:38:40Z',
    '2019-07-30T02:38:40Z ',
    '２０１９-07-30T02:38:40Z',
    '',
  ])('refuses %p', (input) => {
    expect(parseIsoDateWithOffset(input)).toBeNull();
  });

  it('refuses non-strings without throwing', () => {
    expect(parseIsoDateWithOffset(undefined as unknown as string)).toBeNull();
    expect(parseIsoDateWithOffset(1564454320642 as unknown as string)).toBeNull();
  });
});
