#!/usr/bin/env node
// Runs the TypeScript CLI from a clone without a build step: tsx's CommonJS loader compiles
// stacks/cli.ts on the fly (esbuild, cached). `npx okta-dynatrace-scim …` in the repository lands here.
'use strict';
require('tsx/cjs');
const { run } = require('../stacks/cli.ts');
run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
