// Builds the web dashboard into dist/web: one minified bundle (src/main.ts and chart.js, nothing
// fetched at runtime), index.html and styles.css. Run by `npm run build` (so `npm start` and CI).
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', '..', 'dist', 'web');

await mkdir(out, { recursive: true });
const result = await build({
  entryPoints: [join(here, 'src', 'main.ts')],
  outfile: join(out, 'app.js'),
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'iife',
  target: ['es2022'],
  platform: 'browser',
  legalComments: 'linked',
  logLevel: 'warning',
  metafile: true,
});
await Promise.all(['index.html', 'styles.css'].map((file) => copyFile(join(here, file), join(out, file))));
const bytes =
  result.metafile.outputs[Object.keys(result.metafile.outputs).find((f) => f.endsWith('app.js')) ?? '']?.bytes ?? 0;
console.log(`web dashboard: dist/web/app.js, ${Math.round(bytes / 1024)} KiB`);
