/**
 * Messages that lead to the fix: each mistake people make is named as what it is, with the change that
 * repairs it, and nothing derived from it is reported on top.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { run } from '../cli/main';
import { consoleStep } from '../constructs/model/console-step';
import { SpecError, type SpecIssue } from '../constructs/model/errors';
import { resolveIntegration } from '../constructs/model/resolve';
import type { ScimIntegrationSpec } from '../constructs/model/spec';
import { capture } from './support/cli-io';
import { headerSpec, SCIM_URL, TEST_TOKEN } from './support/specs';

function issuesOf(spec: ScimIntegrationSpec): readonly SpecIssue[] {
  try {
    resolveIntegration(spec, 'acme');
  } catch (error) {
    if (error instanceof SpecError) return error.issues;
    throw error;
  }
  throw new Error('the spec was accepted');
}

describe('a secret name with an auth scheme in front: drop the prefix', () => {
  it.each([
    ['env', { env: 'Bearer ACME_DT_SCIM_TOKEN' }, 'scimToken.env', 'Bearer', 'ACME_DT_SCIM_TOKEN'],
    ['env, lower case and two spaces', { env: 'bearer  ACME_DT_SCIM_TOKEN' }, 'scimToken.env', 'bearer', 'ACME_DT_SCIM_TOKEN'],
    ['pulumiConfig', { pulumiConfig: 'SSWS dynatraceScimToken' }, 'scimToken.pulumiConfig', 'SSWS', 'dynatraceScimToken'],
  ])('%s', (_name, scimToken, path, scheme, name) => {
    expect(issuesOf(headerSpec({ scimToken }))).toEqual([
      { path, message: `starts with "${scheme} ", the scheme a token is sent with, which is no part of a name`, fix: `drop the prefix and give the name alone: ${name}` },
    ]);
  });

  it('an Okta credential name too', async () => {
    const c = capture();
    const dir = mkdtempSync(join(tmpdir(), 'messages-'));
    const file = join(dir, 'tenants.yaml');
    try {
      writeFileSync(file, stringify({ tenants: [{ name: 'acme', okta: { orgName: 'acme', credentials: { type: 'apiToken', token: { env: 'SSWS ACME_OKTA_API_TOKEN' } } }, integration: headerSpec() }] }));
      expect(await run(['validate', '--tenants', file], c.io)).toBe(64);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(c.err()).toBe(
      `Invalid configuration (1 problem):\n  - ${file}: tenants[0].okta.credentials.token.env: starts with "SSWS ", the scheme a token is sent with, which is no part of a name (tenant "acme"). Fix: drop the prefix and give the name alone: ACME_OKTA_API_TOKEN.\n`,
    );
  });

  it('a token behind the scheme is still a token: refused as one, never echoed', () => {
    const issues = issuesOf(headerSpec({ scimToken: { env: `Bearer ${TEST_TOKEN}` } }));
    expect(issues).toEqual([{ path: 'scimToken.env', message: 'this looks like a token, not a name', fix: 'give the name of the variable that holds it, e.g. ACME_DT_SCIM_TOKEN (and rotate the token: it may have been shared)' }]);
  });
});

describe('two groups with one key: the names that clash, and key: as the fix', () => {
  const keep = 'and keep the key of a group already applied (it names the group\'s Terraform addresses and Pulumi resources)';
  it.each<[string, ScimIntegrationSpec['groups'], SpecIssue]>([
    [
      'both keys derived from the names',
      [{ name: 'Ops EU' }, { name: 'Ops/EU' }],
      { path: 'groups[1]', message: 'the name "Ops/EU" gives the key "ops-eu", as the name "Ops EU" of groups[0] does', fix: `give one of them a \`key\` of its own, e.g. key: ops-eu-2, ${keep}` },
    ],
    [
      'a derived key that another group has as its key',
      [{ name: 'Ops EU', key: 'ops-eu' }, { name: 'Ops/EU' }],
      { path: 'groups[1]', message: 'the name "Ops/EU" gives the key "ops-eu", which groups[0] has as its `key`', fix: `give this group a \`key\` of its own, e.g. key: ops-eu-2, ${keep}` },
    ],
    [
      'a key that another group derives from its name',
      [{ name: 'Ops/EU' }, { name: 'Ops Europe', key: 'ops-eu' }],
      { path: 'groups[1]', message: 'the key "ops-eu" is also derived from the name "Ops/EU" of groups[0]', fix: `give this group a \`key\` of its own, e.g. key: ops-eu-2, ${keep}` },
    ],
    ['the same key written twice', [{ name: 'A', key: 'x' }, { name: 'B', key: 'x' }], { path: 'groups[1].key', message: 'duplicate key "x" (also groups[0])', fix: 'give each group its own `key`' }],
    [
      'two groups pushed as one Dynatrace group',
      [{ name: 'A', push: true, pushAs: 'DT' }, { name: 'B', push: true, pushAs: 'DT' }],
      { path: 'groups[1]', message: 'duplicate Dynatrace group name "dt" (also groups[0])', fix: 'give each pushed group its own Dynatrace name (`pushAs`)' },
    ],
    ['the same group twice (its key clash is not reported on top)', [{ name: 'Ops' }, { name: 'ops' }], { path: 'groups[1]', message: 'duplicate group name "ops" (also groups[0])', fix: 'list each group once' }],
  ])('%s', (_name, groups, issue) => {
    expect(issuesOf(headerSpec({ groups }))).toEqual([issue]);
  });
});

describe('a missing or foreign SCIM URL is one problem, with where to copy it from', () => {
  const copy = "copy the SCIM Base URL from Dynatrace Account Management → Identity & access management → SCIM configuration (https://api.sso.dynatrace.com/idm/public/scim/<account-uuid>/v2, with your account's uuid)";
  // Policies need the account, which comes from the URL: none of these adds "accountUuid cannot be derived".
  const bound: Partial<ScimIntegrationSpec> = {
    provisioning: { enabled: true },
    groups: [{ name: 'Viewers', push: true, policies: [{ name: 'Standard User', environment: 'abc12345' }] }],
    dynatrace: { oauthClient: { clientId: { env: 'DT_ID' }, clientSecret: { env: 'DT_SECRET' } } },
  };
  it.each<[string, string | undefined, SpecIssue]>([
    ['missing', undefined, { path: 'scimBaseUrl', message: 'is required', fix: copy }],
    ['another host', 'https://scim.example.com/v2', { path: 'scimBaseUrl', message: 'is not a Dynatrace SCIM endpoint (expected https://api.sso.dynatrace.com/idm/public/scim/<account-uuid>/v2)', fix: `${copy}; for a proxy or a test server set \`customScimEndpoint: true\`` }],
    ['another path', 'https://api.sso.dynatrace.com/scim/v2', { path: 'scimBaseUrl', message: 'is not a Dynatrace SCIM endpoint (expected https://api.sso.dynatrace.com/idm/public/scim/<account-uuid>/v2)', fix: `${copy}; for a proxy or a test server set \`customScimEndpoint: true\`` }],
    ['http', SCIM_URL.replace('https:', 'http:'), { path: 'scimBaseUrl', message: 'must use https, not http', fix: copy }],
    ['a placeholder', 'https://api.sso.dynatrace.com/idm/public/scim/<account-uuid>/v2', { path: 'scimBaseUrl', message: 'still contains a placeholder (such as <account-uuid>)', fix: copy }],
  ])('%s', (_name, scimBaseUrl, issue) => {
    const { scimBaseUrl: _url, ...spec } = headerSpec(bound);
    expect(issuesOf((scimBaseUrl === undefined ? spec : { ...spec, scimBaseUrl }) as ScimIntegrationSpec)).toEqual([issue]);
  });
});

describe('synth --no-pulumi says Pulumi was skipped', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'no-pulumi-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('per tenant and in the last line, instead of "0 objects"', async () => {
    const c = capture();
    const out = join(dir, 'out');
    expect(await run(['synth', '--tenants', 'test/fixtures/three-tenants.yaml', '--tenant', 'alpha', '--synth-dir', out, '--no-pulumi'], c.io)).toBe(0);
    expect(c.out()).toContain('\n  Pulumi (stack "alpha"): skipped (--no-pulumi)\n');
    expect(c.out()).not.toContain('0 objects');
    expect(c.out().trimEnd().split('\n').at(-1)).toBe(`done: 1 CDKTF stack in ${out}/stacks, Pulumi skipped (--no-pulumi)`);
  });

  it('with Pulumi, the objects it renders', async () => {
    const c = capture();
    const out = join(dir, 'with');
    expect(await run(['synth', '--tenants', 'test/fixtures/three-tenants.yaml', '--tenant', 'alpha', '--synth-dir', out], c.io)).toBe(0);
    expect(c.out()).toMatch(/\n {2}Pulumi \(stack "alpha"\): [1-9]\d* objects\n {4}okta:app\/autoLogin:AutoLogin alpha-app\n/);
    expect(c.out().trimEnd().split('\n').at(-1)).toBe(`done: 1 CDKTF stack in ${out}/stacks, 1 Pulumi stack rendered`);
  }, 60_000);
});

describe('names with quotes read as they are in the console step', () => {
  const org = { orgName: 'acme', baseDomain: 'okta.com' };

  it('a label and a pushed group with double quotes, and with both kinds', () => {
    const spec = resolveIntegration(headerSpec({ label: 'Dynatrace "SCIM"', groups: [{ name: 'Ops "EU"', push: true }, { name: `It's "Ops"`, key: 'its-ops', push: true }] }), 'acme');
    const steps = consoleStep('acme', spec, org)!.steps;
    expect(steps[0]).toBe(`Open the app 'Dynatrace "SCIM"' (SCIM 2.0 Test App (Header Auth)) that the stage 1 apply created: https://acme-admin.okta.com/admin/apps/active, or the stack output okta_app_admin_url (Pulumi: oktaAppAdminUrl).`);
    expect(steps.at(-1)).toContain(`adds the group push mappings ('Ops "EU"', “It's "Ops"”).`);
    expect(steps.join('\n')).not.toMatch(/\\"|""/);
  });

  it('the existing SSO app by label, and the Pulumi secret', () => {
    const spec = resolveIntegration({ ssoApp: { label: 'Dynatrace "Prod"' }, scimBaseUrl: SCIM_URL, scimToken: { env: 'ACME_DT_SCIM_TOKEN', pulumiConfig: 'acme:dynatraceScimToken' } }, 'acme');
    const steps = consoleStep('acme', spec, org)!.steps;
    expect(steps[0]).toMatch(/^Open the existing Dynatrace SSO app 'Dynatrace "Prod"' in /);
    expect(steps.join('\n')).toContain('the token is in $ACME_DT_SCIM_TOKEN / Pulumi secret "acme:dynatraceScimToken"');
  });

  it('console-step.md beside the stack reads the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'console-step-'));
    try {
      const file = join(dir, 'tenants.yaml');
      writeFileSync(file, stringify({ tenants: [{ name: 'acme', okta: org, integration: headerSpec({ label: 'Dynatrace "SCIM"' }) }] }));
      expect(await run(['synth', '--tenants', file, '--synth-dir', join(dir, 'out'), '--no-pulumi'], capture().io)).toBe(0);
      expect(readFileSync(join(dir, 'out', 'stacks', 'acme', 'console-step.md'), 'utf8')).toContain(`1. Open the app 'Dynatrace "SCIM"' (SCIM 2.0 Test App (Header Auth))`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
