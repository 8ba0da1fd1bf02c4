/**
 * Everything the audit trail records about ARS verifications and phone-number changes, and the
 * refusals of an authenticated member's requests (permission, status, body) on those routes.
 */
export const AUDIT_EVENT_TYPES = [
  'ars.requested',
  'ars.call_placed',
  'ars.verified',
  'ars.failed',
  'ars.refused',
  'phone.changed',
  'phone.refused',
  'request.refused',
] as const;

/** One of {@link AUDIT_EVENT_TYPES}. */
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

/** Free-form facts of an event. Phone numbers appear masked (`010-****-5678`); codes never appear. */
export type AuditDetails = Record<string, string | number | null>;

/** What a caller hands to {@link AuditService.record}. */
export interface AuditEvent {
  readonly type: AuditEventType;
  readonly memberId: string | null;
  readonly credentialId?: string | null;
  readonly requestId?: string | null;
  readonly clientIp?: string | null;
  readonly details?: AuditDetails;
}

/** One recorded event, as read back for the operator CLI. */
export interface AuditEntry {
  readonly id: number;
  readonly type: AuditEventType;
  readonly memberId: string | null;
  readonly credentialId: string | null;
  readonly requestId: string | null;
  readonly clientIp: string | null;
  readonly details: AuditDetails;
  /** ISO 8601, UTC, milliseconds. */
  readonly dateCreated: string;
}
