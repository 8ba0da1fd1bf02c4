import { OPERATION_ROUTES, OPERATIONS } from '../scenarios/operation-routes';
import { type Scenario, type ScenarioRequest, type ScenarioState } from '../scenarios/scenario.types';

/** Example code per region name (a scenario name, or `sequence:<name>`), from the example specs. */
export type ExampleRegions = ReadonlyMap<string, { file: string; code: string }>;

const REGION = /^[ \t]*\/\/ #region (\S+)\n([\s\S]*?)^[ \t]*\/\/ #endregion\n/gm;

/** Collects the `// #region <name>` … `// #endregion` blocks of example spec sources. */
export function exampleRegions(
  files: ReadonlyArray<{ file: string; text: string }>,
): Map<string, { file: string; code: string }> {
  const regions = new Map<string, { file: string; code: string }>();
  for (const { file, text } of files) {
    for (const match of text.matchAll(REGION)) {
      const [, name = '', body = ''] = match;
      if (regions.has(name)) throw new Error(`example region ${name} appears twice`);
      regions.set(name, { file, code: dedent(body) });
    }
  }
  return regions;
}

function dedent(text: string): string {
  const lines = text.replace(/\n+$/, '').split('\n');
  const indent = Math.min(
    ...lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0),
  );
  return lines.map((line) => line.slice(indent)).join('\n');
}

function routeOf(scenario: Scenario): string {
  const route = OPERATION_ROUTES[scenario.operation];
  return `${route.method} ${route.path}`;
}

function anchorOf(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function stateLines(state: ScenarioState): string[] {
  const lines = [`member is \`${state.member.status}\` with phone number \`${state.member.phoneNumber}\``];
  lines.push(
    state.scopes === null
      ? 'the member’s API key was created without a scope list (every permission)'
      : `the member’s API key has only ${state.scopes.map((scope) => `\`${scope}\``).join(', ')}`,
  );
  if (state.arsVerification) {
    lines.push(
      `the member holds an ARS verification of \`${state.arsVerification.phoneNumber}\` in status \`${state.arsVerification.status}\`, made with the same key`,
    );
  }
  if (state.recentArsCall) lines.push('the member placed an ARS call moments ago (the cooldown is running)');
  if (state.serverClockAheadMs)
    lines.push(`the server’s clock runs ${state.serverClockAheadMs / 60_000} minutes ahead of the caller’s`);
  if (state.failure === 'bug') lines.push('looking up the API key throws an unexpected error (a bug)');
  if (state.failure === 'database-unreachable')
    lines.push('the database refuses connections while the API key is looked up');
  return lines;
}

const CREDENTIALS: Readonly<Record<ScenarioRequest['credential'], string>> = {
  valid: 'signed with the member’s API key',
  none: 'without an `Authorization` header',
  'unknown-key': 'signed with an API key the service never issued',
  'wrong-secret': 'signed with the member’s API key but the wrong secret',
  replayed: 'with an `Authorization` header the service already accepted once',
};

function requestLine(scenario: Scenario): string {
  const { request } = scenario;
  const parts = [CREDENTIALS[request.credential]];
  if (request.rawBody) {
    const text =
      request.rawBody.text.length > 80
        ? `${request.rawBody.text.slice(0, 60)}… (${request.rawBody.text.length} bytes)`
        : request.rawBody.text;
    parts.push(
      `with \`Content-Type: ${request.rawBody.contentType}\` and the body \`${text}\` (sent with fetch: the client refuses to)`,
    );
  } else if (request.phoneNumber) parts.push(`for \`${request.phoneNumber}\``);
  if (request.verificationId === 'own') parts.push('for the member’s own verification');
  if (request.verificationId === 'unknown') parts.push('for a verification id nobody holds');
  const sender =
    request.rawBody || request.credential === 'none' || request.credential === 'replayed'
      ? ''
      : ', sent through `MemberPhoneClient`';
  return `${routeOf(scenario)} ${parts.join(', ')}${sender}.`;
}

// Answers that carry `Retry-After`; the core client retries only the `503` ones, and only on
// `GET` and `PUT`, so a snippet must say how many answers a call meets.
function retryLine(scenario: Scenario): string | undefined {
  if (scenario.errorCode === 'TooManyRequests') {
    return 'Retries: the core client does not retry a `429`; one answer meets one call, whatever its `retry` option.';
  }
  if (scenario.errorCode !== 'ServiceUnavailable') return undefined;
  if (OPERATION_ROUTES[scenario.operation].method === 'POST') {
    return 'Retries: the core client never retries a `POST` the service answered, so one answer meets one call, whatever its `retry` option.';
  }
  return 'Retries: with its default retries the core client waits the answer’s `Retry-After` (5 s) and sends again, up to 3 attempts; serve one answer per attempt (`times: 3` or `persist: true`, with `retryAfterSeconds: 0` to skip the wait), or build the client with `retry: false` and serve one.';
}

function exampleBlock(regions: ExampleRegions, name: string): string[] {
  const example = regions.get(name);
  if (!example) throw new Error(`scenario ${name} has no example region`);
  return [`Example ([${example.file}](${example.file})):`, '', '```ts', example.code, '```'];
}

/**
 * The scenario catalog in Markdown, generated from `SCENARIOS` and the example specs. The docs'
 * copy must equal it (checked by a spec; regenerate with `UPDATE_FIXTURES=1`).
 *
 * @example
 * ```ts
 * const markdown = renderScenarioCatalog(SCENARIOS, exampleRegions(files));
 * ```
 */
export function renderScenarioCatalog(scenarios: readonly Scenario[], regions: ExampleRegions): string {
  const out: string[] = [
    '<!-- Generated from libs/testing (SCENARIOS and test/examples). Do not edit: run',
    '     `UPDATE_FIXTURES=1 npx jest -c libs/testing/jest.config.js libs/testing/src/catalog`. -->',
    '',
    '# Scenario catalog',
    '',
    'Every answer `@member-phone/testing` can serve, with `api.scenario(name)`. Each one is proven',
    'on every CI run: the api app’s conformance suite builds the state listed below in the real',
    'service, sends the request through the real client and checks that the normalized answer equals',
    'what the kit serves. See [the quick start](README.md) for setup.',
    '',
    'The examples share one client built with `retry: false` unless they build their own; the',
    'quick-start client retries a `503` to a `GET` or `PUT` after its `Retry-After`, so each',
    'scenario that carries `Retry-After` says under “Retries” how many answers a call meets.',
    '',
    '| scenario | route | status | errorCode | when to use it |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const scenario of scenarios) {
    out.push(
      `| [\`${scenario.name}\`](#${anchorOf(scenario.name)}) | \`${routeOf(scenario)}\` | ${scenario.status} | ${scenario.errorCode ? `\`${scenario.errorCode}\`` : '—'} | ${cell(scenario.whenToUse)} |`,
    );
  }
  out.push(
    '',
    '## Sequences',
    '',
    'Register scenarios in order with `api.sequence([...])`: each serves one request.',
    '',
  );
  for (const [name] of [...regions].filter(([region]) => region.startsWith('sequence:'))) {
    out.push(`### ${name.slice('sequence:'.length)}`, '', ...exampleBlock(regions, name), '');
  }
  for (const operation of OPERATIONS) {
    const route = OPERATION_ROUTES[operation];
    out.push(`## ${operation} — \`${route.method} ${route.path}\``, '');
    for (const scenario of scenarios.filter((candidate) => candidate.operation === operation)) {
      out.push(`### ${scenario.name}`, '');
      out.push(
        `**${scenario.status}${scenario.errorCode ? ` ${scenario.errorCode}` : ''}** — use it when ${scenario.whenToUse}.`,
        '',
      );
      out.push(
        'State proven in the real service:',
        '',
        ...stateLines(scenario.state).map((line) => `- ${line}`),
        '',
      );
      out.push(`Request: ${requestLine(scenario)}`, '');
      const retries = retryLine(scenario);
      if (retries) out.push(retries, '');
      out.push(...exampleBlock(regions, scenario.name), '');
    }
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
