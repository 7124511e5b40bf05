/**
 * The last step of `npm run build`: replaces dist/constructs/zod.js — tsc's re-export of the installed
 * zod — with zod itself, bundled by esbuild down to what constructs/zod.ts exports (why: see there), zod's
 * licence in front. The package then loads one file instead of zod's 95 modules, and needs no zod installed.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = resolve(__dirname, '..');
const zod = join(ROOT, 'node_modules', 'zod');
const { version } = JSON.parse(readFileSync(join(zod, 'package.json'), 'utf8')) as { version: string };
const licence = readFileSync(join(zod, 'LICENSE'), 'utf8').trim();

buildSync({
  entryPoints: [join(ROOT, 'constructs', 'zod.ts')],
  outfile: join(ROOT, 'dist', 'constructs', 'zod.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  banner: { js: `/*! zod ${version} (https://github.com/colinhacks/zod), bundled into okta-dynatrace-scim (constructs/zod.ts).\n\n${licence}\n*/` },
  logLevel: 'warning',
});
