import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { SpecError } from '../constructs/model/errors';
import { looksLikeSecret } from '../constructs/model/secret-names';
import { parseTenants } from '../constructs/tenants/file';
import { tenantsJsonSchema } from '../constructs/tenants/schema';
import { SCIM_URL } from './support/specs';

describe('published JSON Schema of the tenants file', () => {
  const committed = readFileSync('schema/tenants.schema.json', 'utf8');

  it('is exactly what scripts/gen-schema.ts generates from the zod schemas (run `npm run gen-schema` if this fails)', () => {
    expect(committed).toBe(tenantsJsonSchema());
  });

  it('describes tenants, their names and the backends strictly, for editor completion', () => {
    const schema = JSON.parse(committed);
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['tenants']);
    const item = schema.properties.tenants.items;
    expect(item.additionalProperties).toBe(false);
    expect(item.required).toEqual(['name', 'okta', 'integration']);
    expect(item.properties.name.pattern).toBe('^[a-z][a-z0-9-]{0,38}[a-z0-9]$');
    const terraform = item.properties.backend.properties.terraform;
    expect(terraform.oneOf.map((b: { properties: { type: { const: string } } }) => b.properties.type.const)).toEqual(['local', 's3', 'gcs', 'cloud']);
    expect(item.properties.integration.properties.authMode.enum).toEqual(['header', 'oauthBearer']);
  });
});

/**
 * The schema and the CLI give the same verdict. A table of whole documents, then a property: in valid
 * documents, one field at a time is set to arbitrary values and both must accept or both refuse. The
 * CLI's rules the schema cannot state are listed (and kept out of the property only where they apply):
 * secret-shaped names, lengths of text with characters outside the BMP (the CLI counts UTF-16 units,
 * JSON Schema code points), rules between fields, and the SCIM and Pulumi URLs beyond their scheme.
 */
describe('the JSON Schema agrees with the CLI', () => {
  const ajv = new Ajv({ allErrors: true, strict: true });
  const schemaAccepts = ajv.compile(JSON.parse(readFileSync('schema/tenants.schema.json', 'utf8')) as object);
  const cliAccepts = (document: unknown): boolean => {
    try {
      parseTenants(stringify(document));
      return true;
    } catch (error) {
      if (error instanceof SpecError) return false;
      throw error;
    }
  };
  const verdicts = (document: unknown) => ({ cli: cliAccepts(document), schema: schemaAccepts(document) });

  const integration = { label: 'Dynatrace SCIM', authMode: 'header', scimBaseUrl: SCIM_URL, scimToken: { env: 'ACME_DT_SCIM_TOKEN' } };
  const tenant = { name: 'acme', okta: { orgName: 'acme' }, integration };
  const withTenant = (patch: Record<string, unknown>) => ({ tenants: [{ ...tenant, ...patch }] });
  const withIntegration = (patch: Record<string, unknown>) => withTenant({ integration: { ...integration, ...patch } });

  it.each<[string, boolean, unknown]>([
    ['the repository\'s tenants.yaml', true, parse(readFileSync('tenants.yaml', 'utf8'))],
    ['the three-tenant fixture', true, parse(readFileSync('test/fixtures/three-tenants.yaml', 'utf8'))],
    ['a minimal tenant', true, withTenant({})],
    ['tenants: []', false, { tenants: [] }],
    ['no tenants', false, {}],
    ['an unknown top-level field', false, { tenants: [tenant], tenant: {} }],
    ['a tenant name with capitals', false, withTenant({ name: 'Acme' })],
    ['the org URL as org name', false, withTenant({ okta: { orgName: 'https://acme.okta.com' } })],
    ['a URL as base domain', false, withTenant({ okta: { orgName: 'acme', baseDomain: 'https://okta.com' } })],
    ['a blank label', false, withIntegration({ label: '   ' })],
    ['a two-line label', false, withIntegration({ label: 'Dynatrace\nSCIM' })],
    ['a label padded with spaces', true, withIntegration({ label: '  Dynatrace SCIM \n' })],
    ['a 256-character label', false, withIntegration({ label: 'x'.repeat(256) })],
    ['an http SCIM URL', false, withIntegration({ scimBaseUrl: SCIM_URL.replace('https', 'http') })],
    ['a group key with capitals', false, withIntegration({ groups: [{ name: 'Ops', key: 'Ops' }] })],
    ['a group id with a dash', false, withIntegration({ groups: [{ id: '00g-1' }] })],
    ['a blank description of a created group', true, withIntegration({ groups: [{ name: 'Ops', create: true, description: ' ' }] })],
    ['an S3 bucket ARN', false, withTenant({ backend: { terraform: { type: 's3', bucket: 'arn:aws:s3:::acme', region: 'eu-central-1' } } })],
    ['an S3 key starting with /', false, withTenant({ backend: { terraform: { type: 's3', bucket: 'acme-state', region: 'eu-central-1', key: '/state' } } })],
    ['a template in a backend value', false, withTenant({ backend: { terraform: { type: 'gcs', bucket: 'acme-state', prefix: '${var.x}' } } })],
    ['an http Pulumi backend', false, withTenant({ backend: { pulumi: { url: 'http://pulumi.example.com' } } })],
    ['an ftp Pulumi backend', false, withTenant({ backend: { pulumi: { url: 'ftp://pulumi.example.com' } } })],
    ['an S3 Pulumi backend', true, withTenant({ backend: { pulumi: { url: 'S3://acme-state/pulumi' } } })],
    ['a secrets provider by name only', false, withTenant({ backend: { pulumi: { secretsProvider: 'awskms' } } })],
  ])('%s (valid: %s)', (_name, valid, document) => {
    expect(verdicts(document)).toEqual({ cli: valid, schema: valid });
  });

  /** Valid documents, and for each the fields a property run sets to arbitrary values. */
  const bases: { document: Record<string, unknown>; fields: string[][] }[] = [
    {
      document: {
        tenants: [
          {
            name: 'acme',
            okta: { orgName: 'acme', baseDomain: 'okta.com', credentials: { type: 'apiToken', token: { env: 'ACME_OKTA_API_TOKEN' } } },
            integration: {
              ...integration,
              scimToken: { env: 'ACME_DT_SCIM_TOKEN', pulumiConfig: 'dynatraceScimToken' },
              username: { template: '${source.email}' },
              provisioning: { enabled: true },
              groups: [
                { key: 'ops', name: 'Ops', create: true, description: 'Operators', push: true, pushAs: 'DT Ops', policies: [{ name: 'Standard User', environment: 'abc12345', parameters: { team: 'ops' } }] },
                { key: 'sre', id: '00g1a2b3c4d5e6f7g8h9' },
              ],
              dynatrace: { oauthClient: { clientId: { env: 'DT_CLIENT_ID' }, clientSecret: { env: 'DT_CLIENT_SECRET' } } },
            },
            backend: { terraform: { type: 's3', bucket: 'acme-state', region: 'eu-central-1', key: 'acme/terraform.tfstate', dynamodbTable: 'locks' }, pulumi: { organization: 'acme', secretsProvider: 'passphrase' } },
          },
        ],
      },
      fields: [
        ['name'], ['okta', 'orgName'], ['okta', 'baseDomain'], ['okta', 'credentials', 'token', 'env'],
        ['integration', 'label'], ['integration', 'scimToken', 'env'], ['integration', 'scimToken', 'pulumiConfig'], ['integration', 'username', 'template'],
        ['integration', 'groups', '0', 'key'], ['integration', 'groups', '0', 'name'], ['integration', 'groups', '0', 'description'], ['integration', 'groups', '0', 'pushAs'],
        ['integration', 'groups', '0', 'policies', '0', 'name'], ['integration', 'groups', '0', 'policies', '0', 'environment'], ['integration', 'groups', '0', 'policies', '0', 'parameters', 'team'],
        ['integration', 'groups', '1', 'id'], ['integration', 'dynatrace', 'oauthClient', 'clientSecret', 'env'],
        ['backend', 'terraform', 'bucket'], ['backend', 'terraform', 'region'], ['backend', 'terraform', 'key'], ['backend', 'terraform', 'dynamodbTable'],
        ['backend', 'pulumi', 'organization'], ['backend', 'pulumi', 'secretsProvider'],
      ],
    },
    {
      document: withTenant({ integration: { ssoApp: { label: 'Dynatrace SSO' }, scimBaseUrl: SCIM_URL, scimToken: { env: 'ACME_DT_SCIM_TOKEN' } }, backend: { terraform: { type: 'cloud', organization: 'acme', workspace: 'acme-okta', hostname: 'tfe.example.com' } } }),
      fields: [['integration', 'ssoApp', 'label'], ['backend', 'terraform', 'organization'], ['backend', 'terraform', 'workspace'], ['backend', 'terraform', 'hostname']],
    },
    {
      document: withTenant({ integration: { ssoApp: { id: '0oa1ssoapp' }, scimBaseUrl: SCIM_URL, scimToken: { env: 'ACME_DT_SCIM_TOKEN' } }, backend: { terraform: { type: 'gcs', bucket: 'acme-state', prefix: 'okta/acme' } } }),
      fields: [['integration', 'ssoApp', 'id'], ['backend', 'terraform', 'bucket'], ['backend', 'terraform', 'prefix']],
    },
    { document: withTenant({ backend: { terraform: { type: 'local', path: 'state/acme.tfstate' } } }), fields: [['backend', 'terraform', 'path']] },
  ];

  /** `document` with the first tenant's field at `path` set to `value`. */
  const withValue = (document: Record<string, unknown>, path: readonly string[], value: string): Record<string, unknown> => {
    const changed = structuredClone(document);
    let at = (changed.tenants as Record<string, unknown>[])[0]!;
    for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
    at[path.at(-1)!] = value;
    return changed;
  };

  /** What people type, what they paste, and what a fuzzer finds: all within the BMP. */
  const bmp = (text: string): boolean => ![...text].some((char) => char.codePointAt(0)! > 0xffff);
  const valueArb = fc.oneof(
    fc.constantFrom('', ' ', 'acme', 'Acme', 'acme-state', 'eu-central-1', 'okta.com', '00g1a2b3c4d5e6f7g8h9', ' 0oa1 ', 'a'.repeat(63), 'a'.repeat(64), 'x'.repeat(255), ` ${'x'.repeat(255)} `, 'x'.repeat(256), 'x'.repeat(1024), 'x'.repeat(1025), 'https://acme.okta.com', 'arn:aws:s3:::b', '${var.x}', 'a%{b', 'a/b', '/a', 'a/', 'passphrase', 'awskms://alias/x', 'Ops "EU"', 'line\nbreak', ' padded\t', '\u00a0nbsp\u00a0', 'tab\tinside', 'e\u0301', 'abc12345', 'ACME_TOKEN', 'acme:key'),
    fc.string({ maxLength: 40 }).filter(bmp),
    fc.string({ unit: 'binary', maxLength: 12 }).filter(bmp),
    fc.stringMatching(/^[a-z][a-z0-9.-]{0,20}[a-z0-9]$/),
    fc.stringMatching(/^\s{0,2}[A-Za-z0-9 _.:/-]{1,30}\s{0,2}$/),
  );

  it('in valid documents, any one field set to any value: both accept or both refuse', () => {
    for (const { document } of bases) expect(verdicts(document)).toEqual({ cli: true, schema: true });
    const cases = fc.oneof(...bases.map((base) => fc.record({ base: fc.constant(base.document), field: fc.constantFrom(...base.fields), value: valueArb })));
    fc.assert(
      fc.property(cases, ({ base, field, value }) => {
        const { cli, schema } = verdicts(withValue(base, field, value));
        // A name shaped like a secret is refused by the CLI only: the schema cannot measure entropy.
        if (!cli && schema && looksLikeSecret(value)) return;
        expect({ field: field.join('.'), value, schema }).toEqual({ field: field.join('.'), value, schema: cli });
      }),
      { numRuns: 3000 },
    );
  });

  it('with any characters (emoji and other astral ones too), what the CLI accepts the schema accepts: an editor never flags a valid file', () => {
    const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ unit: 'grapheme', minLength: 250, maxLength: 260 }));
    const { document } = bases[0]!;
    const fields = bases[0]!.fields.filter((field) => ['label', 'name', 'pushAs', 'description'].includes(field.at(-1)!) && field.length > 1);
    fc.assert(
      fc.property(fc.constantFrom(...fields), text, (field, value) => {
        const { cli, schema } = verdicts(withValue(document, field, value));
        if (cli) expect({ field: field.join('.'), value, schema }).toEqual({ field: field.join('.'), value, schema: true });
      }),
      { numRuns: 1000 },
    );
  });
});
