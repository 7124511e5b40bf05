/**
 * Stand-ins for the `terraform` and `pulumi` CLIs, put first on PATH for the batch tests. Each records
 * its arguments and its whole environment (values included: tests use sentinel tokens only), and
 * answers per tenant as scripted: exit codes per command, a plan text, the JSON plan of a fixture. Like
 * the real CLIs, the plan JSON and the saved `tfplan` carry the secret in plain text, and a failing
 * plan can print it in a diagnostic — so the tests can prove none of it reaches results or logs.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FakeTenantScript {
  /** Exit code per command word (`init`, `plan`, `show`, `apply`, `login`, `select`, `preview`, `destroy`, `up`, `output`). @default 0 */
  readonly exit?: Record<string, number>;
  /** JSON printed by `terraform show -json` / `pulumi preview --json` (a fixture's text). */
  readonly planJson?: string;
  /** Printed by a text plan, e.g. a diagnostic quoting the token. */
  readonly planText?: string;
  readonly adminUrl?: string;
}

export interface FakeCall {
  readonly engine: 'terraform' | 'pulumi';
  readonly tenant: string;
  readonly args: readonly string[];
  readonly env: Record<string, string | undefined>;
}

// Config and log paths are written into the script: the engines inherit only a scrubbed environment.
const SCRIPT = (engine: 'terraform' | 'pulumi', configFile: string, logFile: string) => `#!/usr/bin/env node
'use strict';
const fs = require('fs');
const path = require('path');
const args = process.argv.slice(2);
const config = JSON.parse(fs.readFileSync(${JSON.stringify(configFile)}, 'utf8'));
const engine = ${JSON.stringify(engine)};
let tenant;
let rest = args;
if (engine === 'terraform') {
  const chdir = args[0].slice('-chdir='.length);
  tenant = path.basename(chdir);
  rest = args.slice(1);
} else {
  const i = args.indexOf('--stack');
  tenant = i >= 0 ? args[i + 1].split('/').pop() : (args[0] === 'stack' && args[1] === 'select' ? args[2].split('/').pop() : config.lastTenant || '');
}
const env = { ...process.env };
fs.appendFileSync(${JSON.stringify(logFile)}, JSON.stringify({ engine, tenant, args, env }) + '\\n');
const script = (config.tenants && config.tenants[tenant]) || {};
const word = engine === 'terraform' ? rest[0] : (args[0] === 'stack' ? args[1] : args[0]);
const code = (script.exit && script.exit[word]) || 0;
const json = rest.includes('-json') || args.includes('--json');
if (engine === 'terraform' && word === 'plan' && rest.includes('-out=tfplan')) {
  fs.writeFileSync(path.join(args[0].slice('-chdir='.length), 'tfplan'), 'binary plan holding ' + (process.env.TF_VAR_dynatrace_scim_token || ''));
}
if ((word === 'plan' || word === 'preview' || word === 'destroy' || word === 'up' || word === 'apply') && !json) {
  process.stdout.write((script.planText || (word + ' output for ' + tenant)) + '\\n');
}
const noChanges = engine === 'terraform' ? '{"format_version":"1.2","planned_values":{},"resource_changes":[]}' : '{"steps":[],"changeSummary":{"same":1}}';
if ((word === 'show' || word === 'preview' || word === 'destroy') && json) process.stdout.write(script.planJson || noChanges);
if (word === 'output') process.stdout.write(script.adminUrl || '');
if (code !== 0) process.stderr.write('Error: scripted failure of ' + word + ' for ' + tenant + '\\n');
process.exit(code);
`;

export interface FakeEngines {
  /** Prepend to PATH. */
  readonly binDir: string;
  script(tenants: Record<string, FakeTenantScript>): void;
  calls(): FakeCall[];
}

export function fakeEngines(dir: string): FakeEngines {
  const binDir = join(dir, 'fake-bin');
  mkdirSync(binDir, { recursive: true });
  const config = join(dir, 'fake-config.json');
  const log = join(dir, 'fake-log.jsonl');
  writeFileSync(config, '{}');
  writeFileSync(log, '');
  for (const engine of ['terraform', 'pulumi'] as const) {
    writeFileSync(join(binDir, engine), SCRIPT(engine, config, log));
    chmodSync(join(binDir, engine), 0o755);
  }
  return {
    binDir,
    script: (tenants) => writeFileSync(config, JSON.stringify({ tenants })),
    calls: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as FakeCall),
  };
}
