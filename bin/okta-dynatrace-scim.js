#!/usr/bin/env node
// The `okta-dynatrace-scim` command. Installed from the package, it runs the compiled CLI (dist/).
// In a clone of the repository, where the TypeScript sources sit beside this file, it runs them through
// tsx (a devDependency) instead: no build step, and never a stale build.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const source = join(__dirname, '..', 'cli', 'main.ts');
if (existsSync(source)) {
  require('tsx/cjs');
  require(source).main();
} else {
  require('../dist/cli/main.js').main();
}
