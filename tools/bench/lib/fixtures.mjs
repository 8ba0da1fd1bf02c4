// Everything the timed window needs, made before it starts: a migrated SQLite database with members,
// sealed API keys and development bearer tokens, VERIFIED ARS proofs, and files of pre-signed
// requests that wrk sends once each. The app's own built modules do the migration, the sealing, the
// code hashing and the token signing, so the rows are exactly what the service itself would write.
import { Buffer } from 'node:buffer';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { root } from './paths.mjs';

const require = createRequire(join(root, 'apps', 'api', 'package.json'));
const dist = (path) => require(join(root, 'apps', 'api', 'dist', path));

export const UPDATE_PATH = '/users/v1/member/phone-number';
export const READ_PATH = '/users/v1/member';

/** Secrets of one bench run, handed to the server through its ordinary configuration variables. */
export function benchSecrets() {
  return { masterKey: randomBytes(32), hs256Secret: randomBytes(32), keySeed: randomBytes(32) };
}

const pad = (value, width) => String(value).padStart(width, '0');
export const memberIdOf = (index) => `260101${pad(index, 8)}`;
const keyIdOf = (index) => `MPB${pad(index, 13)}`;
const secretOf = (secrets, keyId) =>
  createHmac('sha256', secrets.keySeed).update(keyId).digest('hex').slice(0, 32);

/**
 * Creates and migrates `file` with `members` ACTIVE members, one API key each (sealed with the
 * app's SecretBox under the run's master key). The first `active` members also get a development
 * bearer token (`users:read users:write`); they are the ones the requests use.
 */
export async function createBenchDatabase(file, secrets, { members, active }) {
  const { createDatabase } = dist('database/create-database.js');
  const { migrateToLatest } = dist('database/migrate.js');
  const handle = createDatabase({ dialect: 'sqlite', file });
  await migrateToLatest(handle.db, handle.dialect);
  await handle.db.destroy();

  const { SecretBox } = dist('crypto/secret-box.js');
  const box = new SecretBox(secrets.masterKey);
  const Sqlite = require('better-sqlite3');
  const sqlite = new Sqlite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = OFF');
  const now = Date.now();
  const insertMember = sqlite.prepare(
    `INSERT INTO members (id, name, email, phone_number, status, selected_account_id, date_created, date_updated)
     VALUES (?, ?, ?, ?, 'ACTIVE', NULL, ?, ?)`,
  );
  const insertKey = sqlite.prepare(
    `INSERT INTO api_keys (id, member_id, secret_ciphertext, scopes, status, description, date_created)
     VALUES (?, ?, ?, NULL, 'ACTIVE', 'bench', ?)`,
  );
  const batch = sqlite.transaction((from, to) => {
    for (let i = from; i < to; i++) {
      const id = memberIdOf(i);
      insertMember.run(id, `bench ${i}`, `m${i}@bench.example`, `0109${pad(i, 7)}`, now, now);
      const keyId = keyIdOf(i);
      insertKey.run(keyId, id, box.seal(secretOf(secrets, keyId), keyId), now);
    }
  });
  for (let from = 0; from < members; from += 50_000) batch(from, Math.min(members, from + 50_000));
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.exec('ANALYZE');
  sqlite.close();

  const { DevTokenIssuer } = dist('auth/bearer/dev-token.issuer.js');
  const issuer = new DevTokenIssuer(
    { mode: 'development', bearer: { hs256Secret: secrets.hs256Secret, algorithms: ['HS256'] } },
    { now: () => Date.now() },
  );
  const actives = [];
  for (let i = 0; i < active; i++) {
    const keyId = keyIdOf(i);
    const token = await issuer.issue({
      memberId: memberIdOf(i),
      scopes: ['users:read', 'users:write'],
      ttlSeconds: 86_400,
    });
    const { jti } = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
    actives.push({
      memberId: memberIdOf(i),
      apiKey: keyId,
      apiSecret: secretOf(secrets, keyId),
      token,
      credentials: { hmac: `apikey:${keyId}`, bearer: `bearer:${jti}` },
    });
  }
  return { file, members, actives };
}

let numberCounter = 0;
/** A number no member has had yet in this run, so every update is a real change. */
const freshNumber = () => `0102${pad(numberCounter++, 7)}`;

/**
 * Writes `count` VERIFIED proofs straight into the database, in the state the keypad leaves them
 * (attempt 1 counted, verified now, usable for the proof lifetime, code stored hashed with the app's
 * key), and returns one planned update per proof, members taken round robin.
 */
export function addProofs(database, secrets, count, method) {
  const { deriveKey } = dist('crypto/derive-key.js');
  const { generateArsCode, hashArsCode } = dist('ars/ars-code.js');
  const { ARS_PROOF_LIFETIME_MS } = require('@member-phone/core');
  const codeKey = deriveKey(secrets.masterKey, 'ars-code-hash');
  const Sqlite = require('better-sqlite3');
  const sqlite = new Sqlite(database.file);
  sqlite.pragma('busy_timeout = 5000');
  const insert = sqlite.prepare(
    `INSERT INTO ars_verifications (id, member_id, phone_number, credential_id, code_hash, status, attempts,
       provider_call_id, date_created, expire_at, verified_at, consumed_at, date_updated)
     VALUES (?, ?, ?, ?, ?, 'VERIFIED', 1, ?, ?, ?, ?, NULL, ?)`,
  );
  const now = Date.now();
  const plans = [];
  sqlite.transaction(() => {
    for (let j = 0; j < count; j++) {
      const member = database.actives[j % database.actives.length];
      const id = randomUUID();
      const phoneNumber = freshNumber();
      const credentialId = member.credentials[method];
      insert.run(
        id,
        member.memberId,
        phoneNumber,
        credentialId,
        hashArsCode(codeKey, id, generateArsCode(6)),
        `sim-${id}`,
        now - 1000,
        now + ARS_PROOF_LIFETIME_MS,
        now,
        now,
      );
      plans.push({ member, phoneNumber });
    }
  })();
  sqlite.close();
  return plans;
}

/** Proofs a run did not get to use are canceled, so they do not pile up in the next run's lookups. */
export function cancelUnusedProofs(database) {
  const Sqlite = require('better-sqlite3');
  const sqlite = new Sqlite(database.file);
  sqlite.pragma('busy_timeout = 5000');
  sqlite.prepare(`UPDATE ars_verifications SET status = 'CANCELED' WHERE status = 'VERIFIED'`).run();
  sqlite.close();
}

/** Checks, after a run, what the database says happened: changed numbers, consumed proofs, audit rows. */
export function countOutcomes(database) {
  const Sqlite = require('better-sqlite3');
  const sqlite = new Sqlite(database.file, { readonly: true });
  const one = (sql) => Object.values(sqlite.prepare(sql).get())[0];
  const result = {
    consumed: one(`SELECT count(*) FROM ars_verifications WHERE status = 'CONSUMED'`),
    phoneChanged: one(`SELECT count(*) FROM audit_events WHERE event_type = 'phone.changed'`),
    signatures: one(`SELECT count(*) FROM hmac_signatures`),
  };
  sqlite.close();
  return result;
}

function hmacHeader(member) {
  const { signHmacAuthorization } = require('@member-phone/core');
  return signHmacAuthorization({ apiKey: member.apiKey, apiSecret: member.apiSecret });
}

/** One line per request for bench.lua: each update with its own fresh signature or the member's token. */
export function writeUpdateRequests(file, plans, method) {
  const lines = plans.map(({ member, phoneNumber }) => {
    const auth = method === 'hmac' ? hmacHeader(member) : `Bearer ${member.token}`;
    return `PUT\t${UPDATE_PATH}\t${auth}\t{"phoneNumber":"${phoneNumber}"}`;
  });
  writeFileSync(file, lines.join('\n') + '\n');
  return lines.length;
}

/** `count` reads of the member, members round robin, each with a fresh signature. */
export function writeReadRequests(file, database, count) {
  const lines = [];
  for (let j = 0; j < count; j++) {
    const member = database.actives[j % database.actives.length];
    lines.push(`GET\t${READ_PATH}\t${hmacHeader(member)}\t`);
  }
  writeFileSync(file, lines.join('\n') + '\n');
  return lines.length;
}
