import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs. Credentials never reach a log line: the Authorization header, cookies and
 * any field named like a secret are censored wherever they appear. Phone numbers are masked by the
 * code that logs them (maskPhoneNumber), so no full number is ever handed to the logger.
 *
 * Without a destination, lines go to stdout through an asynchronous writer: a synchronous write per
 * request blocked the event loop for every access line (docs/performance.md). pino flushes what is
 * still buffered when the process exits.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'member-phone' },
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: 'msg',
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["x-telephony-signature"]',
          'headers.authorization',
          '*.apiSecret',
          '*.secret',
          // An ARS code is never handed to the logger; these catch a mistake (not `err.code`).
          '*.arsCode',
          '*.digits',
          '*.token',
          '*.password',
        ],
        censor: '[redacted]',
      },
      serializers: {
        err: pino.stdSerializers.err,
      },
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
