import { checkKoreanMobileNumber, type ErrorCode, signHmacAuthorization } from '@member-phone/core';

import type { Prng } from './prng';

/** One malformed request, as the bytes to write on a fresh connection. */
export interface BadRequest {
  /** Which family of malformation, for the counts and for failure messages. */
  readonly kind: string;
  /** A short description (method, path, what is wrong), never the whole body. */
  readonly label: string;
  readonly bytes: Buffer;
  /** The client vanishes after writing: the server may have nobody to answer. */
  readonly halfClose: boolean;
  /** The catalog codes this request may be refused with. */
  readonly expected: ReadonlySet<ErrorCode>;
  /** Whether a connection closed without any answer is acceptable (a truncated request). */
  readonly mayGoUnanswered: boolean;
}

/** Credentials and facts the generator builds its near-valid requests from. */
export interface CampaignContext {
  /** `Bearer …` of an ACTIVE member with users:read and users:write. */
  readonly bearer: string;
  /** `Bearer …` of the same member without users:write. */
  readonly readOnlyBearer: string;
  /** `Bearer …` tokens that must be refused: expired, foreign secret, unknown member, alg none. */
  readonly refusedBearers: readonly string[];
  readonly apiKey: { readonly apiKey: string; readonly apiSecret: string };
  /** The member's current number: a PUT of it would succeed, so the generator never sends it plain. */
  readonly currentNumber: string;
  /** A verification of another member. */
  readonly foreignVerificationId: string;
}

const PUT = '/users/v1/member/phone-number';
const ARS = '/users/v1/member/phone-number/ars';
const AUTH_CODES: ErrorCode[] = [
  'Unauthorized',
  'InvalidAPIKey',
  'SignatureDoesNotMatch',
  'RequestTimeTooSkewed',
  'DuplicatedSignature',
  'Forbidden',
];
const BODY_CODES: ErrorCode[] = ['ValidationError', 'InvalidPhoneNumber'];

const INVISIBLE = [
  '\u200b',
  '\u200c',
  '\u200d',
  '\u2060',
  '\ufeff',
  '\u00a0',
  '\u00ad',
  '\u202e',
  '\u3000',
  '\u180e',
];
const FOREIGN_DIGITS = ['０１２３４５６７８９', '٠١٢٣٤٥٦٧٨٩', '०१२३४५६७८९', '𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗'];
const NOT_MOBILE = [
  '0212345678',
  '07012345678',
  '05012345678',
  '0501234567',
  '01512345678',
  '15881234',
  '0101234567',
  '010123456789',
  '1012345678',
  '+8201012345678',
  '+1 202 555 0100',
  '82-10-1234-5678',
];

function set(...codes: ErrorCode[]): ReadonlySet<ErrorCode> {
  return new Set(codes);
}

/** Builds the request bytes; `Content-Length` is the body's unless `headers` already sets framing. */
function http(
  method: string,
  path: string,
  headers: Array<[string, string]>,
  body?: Buffer | string,
): Buffer {
  const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  for (const [name, value] of headers) lines.push(`${name}: ${value}`);
  const framed = headers.some(([name]) => /^(content-length|transfer-encoding)$/i.test(name));
  if (payload !== undefined && !framed) lines.push(`Content-Length: ${payload.length}`);
  // UTF-8 on the wire: non-ASCII and invisible characters arrive as the bytes a careless client sends.
  const head = Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'utf8');
  return payload === undefined ? head : Buffer.concat([head, payload]);
}

/** A phone-number string that the rule must refuse (a valid one is mutated until it is not). */
function invalidNumber(rng: Prng, ctx: CampaignContext): string {
  const base = rng.pick(['01012345678', '010-1234-5678', '+821012345678', ctx.currentNumber, '01099998888']);
  const at = rng.int(0, base.length);
  const candidates = [
    () => base.slice(0, at) + rng.pick(INVISIBLE) + base.slice(at),
    () => [...base].map((c) => (/\d/.test(c) ? [...rng.pick(FOREIGN_DIGITS)][Number(c)]! : c)).join(''),
    () => ` ${base}`,
    () => `${base}\n`,
    () => `tel:${base}`,
    () => `${base} ext. 12`,
    () => base.replace(/\d/, 'O'),
    () => rng.pick(NOT_MOBILE),
    () => '0'.repeat(rng.int(1, 4000)),
    () => rng.string('0123456789', rng.int(0, 30)),
    () => rng.string('0123456789-+ ()', rng.int(1, 20)),
    () => `${base.slice(0, 3)}--${base.slice(3)}`,
    () => base + '\u0000',
    () => '\ud800' + base,
    () => '😀'.repeat(rng.int(1, 50)),
    () => '',
  ];
  for (;;) {
    const value = rng.pick(candidates)();
    if (!checkKoreanMobileNumber(value).valid) return value;
  }
}

function deep(open: string, close: string, depth: number, inner = ''): string {
  return open.repeat(depth) + inner + close.repeat(depth);
}

/** A JSON text (or near-JSON) that the update and ARS bodies must refuse. */
function badJsonBody(rng: Prng, ctx: CampaignContext): string {
  const number = () => JSON.stringify(invalidNumber(rng, ctx));
  const any = () =>
    rng.pick(['null', 'true', 'false', '0', '-1.5e308', '1e400', '"x"', '[]', '{}', number()]);
  const options = [
    () => rng.pick(['null', 'true', 'false', '0', '42', '-0', '1e999', '"01012345678"', '[]', '{}', '""']),
    () => `[${JSON.stringify(ctx.currentNumber)}]`,
    () => `{"phoneNumber":${number()}}`,
    () =>
      `{"phoneNumber":${rng.pick(['null', 'true', '1012345678', '0', '[]', '{}', `[${JSON.stringify(ctx.currentNumber)}]`, '{"$ne":null}'])}}`,
    () => `{"phonenumber":${JSON.stringify(ctx.currentNumber)}}`,
    () => `{"PhoneNumber":${JSON.stringify(ctx.currentNumber)}}`,
    () =>
      `{"phoneNumber":${JSON.stringify(ctx.currentNumber)},"${rng.pick(['extra', 'status', 'memberId', 'email', ''])}":${any()}}`,
    () => `{"__proto__":{"phoneNumber":${JSON.stringify(ctx.currentNumber)}}}`,
    () => `{"phoneNumber":${JSON.stringify(ctx.currentNumber)},"__proto__":{"status":"ACTIVE"}}`,
    () => `{"constructor":{"prototype":{"phoneNumber":${JSON.stringify(ctx.currentNumber)}}}}`,
    () => `{"phoneNumber":${JSON.stringify(ctx.currentNumber)},"constructor":{"prototype":{"x":1}}}`,
    () => `{"a":${deep('{"__proto__":', '}', rng.int(2, 50), '{}')}}`,
    () => `{"phoneNumber":${number()},"phoneNumber":${number()}}`,
    () => deep('[', ']', rng.int(100, 7000)),
    () => deep('{"a":', '}', rng.int(100, 2500), '1'),
    () => `{"phoneNumber":${deep('[', ']', rng.int(100, 7000))}}`,
    () => `{"phoneNumber":${deep('{"a":', '}', rng.int(100, 2500), '1')}}`,
    () => `{"phoneNumber":${JSON.stringify('9'.repeat(rng.int(1000, 15000)))}}`,
    () => `{${Array.from({ length: rng.int(10, 1200) }, (_, i) => `"k${i}":${i}`).join(',')}}`,
    () =>
      `{"phoneNumber":"${rng.pick(['\\u0030\\u0031\\u0030', '\\ud800', '\\u0000', '\\\\', '\\"'])}${ctx.currentNumber}"}`,
    () => `{"phoneNumber":${JSON.stringify(ctx.currentNumber)}`,
    () => `{"phoneNumber":${JSON.stringify(ctx.currentNumber)},}`,
    () => `{'phoneNumber':'${ctx.currentNumber}'}`,
    () => `{phoneNumber:${JSON.stringify(ctx.currentNumber)}}`,
    // RFC 8259 lets a parser ignore a leading byte order mark: what follows decides.
    () => `\ufeff{"phoneNumber":${number()}}`,
    () => `{"phoneNumber":${JSON.stringify(ctx.currentNumber)}} trailing`,
    () =>
      `{"phoneNumber":${JSON.stringify(ctx.currentNumber)}}{"phoneNumber":${JSON.stringify(ctx.currentNumber)}}`,
    () => ` \t\r\n `,
    () => rng.string('{}[]":,0123456789abcdefnulltrue\\ ', rng.int(1, 200)),
  ];
  return rng.pick(options)();
}

function bodyRequest(rng: Prng, ctx: CampaignContext): BadRequest {
  const [method, path] = rng.pick<[string, string]>([
    ['PUT', PUT],
    ['POST', ARS],
  ]);
  const raw = badJsonBody(rng, ctx);
  // Some bodies go out as bytes that are not UTF-8 at all.
  const body = rng.chance(0.05)
    ? Buffer.concat([
        Buffer.from(raw.slice(0, 5)),
        Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
        Buffer.from(raw.slice(5)),
      ])
    : raw;
  return {
    kind: 'json-body',
    label: `${method} ${path} body ${JSON.stringify(raw.slice(0, 60))}${raw.length > 60 ? `… (${raw.length})` : ''}`,
    bytes: http(
      method,
      path,
      [
        ['Authorization', ctx.bearer],
        [
          'Content-Type',
          rng.pick(['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON']),
        ],
        ['Accept-Language', rng.pick(['ko', 'en', 'en-US,en;q=0.9', '*', 'zz', '한국어'])],
      ],
      body,
    ),
    halfClose: false,
    expected: set(...BODY_CODES),
    mayGoUnanswered: false,
  };
}

/** An HMAC header that looks right but is broken in exactly one way. */
function brokenHmac(rng: Prng, ctx: CampaignContext): string {
  const good = signHmacAuthorization(ctx.apiKey);
  const params = Object.fromEntries(
    good
      .replace(/^HMAC-SHA256 /, '')
      .split(', ')
      .map((part) => [part.slice(0, part.indexOf('=')), part.slice(part.indexOf('=') + 1)]),
  ) as Record<'apiKey' | 'date' | 'salt' | 'signature', string>;
  const join = (entries: Array<[string, string]>, separator = ', ') =>
    entries.map(([k, v]) => `${k}=${v}`).join(separator);
  const all: Array<[string, string]> = Object.entries(params);
  const variants = [
    () => {
      const dropped = rng.int(0, 3);
      return `HMAC-SHA256 ${join(all.filter((_, i) => i !== dropped))}`;
    },
    () => `HMAC-SHA256 ${join([...all, rng.pick(all)])}`,
    () => `HMAC-SHA256 ${join([...all, [rng.pick(['apikey', 'Date', 'SALT']), 'other-value-1234567890']])}`,
    () => `HMAC-SHA256 ${join([...all, ['nonce', 'abc']])}`,
    () => `HMAC-SHA256 ${join(all, '; ')}`,
    () => `HMAC-SHA256 ${join(all, ',,')}`,
    () => `HMAC-SHA256 ${join(all.map(([k, v]) => [k, k === 'salt' ? v.slice(0, 11) : v]))}`,
    () => `HMAC-SHA256 ${join(all.map(([k, v]) => [k, k === 'salt' ? v.repeat(6).slice(0, 65) : v]))}`,
    () =>
      `HMAC-SHA256 ${join(all.map(([k, v]) => [k, k === 'date' ? v.replace(/Z$|[+-]\d\d:?\d\d$/, '') : v]))}`,
    () => `HMAC-SHA256 ${join(all.map(([k, v]) => [k, k === 'date' ? '2019-07-30T02:38:40.642Z' : v]))}`,
    () =>
      `HMAC-SHA256 ${join(all.map(([k, v]) => [k, k === 'signature' ? rng.string('0123456789abcdef', 64) : v]))}`,
    () => `HMAC-SHA256 ${join(all.map(([k, v]) => [k, k === 'signature' ? v.slice(0, rng.int(0, 63)) : v]))}`,
    () => `HMAC-SHA256 ${join(all.map(([k, v]) => [k, k === 'signature' ? `${v.slice(0, 60)}zzzz` : v]))}`,
    () => `HMAC-SHA256 ${join(all.map(([k, v]) => [k, k === 'signature' ? v + v : v]))}`,
    () => `HMAC-SHA256 ${join(all.map(([k, v]) => [k, k === 'apiKey' ? `${v}x` : v]))}`,
    () => `HMAC-MD5 ${join(all)}`,
    () => `HMAC-SHA512 ${join(all)}`,
    () => `HMAC-SHA256${join(all)}`,
    () => {
      const [target, mark] = [rng.pick(['apiKey', 'salt']), rng.pick(INVISIBLE)];
      return `HMAC-SHA256 ${join(all.map(([k, v]) => [k, k === target ? `${v}${mark}` : v]))}`;
    },
    () => `HMAC-SHA256 ${join(all.map(([k, v]) => [k, k === 'salt' ? `"${v}"` : v]))}`,
    () => `HMAC-SHA256 ${join(all)}, ${join(all)}`,
    () => `HMAC-SHA256 ${'x'.repeat(rng.int(8200, 12000))}`,
  ];
  return rng.pick(variants)();
}

function authRequest(rng: Prng, ctx: CampaignContext): BadRequest {
  const [method, path] = rng.pick<[string, string]>([
    ['PUT', PUT],
    ['POST', ARS],
    ['GET', '/users/v1/member'],
    ['GET', `${ARS}/${ctx.foreignVerificationId}`],
  ]);
  const authorization = rng.pick([
    () => brokenHmac(rng, ctx),
    () => brokenHmac(rng, ctx),
    () => rng.pick(ctx.refusedBearers),
    () =>
      rng.pick([
        'Bearer',
        'Bearer ',
        'bearer  x',
        'Bearer a.b.c',
        'Bearer ....',
        'Basic dXNlcjpwYXNz',
        'Token abc',
        'Digest x',
        'HMAC',
        '',
      ]),
    () => `Bearer ${rng.string('ABCDEFabcdef0123456789-_.', rng.int(1, 400))}`,
    () => `${ctx.bearer}${rng.pick(INVISIBLE)}`,
    () => `${ctx.bearer}, ${ctx.bearer}`,
    () => `${ctx.bearer.slice(0, rng.int(7, ctx.bearer.length - 2))}`,
    () => `Bearer ${rng.pick(['토큰', 'tökén', '🙂'])}`,
    () => (method === 'GET' ? 'Bearer x' : ctx.readOnlyBearer),
  ])();
  const headers: Array<[string, string]> =
    authorization === undefined ? [] : [['Authorization', authorization]];
  const body =
    method === 'GET'
      ? undefined
      : rng.chance(0.5)
        ? JSON.stringify({ phoneNumber: ctx.currentNumber })
        : badJsonBody(rng, ctx);
  if (body !== undefined) headers.push(['Content-Type', 'application/json']);
  return {
    kind: 'authorization',
    label: `${method} ${path} Authorization ${JSON.stringify(authorization.slice(0, 80))}`,
    bytes: http(method, path, headers, body),
    halfClose: false,
    expected: set(...AUTH_CODES),
    mayGoUnanswered: false,
  };
}

function duplicateHeaderRequest(rng: Prng, ctx: CampaignContext): BadRequest {
  const broken = rng.pick(ctx.refusedBearers);
  const variant = rng.int(0, 2);
  // Whatever Node keeps of two Authorization lines, the body is refused: nothing can change.
  const headers: Array<[string, string]> =
    variant === 0
      ? [
          ['Authorization', ctx.bearer],
          ['Authorization', broken],
        ]
      : variant === 1
        ? [
            ['Authorization', broken],
            ['Authorization', ctx.bearer],
          ]
        : [
            ['Authorization', ctx.bearer],
            ['Content-Type', 'text/plain'],
          ];
  headers.push(['Content-Type', 'application/json']);
  return {
    kind: 'duplicate-headers',
    label: `PUT with duplicated headers (variant ${variant})`,
    bytes: http('PUT', PUT, headers, badJsonBody(rng, ctx)),
    halfClose: false,
    expected: set(...AUTH_CODES, ...BODY_CODES, 'UnsupportedMediaType'),
    mayGoUnanswered: false,
  };
}

function contentTypeRequest(rng: Prng, ctx: CampaignContext): BadRequest {
  const [method, path] = rng.pick<[string, string]>([
    ['PUT', PUT],
    ['POST', ARS],
  ]);
  const body = JSON.stringify({ phoneNumber: invalidNumber(rng, ctx) });
  const variant = rng.pick<Array<[string, string]>>([
    [],
    [['Content-Type', 'text/plain']],
    [['Content-Type', 'application/x-www-form-urlencoded']],
    [['Content-Type', 'multipart/form-data; boundary=x']],
    [['Content-Type', 'application/jsonx']],
    [['Content-Type', 'application/json-patch+json']],
    [['Content-Type', 'text/json']],
    [['Content-Type', 'application/xml']],
    [['Content-Type', '']],
    [['Content-Type', ';;;']],
    [['Content-Type', 'application/json; charset=유티에프']],
    [
      ['Content-Type', 'application/json'],
      ['Content-Encoding', rng.pick(['gzip', 'deflate', 'br', 'x-unknown'])],
    ],
    [['Content-Type', 'application/json; charset=utf-16']],
  ]);
  return {
    kind: 'content-type',
    label: `${method} ${path} ${JSON.stringify(variant)}`,
    bytes: http(method, path, [['Authorization', ctx.bearer], ...variant], body),
    halfClose: false,
    expected: set('UnsupportedMediaType', ...BODY_CODES),
    mayGoUnanswered: false,
  };
}

function oversizedRequest(rng: Prng, ctx: CampaignContext, limit: number): BadRequest {
  const size = rng.int(limit + 1, limit * 4);
  const body = `{"phoneNumber":"${'1'.repeat(size)}"}`;
  const chunked = rng.chance(0.4);
  const headers: Array<[string, string]> = [
    ['Authorization', ctx.bearer],
    ['Content-Type', 'application/json'],
  ];
  let payload: Buffer;
  if (chunked) {
    headers.push(['Transfer-Encoding', 'chunked']);
    const parts: string[] = [];
    for (let at = 0; at < body.length; at += 4096) {
      const piece = body.slice(at, at + 4096);
      parts.push(`${piece.length.toString(16)}\r\n${piece}\r\n`);
    }
    payload = Buffer.from(parts.join('') + '0\r\n\r\n');
  } else {
    payload = Buffer.from(body);
  }
  return {
    kind: 'oversized',
    label: `PUT with a ${body.length}-byte body${chunked ? ' (chunked)' : ''}`,
    bytes: http('PUT', PUT, headers, payload),
    halfClose: false,
    expected: set('PayloadTooLarge'),
    // The server may answer 413 and close before the client finished writing.
    mayGoUnanswered: true,
  };
}

function truncatedRequest(rng: Prng, ctx: CampaignContext): BadRequest {
  const body = JSON.stringify({ phoneNumber: ctx.currentNumber });
  const keep = rng.int(0, body.length - 1);
  const chunked = rng.chance(0.3);
  const headers: Array<[string, string]> = [
    ['Authorization', ctx.bearer],
    ['Content-Type', 'application/json'],
  ];
  let payload: string;
  if (chunked) {
    headers.push(['Transfer-Encoding', 'chunked']);
    payload = `${body.length.toString(16)}\r\n${body.slice(0, keep)}`;
  } else {
    headers.push(['Content-Length', String(body.length + rng.int(0, 50))]);
    payload = body.slice(0, keep);
  }
  return {
    kind: 'truncated',
    label: `PUT cut after ${keep} of ${body.length} bytes${chunked ? ' (chunked)' : ''}`,
    bytes: http('PUT', PUT, headers, payload),
    halfClose: true,
    expected: set('ValidationError'),
    mayGoUnanswered: true,
  };
}

function framingRequest(rng: Prng, ctx: CampaignContext): BadRequest {
  const body = JSON.stringify({ phoneNumber: ctx.currentNumber });
  const auth: [string, string] = ['Authorization', ctx.bearer];
  const json: [string, string] = ['Content-Type', 'application/json'];
  const variants: Array<() => [string, Buffer]> = [
    // Fewer bytes declared than sent: the rest is read as a second request, garbage.
    () => [
      'short Content-Length',
      http('PUT', PUT, [auth, json, ['Content-Length', String(rng.int(1, body.length - 2))]], body),
    ],
    () => [
      'two Content-Lengths',
      http(
        'PUT',
        PUT,
        [auth, json, ['Content-Length', String(body.length)], ['Content-Length', String(body.length + 1)]],
        body,
      ),
    ],
    () => [
      'Content-Length and chunked',
      http(
        'PUT',
        PUT,
        [auth, json, ['Content-Length', String(body.length)], ['Transfer-Encoding', 'chunked']],
        `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
      ),
    ],
    () => [
      'bad chunk size',
      http('PUT', PUT, [auth, json, ['Transfer-Encoding', 'chunked']], `zz\r\n${body}\r\n0\r\n\r\n`),
    ],
    () => ['negative Content-Length', http('PUT', PUT, [auth, json, ['Content-Length', '-1']], body)],
    () => ['NUL in a header', http('PUT', PUT, [auth, json, ['X-Test', 'a\u0000b']], body)],
    () => ['control byte in a header', http('PUT', PUT, [auth, json, ['X-Test', 'a\u0001b']], body)],
    () => ['header name with a space', http('PUT', PUT, [auth, json, ['Bad Header', 'x']], body)],
    () => [
      'header without colon',
      Buffer.concat([
        Buffer.from(`PUT ${PUT} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nno-colon-here\r\n\r\n`),
      ]),
    ],
    () => ['unknown method', http(rng.pick(['FOO', 'PUTT', 'BREW']), PUT, [auth, json], body)],
    () => ['bad HTTP version', Buffer.from(`PUT ${PUT} HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n`)],
    () => [
      'huge header',
      http('PUT', PUT, [auth, json, ['X-Big', 'a'.repeat(rng.int(17_000, 40_000))]], body),
    ],
    () => ['non-ASCII bytes in the path', http('PUT', `${PUT}/번호`, [auth, json], body)],
    () => [
      'Expect: 100-continue then garbage',
      http('PUT', PUT, [auth, json, ['Expect', '100-continue']], '{garbage'),
    ],
  ];
  const [what, bytes] = rng.pick(variants)();
  return {
    kind: 'framing',
    label: what,
    bytes,
    halfClose: false,
    expected: set('ValidationError', 'ResourceNotFound', 'UnsupportedMediaType', 'PayloadTooLarge'),
    mayGoUnanswered: false,
  };
}

function routeRequest(rng: Prng, ctx: CampaignContext): BadRequest {
  const id = rng.pick([
    () => rng.string('abcdef0123456789-', rng.int(1, 60)),
    () => '%00',
    () => '%E0%A4%A',
    () => encodeURIComponent(rng.pick(['번호', '../../etc/passwd', "' or 1=1 --", '\u200b'])),
    () => 'x'.repeat(rng.int(150, 400)),
    () => '..%2F..%2F',
  ])();
  const variants: Array<() => [string, string, Array<[string, string]>, string | undefined, ErrorCode[]]> = [
    () => ['GET', `${ARS}/${id}`, [['Authorization', ctx.bearer]], undefined, ['ResourceNotFound']],
    () => [
      'POST',
      `/dev/ars/${id}/keypad`,
      [['Content-Type', 'application/json']],
      JSON.stringify({ digits: rng.string('0123456789', rng.int(1, 10)) }),
      ['ResourceNotFound', 'ValidationError'],
    ],
    () => [
      'POST',
      `/dev/ars/${id}/keypad`,
      [['Content-Type', 'application/json']],
      badJsonBody(rng, ctx),
      ['ResourceNotFound', 'ValidationError'],
    ],
    () => [
      'POST',
      `/dev/ars/${ctx.foreignVerificationId}/keypad`,
      [['Content-Type', 'application/json']],
      rng.pick([
        '{"digits":1234}',
        '{"digits":"12a4"}',
        '{"digits":"１２３４５６"}',
        '{}',
        '[]',
        '{"digits":"123456","x":1}',
        `{"digits":"${'1'.repeat(500)}"}`,
      ]),
      ['ValidationError'],
    ],
    () => [
      'POST',
      '/telephony/v1/events',
      [['Content-Type', 'application/json']],
      badJsonBody(rng, ctx),
      ['ResourceNotFound'],
    ],
    () => [
      rng.pick(['DELETE', 'PATCH', 'POST']),
      PUT,
      [
        ['Authorization', ctx.bearer],
        ['Content-Type', 'application/json'],
      ],
      badJsonBody(rng, ctx),
      ['ResourceNotFound'],
    ],
    () => [
      'PUT',
      `${PUT}/`,
      [
        ['Authorization', ctx.bearer],
        ['Content-Type', 'application/json'],
      ],
      badJsonBody(rng, ctx),
      ['ResourceNotFound'],
    ],
    () => ['GET', `/users/v1/${id}`, [['Authorization', ctx.bearer]], undefined, ['ResourceNotFound']],
    () => ['GET', `/docs/${id}`, [], undefined, ['ResourceNotFound']],
  ];
  const [method, path, headers, body, codes] = rng.pick(variants)();
  return {
    kind: 'route',
    label: `${method} ${path.slice(0, 100)}`,
    bytes: http(method, path, headers, body),
    halfClose: false,
    expected: set(...codes, 'ValidationError'),
    mayGoUnanswered: false,
  };
}

/**
 * The campaign's generator: `count` malformed requests drawn from the seeded generator, a mix of
 * every family. None of them is a request the service should accept.
 */
export function generateBadRequests(
  rng: Prng,
  ctx: CampaignContext,
  count: number,
  bodyLimit: number,
): BadRequest[] {
  const families: Array<[number, () => BadRequest]> = [
    [30, () => bodyRequest(rng, ctx)],
    [22, () => authRequest(rng, ctx)],
    [5, () => duplicateHeaderRequest(rng, ctx)],
    [10, () => contentTypeRequest(rng, ctx)],
    [5, () => oversizedRequest(rng, ctx, bodyLimit)],
    [8, () => truncatedRequest(rng, ctx)],
    [8, () => framingRequest(rng, ctx)],
    [12, () => routeRequest(rng, ctx)],
  ];
  const total = families.reduce((sum, [weight]) => sum + weight, 0);
  const requests: BadRequest[] = [];
  for (let i = 0; i < count; i++) {
    let roll = rng.next() * total;
    const family = families.find(([weight]) => (roll -= weight) < 0) ?? families[0]!;
    requests.push(family[1]());
  }
  return requests;
}
