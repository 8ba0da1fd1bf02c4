import { maskPhoneNumber } from '@member-phone/core';
import type { Kysely } from 'kysely';

import type { ArsVerificationRow, AuditEventRow, Database } from '../../../src/database/schema';

/** What a client was told: this request changed (or kept) this member's number, answered 200. */
export interface AcknowledgedUpdate {
  readonly memberId: string;
  readonly phoneNumber: string;
  readonly requestId: string;
}

/** The outcome of {@link checkStateInvariants}: how many facts were checked, and which failed. */
export interface InvariantReport {
  checked: number;
  violations: string[];
}

export interface InvariantInput {
  /** The members whose state is checked, with the number each had before the run. */
  readonly members: ReadonlyArray<{ readonly id: string; readonly initialPhoneNumber: string }>;
  /** Updates that were answered 200 with a new number. */
  readonly acknowledged?: readonly AcknowledgedUpdate[];
  /**
   * Per member, a number a PUT was carrying when its answer was lost (the process died): the
   * member may hold it or not.
   */
  readonly unanswered?: ReadonlyMap<string, string>;
  /** Per member, the number the last acknowledged update left (absent: the initial number). */
  readonly lastAcknowledged?: ReadonlyMap<string, string>;
  /** The service's "now", to tell open verifications from expired ones. */
  readonly now: number;
  readonly maxAttempts?: number;
}

function detailsOf(row: AuditEventRow): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(row.details);
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Reads the whole state of the given members and checks the invariants of DESIGN section 4 and of
 * the update transaction (section 2):
 * - a proof is consumed at most once, and `consumed_at` is set exactly on CONSUMED rows;
 * - every `phone.changed` names a distinct CONSUMED verification of that member for that number,
 *   and every CONSUMED verification has exactly one `phone.changed` (audit ↔ change one to one);
 * - the changes chain (each one's old number is the previous one's new number) and the last one is
 *   the member's current number, so no member holds a number that was not verified;
 * - each verification has one `ars.requested`, at most the allowed attempts, and one `ars.verified`
 *   exactly when it was verified;
 * - a member has at most one open (CALLING or unused VERIFIED, unexpired) verification;
 * - every acknowledged update is in the audit trail under its request id, and each member holds
 *   the number its last acknowledged update set (or the number of a PUT whose answer was lost).
 */
export async function checkStateInvariants(
  db: Kysely<Database>,
  input: InvariantInput,
): Promise<InvariantReport> {
  const report: InvariantReport = { checked: 0, violations: [] };
  const check = (ok: boolean, violation: () => string) => {
    report.checked += 1;
    if (!ok) report.violations.push(violation());
  };
  const maxAttempts = input.maxAttempts ?? 5;
  const ids = input.members.map((member) => member.id);
  if (ids.length === 0) return report;

  const [memberRows, verifications, audits] = await Promise.all([
    db.selectFrom('members').selectAll().where('id', 'in', ids).execute(),
    db.selectFrom('ars_verifications').selectAll().where('member_id', 'in', ids).execute(),
    db
      .selectFrom('audit_events')
      .selectAll()
      .where('member_id', 'in', ids)
      .where('event_type', 'in', ['phone.changed', 'ars.requested', 'ars.verified'])
      .orderBy('id')
      .execute(),
  ]);
  const verificationById = new Map<string, ArsVerificationRow>(verifications.map((row) => [row.id, row]));
  const countBy = (type: string) => {
    const counts = new Map<string, number>();
    for (const row of audits) {
      if (row.event_type !== type) continue;
      const id = String(detailsOf(row).verificationId);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  };
  const requested = countBy('ars.requested');
  const verifiedAudits = countBy('ars.verified');
  const changedAudits = countBy('phone.changed');

  for (const row of verifications) {
    check(
      (row.consumed_at !== null) === (row.status === 'CONSUMED'),
      () => `verification ${row.id}: status ${row.status} with consumed_at ${row.consumed_at}`,
    );
    check(
      row.status !== 'CONSUMED' || row.verified_at !== null,
      () => `verification ${row.id} was consumed without being verified`,
    );
    check(
      (changedAudits.get(row.id) ?? 0) === (row.status === 'CONSUMED' ? 1 : 0),
      () => `verification ${row.id} (${row.status}) has ${changedAudits.get(row.id) ?? 0} phone.changed`,
    );
    check(
      requested.get(row.id) === 1,
      () => `verification ${row.id} has ${requested.get(row.id) ?? 0} ars.requested`,
    );
    check(
      (verifiedAudits.get(row.id) ?? 0) === (row.verified_at === null ? 0 : 1),
      () =>
        `verification ${row.id} (verified_at ${row.verified_at}) has ${verifiedAudits.get(row.id) ?? 0} ars.verified`,
    );
    check(
      row.attempts >= 0 && row.attempts <= maxAttempts,
      () => `verification ${row.id} used ${row.attempts} attempts`,
    );
  }

  const acknowledgedByRequest = new Map(
    (input.acknowledged ?? []).map((update) => [update.requestId, update]),
  );
  for (const member of input.members) {
    const row = memberRows.find((candidate) => candidate.id === member.id);
    check(row !== undefined, () => `member ${member.id} is missing`);
    if (!row) continue;

    const open = verifications.filter(
      (v) =>
        v.member_id === member.id &&
        v.expire_at > input.now &&
        (v.status === 'CALLING' || (v.status === 'VERIFIED' && v.consumed_at === null)),
    );
    check(open.length <= 1, () => `member ${member.id} has ${open.length} open verifications`);

    let expectedOld = maskPhoneNumber(member.initialPhoneNumber);
    let current = member.initialPhoneNumber;
    for (const audit of audits.filter((a) => a.member_id === member.id && a.event_type === 'phone.changed')) {
      const details = detailsOf(audit);
      const proof = verificationById.get(String(details.verificationId));
      check(
        proof !== undefined && proof.member_id === member.id && proof.status === 'CONSUMED',
        () =>
          `phone.changed ${audit.id} names ${String(details.verificationId)}, not a consumed proof of ${member.id}`,
      );
      check(
        proof !== undefined && maskPhoneNumber(proof.phone_number) === details.newPhoneNumber,
        () =>
          `phone.changed ${audit.id} sets ${String(details.newPhoneNumber)}, its proof was for another number`,
      );
      check(
        details.oldPhoneNumber === expectedOld,
        () =>
          `phone.changed ${audit.id} starts from ${String(details.oldPhoneNumber)}, the member had ${expectedOld}`,
      );
      expectedOld = String(details.newPhoneNumber);
      if (proof) current = proof.phone_number;
      const acknowledged = audit.request_id ? acknowledgedByRequest.get(audit.request_id) : undefined;
      if (acknowledged) {
        check(
          acknowledged.memberId === member.id && maskPhoneNumber(acknowledged.phoneNumber) === expectedOld,
          () => `request ${audit.request_id} was acknowledged for another change than audit ${audit.id}`,
        );
      }
    }
    check(
      row.phone_number === current,
      () =>
        `member ${member.id} holds ${maskPhoneNumber(row.phone_number)}, its audited changes end at ${maskPhoneNumber(current)}`,
    );
    if (input.lastAcknowledged) {
      const last = input.lastAcknowledged.get(member.id) ?? member.initialPhoneNumber;
      const lost = input.unanswered?.get(member.id);
      check(
        row.phone_number === last || row.phone_number === lost,
        () =>
          `member ${member.id} holds ${maskPhoneNumber(row.phone_number)}; acknowledged ${maskPhoneNumber(last)}` +
          (lost ? `, unanswered ${maskPhoneNumber(lost)}` : ''),
      );
    }
  }

  const changedRequestIds = new Map<string, number>();
  for (const audit of audits) {
    if (audit.event_type === 'phone.changed' && audit.request_id) {
      changedRequestIds.set(audit.request_id, (changedRequestIds.get(audit.request_id) ?? 0) + 1);
    }
  }
  for (const update of input.acknowledged ?? []) {
    check(
      changedRequestIds.get(update.requestId) === 1,
      () =>
        `acknowledged update ${update.requestId} (${maskPhoneNumber(update.phoneNumber)}) has ` +
        `${changedRequestIds.get(update.requestId) ?? 0} phone.changed`,
    );
  }
  return report;
}
