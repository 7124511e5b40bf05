// Entry of each Pulumi rendering worker when running from the TypeScript sources (a clone, the tests; the
// compiled package starts pulumi-report-worker.js itself: see WORKER_ENTRY in pulumi-report.ts).
// @pulumi/pulumi loads first, through Node's own loader: through tsx's hooks it takes twice as long
// (0.7 → 1.5 s of CPU per worker). Then tsx's CommonJS loader compiles our TypeScript, as the CLI's does.
'use strict';
require('@pulumi/pulumi');
require('tsx/cjs');
require('./pulumi-report-worker.ts');
