import { ALPHANUMERIC, randomString, UPPER_ALPHANUMERIC } from './random-string';

describe('randomString', () => {
  it('draws exactly the requested number of characters from the alphabet', () => {
    const value = randomString(40, UPPER_ALPHANUMERIC);
    expect(value).toMatch(/^[A-Z0-9]{40}$/);
  });

  it('uses every character of the alphabet about equally often', () => {
    const counts = new Map<string, number>();
    const sample = randomString(62 * 500, ALPHANUMERIC);
    for (const char of sample) counts.set(char, (counts.get(char) ?? 0) + 1);
    expect(counts.size).toBe(62);
    // Expected 500 each; a biased generator (e.g. byte % 62) would over-draw the first 8 characters by ~25 %.
    for (const count of counts.values()) {
      expect(count).toBeGreaterThan(380);
      expect(count).toBeLessThan(620);
    }
  });

  it('refuses an alphabet of fewer than two characters', () => {
    expect(() => randomString(4, 'A')).toThrow(RangeError);
  });
});
