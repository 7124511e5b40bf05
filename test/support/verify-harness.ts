/**
 * `runVerify` against the loopback stand-ins (Okta, Dynatrace SCIM, Dynatrace IAM), for the verify test
 * files: starts them around a describe block, writes the tenants file, runs verify with a clock that never
 * sleeps, and keeps every output so a test can grep them for secrets.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Finding } from '../../operations/verify/findings';
import type { VerifyReport } from '../../operations/verify/report';
import { runVerify, type VerifyOptions } from '../../cli/commands/verify';
import { type DynatraceIamStub, type DynatraceIamStubOptions, startDynatraceIamStub } from './dynatrace-iam-stub';
import { type OktaStub, type OktaStubOptions, startOktaStub } from './okta-stub';
import { type ScimServer, startScimServer } from './scim-server';
import { TEST_TOKEN } from './specs';

export class Capture extends Writable {
  text = '';
  isTTY?: boolean;
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** A finding without its hint: what tests compare field by field. */
export type F = Omit<Finding, 'hint'>;

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  report: VerifyReport;
  findings: F[];
}

/** The fixed "now" of the injected clock. */
export const NOW = 1_700_000_000_000;

export interface VerifyHarness {
  okta: OktaStub;
  scim: ScimServer;
  /** Present when the harness was given Dynatrace IAM options. */
  iam: DynatraceIamStub;
  dir: string;
  tenantsFile: string;
  /** Waits the clock was asked for, in order. */
  sleeps: number[];
  /** stdout and stderr of every run, for the secret checks. */
  outputs: string[];
  /** One verify run (JSON unless `json: false`); `envPatch` values `undefined` remove a variable. */
  run(tenant: string | readonly string[] | undefined, overrides?: Partial<VerifyOptions>, envPatch?: NodeJS.ProcessEnv): Promise<Run>;
}

export interface HarnessOptions {
  readonly tenants: string;
  readonly env: () => NodeJS.ProcessEnv;
  readonly okta: OktaStubOptions;
  readonly iam?: DynatraceIamStubOptions;
}

/** Call inside a describe block (or at the top of a file): hooks start and stop the stand-ins. */
export function useVerifyHarness(options: HarnessOptions): VerifyHarness {
  const harness = { sleeps: [] as number[], outputs: [] as string[] } as unknown as VerifyHarness;
  beforeAll(async () => {
    harness.okta = await startOktaStub(options.okta);
    harness.scim = await startScimServer(TEST_TOKEN);
    if (options.iam) harness.iam = await startDynatraceIamStub(options.iam);
    harness.dir = mkdtempSync(join(tmpdir(), 'verify-'));
    harness.tenantsFile = join(harness.dir, 'tenants.yaml');
    writeFileSync(harness.tenantsFile, options.tenants);
  });
  afterAll(async () => {
    await harness.okta.close();
    await harness.scim.close();
    await harness.iam?.close();
    rmSync(harness.dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    harness.okta.rateLimits.clear();
    delete harness.okta.rewriteListItem;
    harness.okta.resetAt = () => NOW / 1000 + 2;
    harness.okta.requests.length = 0;
    harness.scim.requests.length = 0;
    harness.scim.token = TEST_TOKEN;
    if (harness.iam) harness.iam.requests.length = 0;
    harness.sleeps.length = 0;
  });
  harness.run = async (tenant, overrides = {}, envPatch = {}) => {
    const stdout = new Capture();
    const stderr = new Capture();
    const env = { ...options.env(), ...envPatch };
    for (const [k, v] of Object.entries(envPatch)) if (v === undefined) delete env[k];
    const code = await runVerify({
      tenantsFile: harness.tenantsFile,
      ...(tenant ? { tenant } : {}),
      json: true,
      oktaBaseUrl: harness.okta.url,
      scimBaseUrl: harness.scim.baseUrl,
      ...(harness.iam ? { dynatraceApiUrl: harness.iam.url, dynatraceTokenUrl: harness.iam.tokenUrl } : {}),
      env,
      stdout,
      stderr,
      timeoutMs: 2000,
      retry: { clock: { now: () => NOW, sleep: async (ms) => void harness.sleeps.push(ms) } },
      ...overrides,
    });
    harness.outputs.push(stdout.text, stderr.text);
    const report = (overrides.json === false ? {} : JSON.parse(stdout.text)) as VerifyReport;
    const findings = (report.tenants ?? []).flatMap((t) => t.findings.map(({ hint: _hint, ...rest }) => rest));
    return { code, stdout: stdout.text, stderr: stderr.text, report, findings };
  };
  return harness;
}

/** The hint of the finding at `area.field`. */
export function hintOf(run: Run, key: string): string | undefined {
  return run.report.tenants.flatMap((t) => t.findings).find((x) => `${x.area}.${x.field}` === key)?.hint;
}
