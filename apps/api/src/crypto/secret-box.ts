import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

import { deriveKey } from './derive-key';

const VERSION_PREFIX = 'v1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** An envelope that is malformed, was altered, or belongs to another row. Carries no key material. */
export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

/**
 * Encrypts API secrets at rest: AES-256-GCM under a sub-key of the master key. The associated data
 * binds an envelope to its row (the API key id), so a ciphertext copied onto another key's row fails
 * to open instead of lending that key a known secret.
 *
 * Envelope: `v1.<base64url(iv | tag | ciphertext)>`. The version prefix leaves room to rotate the
 * algorithm or key later without guessing what an old row holds.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length < 32) throw new RangeError('the master key must be at least 32 bytes');
    this.key = deriveKey(masterKey, 'api-key-secrets');
  }

  seal(plaintext: string, aad: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return VERSION_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url');
  }

  /** Decrypts an envelope made by {@link seal} with the same `aad`; throws {@link SecretBoxError} otherwise. */
  open(envelope: string, aad: string): string {
    if (!envelope.startsWith(VERSION_PREFIX)) throw new SecretBoxError('unknown envelope version');
    const body = envelope.slice(VERSION_PREFIX.length);
    // Buffer.from(…, 'base64url') skips characters it does not know; refuse them instead.
    if (!BASE64URL.test(body)) throw new SecretBoxError('envelope is not base64url');
    const raw = Buffer.from(body, 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError('envelope is too short');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new SecretBoxError('envelope failed authentication (altered, wrong key or wrong row)');
    }
  }
}
