// Preloaded by the bench (`node --require bench/trace-loads.cjs …`): records every file the process
// loads through require into $BENCH_TRACE_LOADS at exit, so the bench can tell which engines a
// command such as `--help` pulls in.
'use strict';
const Module = require('node:module');
const fs = require('node:fs');
const loaded = new Set();
const original = Module.prototype.load;
Module.prototype.load = function load(filename) {
  loaded.add(filename);
  return original.call(this, filename);
};
process.on('exit', () => {
  if (process.env.BENCH_TRACE_LOADS) fs.writeFileSync(process.env.BENCH_TRACE_LOADS, [...loaded].join('\n'));
});
