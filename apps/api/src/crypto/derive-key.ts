import { hkdfSync } from 'node:crypto';

/** What a derived key is for. One master key, one sub-key per purpose, so no key serves two jobs. */
export type KeyPurpose = 'api-key-secrets' | 'ars-code-hash' | 'telephony-signing';

/** Derives a 32-byte sub-key of the master key for one purpose (HKDF-SHA256). */
export function deriveKey(masterKey: Buffer, purpose: KeyPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), `member-phone:${purpose}`, 32));
}
