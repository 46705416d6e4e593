// Builds the site into dist/: index.html, assets/app.js, assets/app.css (xterm.css bundled in).
// Deterministic: the same sources and lockfile give byte-identical files (no timestamps, no source
// maps, no absolute paths). index.html refers to the assets with ?v=<hash of their content>, so a
// browser never keeps an old app.js after an upgrade, and the hash only changes with the content.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { catalog } from './src/i18n.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, 'dist');

// Every UI string must exist in both languages.
const langs = Object.keys(catalog);
const missing = [];
for (const a of langs) {
  for (const b of langs) {
    for (const k of Object.keys(catalog[a])) if (!(k in catalog[b])) missing.push(`${b}: ${k}`);
  }
}
if (missing.length) {
  console.error(`src/i18n.js: keys missing:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}

await rm(dist, { recursive: true, force: true });
await mkdir(path.join(dist, 'assets'), { recursive: true });

await esbuild.build({
  absWorkingDir: here,
  entryPoints: { app: 'src/app.js' },
  outdir: 'dist/assets',
  bundle: true,
  format: 'esm',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  minify: true,
  sourcemap: false,
  legalComments: 'eof',
  charset: 'ascii',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
});

const hash = async (f) => createHash('sha256').update(await readFile(path.join(dist, f))).digest('hex').slice(0, 12);
const jsHash = await hash('assets/app.js');
const cssHash = await hash('assets/app.css');
const html = (await readFile(path.join(here, 'src/index.html'), 'utf8'))
  .replace('/assets/app.js', `/assets/app.js?v=${jsHash}`)
  .replace('/assets/app.css', `/assets/app.css?v=${cssHash}`);
await writeFile(path.join(dist, 'index.html'), html);

console.log(`dist/ built: app.js ${jsHash}, app.css ${cssHash}`);
