// Writes .br (quality 11) and .gz (level 9) beside each built client file, once per build, so the
// server sends the smallest bytes without compressing on every request (a phone on a weak
// network gets ~170 KB of WASM instead of ~215 KB from on-the-fly brotli).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const dir = process.argv[2] ?? 'target/site/pkg';
for (const name of readdirSync(dir)) {
  if (!/\.(js|wasm|css)$/.test(name)) continue;
  const raw = readFileSync(join(dir, name));
  writeFileSync(join(dir, name + '.br'), brotliCompressSync(raw, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
  }));
  writeFileSync(join(dir, name + '.gz'), gzipSync(raw, { level: 9 }));
}
