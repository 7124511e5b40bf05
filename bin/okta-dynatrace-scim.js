#!/usr/bin/env node
// Runs the TypeScript CLI from a clone without a build step: tsx's CommonJS loader compiles
// cli/main.ts on the fly (esbuild, cached). `npx okta-dynatrace-scim …` in the repository lands here.
'use strict';
require('tsx/cjs');
require('../cli/main.ts').main();
