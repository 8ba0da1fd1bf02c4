import { connect } from 'node:net';

/** One HTTP answer found in what the server wrote back. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Everything the server wrote on one connection, split into answers. */
export interface RawOutcome {
  responses: RawResponse[];
  /** True when the connection had to be cut because no answer came in time. */
  timedOut: boolean;
}

/** Splits the bytes a server wrote into its answers (an answer whose length is unknown ends the stream). */
export function parseResponses(stream: Buffer): RawResponse[] {
  const responses: RawResponse[] = [];
  let offset = 0;
  while (offset < stream.length) {
    const headEnd = stream.indexOf('\r\n\r\n', offset);
    if (headEnd < 0) break;
    const [statusLine = '', ...lines] = stream.subarray(offset, headEnd).toString('latin1').split('\r\n');
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
    if (!status) break;
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
    const bodyStart = headEnd + 4;
    const bodyEnd = length === undefined ? stream.length : Math.min(stream.length, bodyStart + length);
    // An interim answer (100 Continue) has no body and is not the server's verdict.
    if (Number(status[1]) < 200) {
      offset = bodyStart;
      continue;
    }
    responses.push({
      status: Number(status[1]),
      headers,
      body: stream.subarray(bodyStart, bodyEnd).toString('utf8'),
    });
    offset = bodyEnd;
  }
  return responses;
}

/**
 * Writes `bytes` to the server as they are, optionally half-closing the connection right after
 * (a client that vanished mid-body), and reads until the server closes it or `timeoutMs` passes.
 */
export function rawExchange(
  port: number,
  bytes: Buffer,
  options: { halfClose?: boolean; timeoutMs?: number } = {},
): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let timedOut = false;
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => {
      socket.write(bytes, () => {
        if (options.halfClose) socket.end();
      });
    });
    const timer = setTimeout(() => {
      timedOut = true;
      socket.destroy();
    }, options.timeoutMs ?? 15_000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A reset after the answer is the server refusing the rest of a bad stream: keep what came.
    socket.on('error', () => undefined);
    socket.on('end', () => socket.end());
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ responses: parseResponses(Buffer.concat(chunks)), timedOut });
    });
  });
}
