// Fastify 5 with nothing but its own JSON parser and an echo route: what the framework under Nest costs.
import { URL } from 'node:url';

import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.put('/echo', async (request) => request.body);
app.get('/health', async () => ({ status: 'ok' }));
const address = await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
process.stdout.write(`listening ${new URL(address).port}\n`);
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
