import { randomBytes } from 'node:crypto';

import { SecretBox, SecretBoxError } from './secret-box';

describe('SecretBox', () => {
  const masterKey = randomBytes(32);
  const box = new SecretBox(masterKey);

  it('opens what it sealed with the same associated data', () => {
    const envelope = box.seal('s3cr3t-value', 'MPKEY1');
    expect(envelope).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(box.open(envelope, 'MPKEY1')).toBe('s3cr3t-value');
  });

  it('never puts the plaintext in the envelope and uses a fresh IV every time', () => {
    const a = box.seal('same-plaintext-here', 'id');
    const b = box.seal('same-plaintext-here', 'id');
    expect(a).not.toBe(b);
    expect(a).not.toContain('same-plaintext-here');
    const raw = Buffer.from(a.slice(3), 'base64url');
    // 12-byte IV, 16-byte tag, then one byte of ciphertext per plaintext byte.
    expect(raw.length).toBe(12 + 16 + 'same-plaintext-here'.length);
    expect(raw.subarray(0, 12).equals(Buffer.from(b.slice(3), 'base64url').subarray(0, 12))).toBe(false);
  });

  it('refuses to open an envelope moved to another key row', () => {
    const envelope = box.seal('secret', 'MPKEY1');
    expect(() => box.open(envelope, 'MPKEY2')).toThrow(SecretBoxError);
  });

  it('refuses a tampered ciphertext, tag or IV', () => {
    const envelope = box.seal('secret-secret', 'id');
    const raw = Buffer.from(envelope.slice(3), 'base64url');
    for (const index of [0, 12, raw.length - 1]) {
      const altered = Buffer.from(raw);
      altered[index] = (altered[index] ?? 0) ^ 0x01;
      expect(() => box.open('v1.' + altered.toString('base64url'), 'id')).toThrow(SecretBoxError);
    }
  });

  it('refuses an envelope sealed under another master key', () => {
    const other = new SecretBox(randomBytes(32));
    expect(() => other.open(box.seal('secret', 'id'), 'id')).toThrow(SecretBoxError);
  });

  it.each([
    ['an unknown version', 'v2.AAAA'],
    ['no version', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['characters outside base64url', 'v1.AAAA+AAAA/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['a body shorter than IV and tag', 'v1.AAAA'],
    ['an empty body', 'v1.'],
  ])('refuses %s', (_name, envelope) => {
    expect(() => box.open(envelope, 'id')).toThrow(SecretBoxError);
  });

  it('refuses a master key shorter than 32 bytes', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow(RangeError);
  });
});
