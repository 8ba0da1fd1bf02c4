import type { Kysely, Transaction } from 'kysely';

import type { Database } from './schema';

/** Either the database or an open transaction: repositories accept both, so a service can compose
 *  several repositories' writes into one transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;
