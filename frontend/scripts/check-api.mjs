// Fails when src/api/schema.ts is not what openapi-typescript makes of ../openapi.yaml.
import { readFileSync } from 'node:fs';
import openapiTS, { astToString } from 'openapi-typescript';

const spec = new URL('../../openapi.yaml', import.meta.url);
const generated = astToString(await openapiTS(spec, { enumValues: true }));
const committedText = readFileSync(new URL('../src/api/schema.ts', import.meta.url), 'utf8');
const strip = (s) => s.replace(/^\/\*\*[\s\S]*?\*\/\s*/, '').trim();
if (strip(committedText) !== strip(generated)) {
  console.error('src/api/schema.ts is stale: run `npm run gen:api` and commit it.');
  process.exit(1);
}
console.log('generated API client is up to date');
