import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root: where `npm start` and `npm run cli` run. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');
/** What `npm start` runs after building. */
export const BUILT_MAIN = join(REPO_ROOT, 'apps/api/dist/main.js');
/** What `npm run cli` runs after building. */
export const BUILT_CLI = join(REPO_ROOT, 'apps/api/dist/cli/main.js');

/**
 * Fails loudly when the build output is missing: these specs test what a newcomer runs, so a
 * missing build must be a red test, never a skipped one.
 */
export function requireBuilt(...files: string[]): void {
  for (const file of files) {
    if (!existsSync(file)) {
      throw new Error(
        `${file} does not exist: build first with \`npx tsc -b tsconfig.json\` (\`npm test\` does it before jest)`,
      );
    }
  }
}

// Every variable the service reads (config/load-config.ts), plus shell variables the README's
// walkthrough assigns: none may leak from the developer's shell into a spawned process.
const CONFIG_VARIABLE =
  /^(NODE_ENV|HOST|PORT|DATA_DIR|DATABASE_\w+|MASTER_KEY|JWT_\w+|TELEPHONY_\w+|ARS_\w+|BODY_LIMIT_BYTES|TRUST_PROXY|REQUEST_TIMEOUT_MS|LOG_LEVEL|SEED_DEMO|TOKEN|API_KEY|API_SECRET|VERIFICATION_ID|CODE)$/;

/** The current environment without any of the service's configuration, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!CONFIG_VARIABLE.test(name)) env[name] = value;
  }
  return { ...env, FORCE_COLOR: '0', ...extra };
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A child process whose output is collected, and which the spec can wait on. */
export class SpawnedProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<Exit>;
  exit: Exit | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      this.notify();
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
      this.notify();
    });
    this.exited = new Promise((done) => {
      child.on('close', (code, signal) => {
        this.exit = { code, signal };
        this.notify();
        done(this.exit);
      });
    });
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  /** Waits until stdout matches, and returns the match; rejects on exit or timeout, with the output. */
  waitForStdout(pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    return new Promise((resolveMatch, reject) => {
      const check = () => {
        const match = pattern.exec(this.stdout);
        if (match) {
          finish();
          resolveMatch(match);
        } else if (this.exit) {
          finish();
          reject(
            new Error(`process exited (${JSON.stringify(this.exit)}) before ${pattern}\n${this.output()}`),
          );
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`no ${pattern} within ${timeoutMs} ms\n${this.output()}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Waits for the exit; rejects after the timeout (the process is left to {@link stopSpawned}). */
  async waitForExit(timeoutMs = 10_000): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`still running after ${timeoutMs} ms\n${this.output()}`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  output(): string {
    return `--- stdout\n${this.stdout}\n--- stderr\n${this.stderr}`;
  }
}

const running = new Set<SpawnedProcess>();

/** Spawns a command and tracks it, so {@link stopSpawned} can end it whatever the test did. */
export function spawnTracked(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): SpawnedProcess {
  const spawned = new SpawnedProcess(
    spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  running.add(spawned);
  void spawned.exited.then(() => running.delete(spawned));
  return spawned;
}

/** Kills, by their own pid, every process this spec file spawned that is still running. */
export async function stopSpawned(): Promise<void> {
  const left = [...running];
  for (const spawned of left) spawned.child.kill('SIGKILL');
  await Promise.all(left.map((spawned) => spawned.exited));
}

/** `node apps/api/dist/main.js` in `cwd`, with a clean environment plus `env`. */
export function spawnBuiltApp(options: { cwd: string; env?: Record<string, string> }): SpawnedProcess {
  requireBuilt(BUILT_MAIN);
  return spawnTracked(process.execPath, [BUILT_MAIN], {
    cwd: options.cwd,
    env: cleanEnv({ PORT: '0', ...options.env }),
  });
}

/** Both forms of the start line (with or without demo credentials) end with the Swagger UI address. */
const LISTENING = /Swagger UI (http:\/\/127\.0\.0\.1:(\d+))\/docs/;

/** Waits for the start line and returns the base URL the app really listens on. */
export async function waitUntilListening(app: SpawnedProcess): Promise<string> {
  const match = await app.waitForStdout(LISTENING);
  return match[1]!;
}

export interface DemoBanner {
  memberId: string;
  email: string;
  maskedPhoneNumber: string;
  apiKey: string;
  apiSecret: string;
  token: string;
  swaggerUrl: string;
  openApiUrl: string;
  port: number;
}

/** Reads the first-start banner (seed/demo-seed.ts); throws, naming the line, when one is missing. */
export function parseDemoBanner(stdout: string): DemoBanner {
  const line = (name: string, pattern: RegExp): RegExpExecArray => {
    const match = pattern.exec(stdout);
    if (!match) throw new Error(`the banner has no ${name} line (${pattern}):\n${stdout}`);
    return match;
  };
  const member = line('member', /^ {2}member +(\S+) +(\S+) +ACTIVE +(\S+)$/m);
  const urls = line(
    'Swagger UI',
    /^ {2}Swagger UI +(http:\/\/127\.0\.0\.1:(\d+)\/docs) +OpenAPI +(http:\/\/127\.0\.0\.1:\d+\/docs-json)$/m,
  );
  return {
    memberId: member[1]!,
    email: member[2]!,
    maskedPhoneNumber: member[3]!,
    apiKey: line('API key', /^ {2}API key +(\S+)$/m)[1]!,
    apiSecret: line('API secret', /^ {2}API secret +(\S+)$/m)[1]!,
    token: line('token', /^ {2}token +(\S+)$/m)[1]!,
    swaggerUrl: urls[1]!,
    port: Number(urls[2]),
    openApiUrl: urls[3]!,
  };
}

/** The JSON log lines of an output (the banner and blank lines are not JSON). */
export function jsonLogLines(stdout: string): string[] {
  return stdout.split('\n').filter((line) => line.startsWith('{'));
}
