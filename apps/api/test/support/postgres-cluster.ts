import { join } from 'node:path';

import { REPO_ROOT } from './built-app';

/** A throwaway PostgreSQL server started by tools/postgres/cluster.js. */
export interface PostgresCluster {
  /** The superuser's URL, `postgres://postgres@127.0.0.1:<port>/postgres`. */
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** Stops the server and waits until it is gone; `immediate` is a crash as far as PostgreSQL knows. */
  stop(mode?: 'fast' | 'immediate' | 'smart'): Promise<void>;
  /** Starts it again on the same port; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  destroy(): Promise<void>;
}

interface ClusterTool {
  startCluster(options: {
    dir: string;
    port?: number;
    stopOnExit?: boolean;
    timeoutMs?: number;
  }): Promise<PostgresCluster>;
  stopCluster(dir: string, mode?: 'fast' | 'immediate' | 'smart'): Promise<void>;
  findPostgresBin(): string | undefined;
}

// The tool is plain CommonJS so CI can run it before anything is built; this gives it types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tool = require(join(REPO_ROOT, 'tools/postgres/cluster.js')) as ClusterTool;

/**
 * Initialises a cluster in `dir` (or reuses the one there) and starts it on 127.0.0.1, on a free
 * port unless one is given. Trust authentication, fsync on. Needs the PostgreSQL server binaries
 * under /usr/lib/postgresql/<version>/bin (Debian package `postgresql`) or in PG_BIN.
 */
export function startCluster(options: {
  dir: string;
  port?: number;
  timeoutMs?: number;
}): Promise<PostgresCluster> {
  return tool.startCluster(options);
}

/** True when this machine has the server binaries the tool needs. */
export function postgresBinariesInstalled(): boolean {
  return tool.findPostgresBin() !== undefined;
}
