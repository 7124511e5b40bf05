import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pulumiStackFor, terraformBackendFor } from '../constructs/model/backend';
import { SpecError } from '../constructs/model/errors';
import { loadTenants, parseTenants } from '../constructs/tenants/file';
import { TEST_TOKEN } from './support/specs';

const FIXTURE = join(__dirname, 'fixtures', 'three-tenants.yaml');

/** The `Invalid …` message of parsing `text`, or fails the test. */
function problems(text: string): string {
  try {
    parseTenants(text);
  } catch (error) {
    expect(error).toBeInstanceOf(SpecError);
    return (error as Error).message;
  }
  throw new Error('expected a SpecError');
}

const tenant = (name: string, extra = '', okta = `{ orgName: ${name} }`): string => `  - name: ${name}
    okta: ${okta}
    integration:
      label: Dynatrace SCIM
      authMode: header
      scimBaseUrl: https://api.sso.dynatrace.com/idm/public/scim/11111111-1111-4111-8111-111111111111/v2
      scimToken: { env: X_TOKEN }
${extra}`;

describe('a tenants file with three tenants', () => {
  const tenants = loadTenants(FIXTURE);

  it('yields three tenants in file order, named for their stacks', () => {
    expect(tenants.map((t) => t.name)).toEqual(['alpha', 'beta', 'gamma']);
    expect(tenants.map((t) => pulumiStackFor(t).stack)).toEqual(['alpha', 'beta', 'gamma']);
  });

  it('defaults to local state for both engines (zero config)', () => {
    expect(tenants[0].backend).toEqual({ terraform: { type: 'local' }, pulumi: {} });
    expect(terraformBackendFor(tenants[0])).toEqual({ type: 'local', config: {} });
    expect(pulumiStackFor(tenants[0])).toEqual({ stack: 'alpha', qualifiedName: 'alpha' });
  });

  it('maps an S3 backend to cdktf S3Backend arguments with per-tenant key, locking and encryption defaults', () => {
    expect(terraformBackendFor(tenants[1])).toEqual({
      type: 's3',
      config: { bucket: 'beta-iac-state', key: 'okta-dynatrace-scim/beta/terraform.tfstate', region: 'eu-central-1', useLockfile: true, encrypt: true },
    });
    expect(pulumiStackFor(tenants[1])).toEqual({ stack: 'beta', qualifiedName: 'beta', backendUrl: 's3://beta-iac-state/pulumi', secretsProvider: 'awskms://alias/pulumi' });
  });

  it('maps HCP Terraform with the default workspace and hostname, and qualifies the Pulumi Cloud stack', () => {
    expect(terraformBackendFor(tenants[2])).toEqual({ type: 'cloud', config: { organization: 'gamma-corp', hostname: 'app.terraform.io', workspace: 'okta-dynatrace-gamma' } });
    expect(pulumiStackFor(tenants[2]).qualifiedName).toBe('gamma-corp/okta-dynatrace-scim/gamma');
  });

  it('keeps explicit backend settings', () => {
    const [t] = parseTenants(`tenants:\n${tenant('delta', `    backend:\n      terraform: { type: s3, bucket: b-state, key: x/y.tfstate, region: us-east-1, dynamodbTable: locks, encrypt: false }\n`)}`);
    expect(terraformBackendFor(t)).toEqual({ type: 's3', config: { bucket: 'b-state', key: 'x/y.tfstate', region: 'us-east-1', dynamodbTable: 'locks', encrypt: false } });
    const [g] = parseTenants(`tenants:\n${tenant('delta', `    backend:\n      terraform: { type: gcs, bucket: my-state }\n      pulumi: { url: "gs://my-state/pulumi" }\n`)}`);
    expect(terraformBackendFor(g)).toEqual({ type: 'gcs', config: { bucket: 'my-state', prefix: 'okta-dynatrace-scim/delta' } });
    const [l] = parseTenants(`tenants:\n${tenant('delta', `    backend:\n      terraform: { type: local, path: /var/state/delta.tfstate }\n`)}`);
    expect(terraformBackendFor(l)).toEqual({ type: 'local', config: { path: '/var/state/delta.tfstate' } });
  });
});

describe('invalid tenants files fail with the path of the bad field', () => {
  it('unknown keys, at every level', () => {
    expect(problems(`tenants:\n${tenant('acme', '    colour: blue\n')}`)).toContain('tenants.yaml: tenants[0].colour: is not a known field');
    expect(problems(`tenants:\n${tenant('acme', '    backend: { terraform: { type: s3, bucket: b-state, region: eu-west-1, bukket: x } }\n')}`)).toContain('tenants[0].backend.terraform.bukket: is not a known field');
    expect(problems(`tenant:\n  - name: x\n`)).toContain('tenants: the file must have a top-level `tenants:` list');
    expect(problems(`extra: 1\ntenants:\n${tenant('acme')}`)).toContain('tenants.yaml: extra: is not a known field');
  });

  it('duplicate tenant names', () => {
    expect(problems(`tenants:\n${tenant('acme')}${tenant('acme')}`)).toContain('tenants.yaml: tenants[1].name: duplicate tenant name "acme" (also tenants[0])');
  });

  it('bad tenant and org names', () => {
    expect(problems(`tenants:\n${tenant('Acme_Corp')}`)).toContain('tenants[0].name: "Acme_Corp" is not a valid tenant name');
    expect(problems(`tenants:\n${tenant('acme', '', '{ orgName: "https://acme.okta.com" }')}`)).toContain('tenants[0].okta.orgName: "https://acme.okta.com" is not an Okta org name');
  });

  it('duplicate YAML keys, at file:line:column with the line quoted', () => {
    const text = `tenants:\n  - name: acme\n    name: other\n    okta: { orgName: acme }\n`;
    expect(problems(text)).toBe(
      'Invalid configuration (1 problem):\n  - tenants.yaml:3:5: YAML syntax: Map keys must be unique. Fix: give each key once per map.\n      3 |     name: other\n        |     ^',
    );
  });

  it.each([
    ['a bad indent', `tenants:\n  - name: acme\n    okta:\n      orgName: acme\n     baseDomain: okta.com\n`, 'tenants.yaml:5:1', 'align the keys'],
    ['a tab', `tenants:\n  - name: acme\n\tokta: {}\n`, 'tenants.yaml:3:1', 'indent with spaces'],
    ['an unclosed quote', `tenants:\n  - name: "acme\n  - name: b\n`, 'tenants.yaml:4:1', 'a quote or bracket opened on an earlier line is not closed'],
    ['an unclosed flow map', `tenants:\n  - name: acme\n    integration: { label: x, authMode: header\n  - name: b\n`, 'tenants.yaml:4:3', undefined],
  ])('%s is one message with its location and the offending line', (_name, text, where, fix) => {
    const message = problems(text);
    expect(message).toMatch(/^Invalid configuration \(1 problem\):/);
    expect(message).toContain(`- ${where}: YAML syntax: `);
    if (fix) expect(message).toContain(fix);
    const line = Number(where.split(':')[1]);
    // Quoted as every message quotes input: a tab shows as \t.
    expect(message).toContain(`${line} | ${text.split('\n')[line - 1]!.replaceAll('\t', '\\t')}`);
  });

  it('quotes a broken line with a pasted token masked', () => {
    const message = problems(`tenants:\n  - name: acme\n    okta:\n      orgName: acme\n     token: ${TEST_TOKEN}\n`);
    expect(message).toContain('5 |      token: ***');
    expect(message).not.toContain(TEST_TOKEN);
  });

  it('an empty tenant list is an error, not a silent no-op', () => {
    expect(problems('tenants: []\n')).toContain('tenants.yaml: tenants: the tenants file lists no tenant. Fix: add a tenant under `tenants:`');
  });

  it('duplicate names are reported even when the duplicates have problems of their own', () => {
    const message = problems(`tenants:\n${tenant('acme', '    colour: blue\n')}${tenant('acme', '', '{ orgName: "https://acme" }')}`);
    expect(message).toContain('tenants[0].colour: is not a known field');
    expect(message).toContain('tenants[1].okta.orgName');
    expect(message).toContain('tenants[1].name: duplicate tenant name "acme" (also tenants[0])');
  });

  it('bad backends, each with a fix', () => {
    const bad = (backend: string): string => problems(`tenants:\n${tenant('acme', `    backend: ${backend}\n`)}`);
    expect(bad('{ terraform: { type: azurerm } }')).toContain('tenants[0].backend.terraform.type');
    expect(bad('{ terraform: { type: s3, bucket: "s3://state", region: eu-central-1 } }')).toMatch(/tenants\[0\]\.backend\.terraform\.bucket: "s3:\/\/state" is not an S3 bucket name.*Fix: use the bucket name only/);
    expect(bad('{ terraform: { type: s3, bucket: state-b } }')).toContain('tenants[0].backend.terraform.region: is required');
    expect(bad('{ terraform: { type: s3, bucket: state-b, region: europe } }')).toContain('backend.terraform.region: "europe" is not an AWS region');
    expect(bad('{ terraform: { type: s3, bucket: state-b, region: eu-west-1, useLockfile: false } }')).toContain('backend.terraform.useLockfile: turning off S3 locking');
    expect(bad('{ terraform: { type: cloud, organization: "acme corp" } }')).toContain('backend.terraform.organization');
    expect(bad('{ terraform: { type: cloud, organization: acme, hostname: "https://tfe.acme.com" } }')).toContain('backend.terraform.hostname');
    expect(bad('{ pulumi: { url: "ftp://x" } }')).toContain('backend.pulumi.url: unsupported scheme');
    expect(bad('{ pulumi: { url: "s3://bucket/p", organization: acme } }')).toContain('backend.pulumi.organization: only Pulumi Cloud has organizations');
    expect(bad('{ pulumi: { secretsProvider: "rot13" } }')).toContain('backend.pulumi.secretsProvider');
  });

  it('never echoes credentials embedded in a backend URL', () => {
    const message = problems(`tenants:\n${tenant('acme', '    backend: { pulumi: { url: "https://user:s3cr3t-value@api.pulumi.com" } }\n')}`);
    expect(message).toContain('backend.pulumi.url: must not contain credentials');
    expect(message).not.toContain('s3cr3t-value');
  });

  it('reports every problem of the file at once', () => {
    const message = problems(`tenants:\n${tenant('Bad')}${tenant('acme', '    backend: { terraform: { type: gcs, bucket: "gs://x" } }\n')}`);
    expect(message).toContain('tenants[0].name: "Bad" is not a valid tenant name');
    expect(message).toContain('tenants[1].backend.terraform.bucket: "gs://x" is not a GCS bucket name');
  });
});

describe('the example tenants file', () => {
  const tenants = loadTenants('tenants.yaml');

  it('declares its JSON Schema for editors', () => {
    expect(readFileSync('tenants.yaml', 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=./schema/tenants.schema.json');
    expect(tenants.map((t) => t.name)).toEqual(['acme', 'globex', 'initech']);
  });

  it('shows the default path (console step, stage 2), one API-path tenant and one SSO-app tenant (stage 1)', () => {
    expect(tenants.map((t) => [t.name, t.integration.app.type, t.integration.provisioning.setup, t.integration.stage])).toEqual([
      ['acme', 'catalog', 'console', 2],
      ['globex', 'catalog', 'api', 2],
      ['initech', 'sso', 'console', 1],
    ]);
  });
});
