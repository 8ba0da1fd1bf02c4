import type { AuthContext } from '../auth/auth-context';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth guard on every authenticated route. */
    auth?: AuthContext;
  }
}
