import { Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';

import { KYSELY } from '../database/database.module';
import type { Executor } from '../database/executor';
import type { AuditEventRow, Database } from '../database/schema';
import { redactAuditDetails } from './audit-redaction';
import type { AuditDetails, AuditEntry, AuditEvent, AuditEventType } from './audit.types';

const DEFAULT_LIST_LIMIT = 50;
const MAX_LIST_LIMIT = 1000;

function parseDetails(json: string): AuditDetails {
  try {
    const parsed: unknown = JSON.parse(json);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as AuditDetails)
      : {};
  } catch {
    return {};
  }
}

function toEntry(row: AuditEventRow): AuditEntry {
  return {
    id: Number(row.id),
    type: row.event_type as AuditEventType,
    memberId: row.member_id,
    credentialId: row.credential_id,
    requestId: row.request_id,
    clientIp: row.client_ip,
    details: parseDetails(row.details),
    dateCreated: new Date(Number(row.date_created)).toISOString(),
  };
}

/** The append-only audit trail of ARS verifications and phone-number changes. */
@Injectable()
export class AuditService {
  constructor(@Inject(KYSELY) private readonly db: Kysely<Database>) {}

  /**
   * Appends one event. Takes an executor so the record commits or rolls back with the change it
   * describes.
   */
  async record(executor: Executor, event: AuditEvent, now: number): Promise<void> {
    await executor
      .insertInto('audit_events')
      .values({
        member_id: event.memberId,
        event_type: event.type,
        credential_id: event.credentialId ?? null,
        request_id: event.requestId ?? null,
        client_ip: event.clientIp ?? null,
        details: JSON.stringify(redactAuditDetails(event.details ?? {})),
        date_created: now,
      })
      .execute();
  }

  /** A member's events, newest first. */
  async listForMember(memberId: string, options: { limit?: number } = {}): Promise<AuditEntry[]> {
    const requested = Number.isFinite(options.limit)
      ? Math.trunc(options.limit as number)
      : DEFAULT_LIST_LIMIT;
    const limit = Math.min(Math.max(requested, 1), MAX_LIST_LIMIT);
    const rows = await this.db
      .selectFrom('audit_events')
      .selectAll()
      .where('member_id', '=', memberId)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toEntry);
  }
}
