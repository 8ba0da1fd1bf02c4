import { request } from 'node:http';

export interface HttpAnswer {
  status: number;
  headers: Headers;
  /** The body parsed as JSON, or the raw text when it is not JSON. */
  body: unknown;
  text: string;
}

/** One request with the platform's fetch, its answer read whole. */
export async function call(url: string, init: RequestInit = {}): Promise<HttpAnswer> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body, text };
}

export interface HeldRequest {
  /** Sends the rest of the body: the server can only answer after this. */
  finish(): void;
  /** The answer, or the error when the connection failed. */
  answer: Promise<{ status: number; body: unknown }>;
}

/**
 * Starts a request on its own connection and sends only the headers and half of the body, so the
 * server holds it in flight until {@link HeldRequest.finish}. There is no naturally slow route: this
 * is how a client on a slow link looks to the server.
 */
export function holdRequest(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: string,
): HeldRequest {
  const bytes = Buffer.from(body, 'utf8');
  const half = Math.floor(bytes.length / 2);
  const target = new URL(url);
  const outgoing = request({
    host: target.hostname,
    port: target.port,
    path: target.pathname + target.search,
    method,
    agent: false,
    headers: { ...headers, 'content-length': String(bytes.length) },
  });
  const answer = new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    outgoing.on('error', reject);
    outgoing.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('error', reject);
      response.on('end', () => {
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        resolve({ status: response.statusCode ?? 0, body: parsed });
      });
    });
  });
  outgoing.flushHeaders();
  outgoing.write(bytes.subarray(0, half));
  return { finish: () => outgoing.end(bytes.subarray(half)), answer };
}
