import { connect } from 'node:net';

/** An HTTP answer read off the socket, before any client library could tidy it up. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/**
 * Writes `bytes` to the server as they are (requests no HTTP client would send) and reads the
 * answer until the server closes the connection; send `Connection: close` with well-formed ones.
 */
export function rawExchange(baseUrl: string, bytes: string): Promise<RawAnswer> {
  const port = Number(new URL(baseUrl).port);
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const split = answer.indexOf('\r\n\r\n');
      const [statusLine = '', ...lines] = answer.slice(0, split).split('\r\n');
      const headers = Object.fromEntries(
        lines.map((line) => {
          const colon = line.indexOf(':');
          return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
        }),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, text: answer.slice(split + 4) });
    });
  });
}
