// After `vite build`: writes a brotli (quality 11) and a gzip (level 9) copy beside each built
// asset, which the server sends as they are to browsers that accept them — the smallest files
// for the first load, compressed once at build time instead of on every request.
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = new URL('../dist/assets/', import.meta.url).pathname;
const worth = /\.(js|css|svg|json|txt|map)$/;
let before = 0;
let after = 0;
for (const name of readdirSync(dir)) {
  if (!worth.test(name)) continue;
  const file = join(dir, name);
  const raw = readFileSync(file);
  if (statSync(file).size < 1024) continue;
  const br = brotliCompressSync(raw, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
  });
  writeFileSync(`${file}.br`, br);
  writeFileSync(`${file}.gz`, gzipSync(raw, { level: 9 }));
  before += raw.length;
  after += br.length;
}
console.log(`compressed assets: ${(before / 1024).toFixed(0)} kB → ${(after / 1024).toFixed(0)} kB (brotli)`);
