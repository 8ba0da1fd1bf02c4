// How apps/api/openapi.json is formatted: Prettier's JSON with the repository's settings, so the
// committed file, `prettier --check .` and the drift spec all agree on every byte.
// As a command it formats the JSON document read from stdin: `node tools/openapi/format-openapi.mjs < doc.json`
// (the drift spec uses that: Prettier cannot load inside jest's module system).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import prettier from 'prettier';

export const OPENAPI_FILE = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'apps/api/openapi.json',
);

/** The committed text of an OpenAPI document. */
export async function formatOpenApiJson(document) {
  const options = (await prettier.resolveConfig(OPENAPI_FILE)) ?? {};
  return prettier.format(JSON.stringify(document, null, 2), { ...options, filepath: OPENAPI_FILE });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let input = '';
  for await (const chunk of process.stdin.setEncoding('utf8')) input += chunk;
  process.stdout.write(await formatOpenApiJson(JSON.parse(input)));
}
