import type { FastifyInstance, FastifyRequest } from 'fastify';
import sjson from 'secure-json-parse';

/**
 * Bodies that could not be read as JSON are not refused while parsing: they are replaced by one of
 * these markers and refused by the body pipe, which runs after the auth guard. That keeps the order
 * of DESIGN section 2 (authentication first, body fourth) for every kind of bad body.
 */
export const INVALID_JSON = Symbol('INVALID_JSON');
export const UNSUPPORTED_MEDIA_TYPE = Symbol('UNSUPPORTED_MEDIA_TYPE');

declare module 'fastify' {
  interface FastifyRequest {
    /** The request body exactly as received, for JSON requests (signed webhooks need it). */
    rawBody?: string;
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return INVALID_JSON;
  try {
    // Prototype keys are refused, not stripped: a body carrying them is not a valid request.
    return sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }) as unknown;
  } catch {
    return INVALID_JSON;
  }
}

/** Replaces Fastify's parsers: JSON (any charset parameter) is parsed; anything else is marked. */
export function registerBodyParsers(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    /^application\/json\s*(;.*)?$/i,
    { parseAs: 'string' },
    (request: FastifyRequest, body: string | Buffer, done) => {
      // A compressed body is not JSON as far as this parser can tell: refuse, never guess.
      const encoding = request.headers['content-encoding'];
      if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
        done(null, UNSUPPORTED_MEDIA_TYPE);
        return;
      }
      const text = typeof body === 'string' ? body : body.toString('utf8');
      request.rawBody = text;
      done(null, parseJson(text));
    },
  );
  fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, _body, done) => {
    done(null, UNSUPPORTED_MEDIA_TYPE);
  });
}
