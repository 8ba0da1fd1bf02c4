import { Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';

import { compileOnce } from '../app/compiled-query';
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
  /** Every change and refusal appends one row: built and compiled once (app/compiled-query.ts). */
  private readonly insertEvent;

  constructor(@Inject(KYSELY) private readonly db: Kysely<Database>) {
    this.insertEvent = compileOnce(
      ['memberId', 'type', 'credentialId', 'requestId', 'clientIp', 'details', 'now'],
      (p) =>
        db
          .insertInto('audit_events')
          .values({
            member_id: p.memberId,
            event_type: p.type,
            credential_id: p.credentialId,
            request_id: p.requestId,
            client_ip: p.clientIp,
            details: p.details,
            date_created: p.now as unknown as number,
          })
          .compile(),
    );
  }

  /**
   * Appends one event. Takes an executor so the record commits or rolls back with the change it
   * describes.
   */
  async record(executor: Executor, event: AuditEvent, now: number): Promise<void> {
    await executor.executeQuery(
      this.insertEvent({
        memberId: event.memberId,
        type: event.type,
        credentialId: event.credentialId ?? null,
        requestId: event.requestId ?? null,
        clientIp: event.clientIp ?? null,
        details: JSON.stringify(redactAuditDetails(event.details ?? {})),
        now,
      }),
    );
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
