import { generateSalt } from './salt';

describe('generateSalt', () => {
  it('gives 32 alphanumeric characters by default', () => {
    expect(generateSalt()).toMatch(/^[0-9A-Za-z]{32}$/);
  });

  it.each([12, 13, 31, 63, 64])('gives exactly %p characters on request', (length) => {
    expect(generateSalt(length)).toMatch(new RegExp(`^[0-9A-Za-z]{${length}}$`));
  });

  it.each([0, 11, 65, 1000, 12.5, Number.NaN, -1, Number.POSITIVE_INFINITY])(
    'throws a RangeError for length %p',
    (length) => {
      expect(() => generateSalt(length)).toThrow(RangeError);
    },
  );

  it('is fresh on every call', () => {
    const salts = new Set(Array.from({ length: 1000 }, () => generateSalt(12)));
    expect(salts.size).toBe(1000);
  });

  it('uses every one of the 62 characters with no visible bias', () => {
    const counts = new Map<string, number>();
    const samples = 2000;
    for (let i = 0; i < samples; i += 1) {
      for (const ch of generateSalt(64)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    expect(counts.size).toBe(62);
    const expected = (samples * 64) / 62; // about 2065 per character
    // `byte % 62` without rejection would give the first 8 characters about 5/4 of the others.
    for (const count of counts.values()) {
      expect(count).toBeGreaterThan(expected * 0.88);
      expect(count).toBeLessThan(expected * 1.12);
    }
  });
});
