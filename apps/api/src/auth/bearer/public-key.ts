import type { KeyObject } from 'node:crypto';

const EC_CURVES: Record<string, string> = {
  ES256: 'prime256v1',
  ES384: 'secp384r1',
  ES512: 'secp521r1',
  ES256K: 'secp256k1',
};

/**
 * Tells whether a public key can verify a JWS algorithm. jose throws a `TypeError` for a mismatch,
 * and the algorithm comes from the token: checking first keeps an attacker's choice a 401, not a 500.
 */
export function keyFitsAlgorithm(key: KeyObject, alg: string): boolean {
  const type = key.asymmetricKeyType;
  if (/^RS(256|384|512)$/.test(alg)) return type === 'rsa';
  if (/^PS(256|384|512)$/.test(alg)) return type === 'rsa' || type === 'rsa-pss';
  const curve = EC_CURVES[alg];
  if (curve !== undefined) return type === 'ec' && key.asymmetricKeyDetails?.namedCurve === curve;
  if (alg === 'EdDSA') return type === 'ed25519' || type === 'ed448';
  return false;
}
