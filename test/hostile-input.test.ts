/**
 * Property-based tests over hostile input: random specs and random tenants files either render
 * resources that pass the provider-schema conformance check, or fail with the project's own
 * validation error. Never a crash, a stack trace in the message, or an empty/undefined attribute; never a
 * message with a terminal control or a token in it.
 */
import { Testing, TerraformStack } from 'cdktf';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { DynatraceProvider } from '../constructs/cdktf/dynatrace-provider';
import { OktaProvider } from '../constructs/cdktf/okta-provider';
import { DynatraceScimIntegration } from '../constructs/cdktf/scim-integration';
import { SpecError } from '../constructs/model/errors';
import { needsScimToken, resolveIntegration, type ResolvedIntegration } from '../constructs/model/resolve';
import { planResources, usesDynatrace } from '../constructs/resources/plan';
import { roleName } from '../constructs/resources/roles';
import { hasCredential, isCredential } from '../constructs/resources/types';
import { looksLikeSecret } from '../constructs/model/secret-names';
import { parseTenants } from '../constructs/tenants/file';
import { conformanceErrors } from './support/provider-schema';
import type { TerraformJson } from './support/render';
import { SCIM_URL, TEST_TOKEN } from './support/specs';

const RUNS = { specs: 3000, files: 1500, synth: 250 };
const counted = { specs: 0, files: 0, synth: 0, rejected: 0 };

const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('', ' ', '\t', 'Dynatrace SCIM', 'Équipe Données', '運用チーム', '👩‍💻 admins', 'a\r\nb', 'x'.repeat(300), '${var.x}', '%{if}', '$${x}', '%%{y}', '${var.dynatrace_scim_token}', '\u00a0', '\ufeffname', 'a\u200bb', 'a\u2028b', TEST_TOKEN),
  fc.array(fc.constantFrom('${', '%{', '$${', '%%{', '}', 'a', ' ', '\u00a0', '\ufeff', 'é'), { minLength: 1, maxLength: 6 }).map((parts) => parts.join('')),
);
/** Values people paste into name fields: tokens of every shape, next to real names. */
const secretOrName = fc.oneof(
  fc.constantFrom(TEST_TOKEN, 'dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.YZ', '00aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abcd', 'Bearer abc', 'SSWS 00abc', 'A7F3K9Q2ZC81M4N6B0V5X8L1', 'ACME_DT_SCIM_TOKEN', 'dynatraceScimToken'),
  fc.stringMatching(/^[A-Z0-9]{20,40}$/),
  fc.stringMatching(/^[A-Z][A-Z0-9_]{0,30}$/),
);
const notAString = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }), fc.double());
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });

const urlArb = fc.oneof(
  fc.constant(SCIM_URL),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.webUrl().map((url) => url.replace(/^https?/, 'https')),
  hostileString,
  notAString,
);

const groupArb = fc.record(
  {
    key: maybe(fc.oneof(hostileString, fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,10}[a-z0-9]$/))),
    id: maybe(fc.oneof(fc.stringMatching(/^00g[a-zA-Z0-9]{4,17}$/), hostileString, notAString)),
    name: maybe(fc.oneof(hostileString, notAString)),
    create: maybe(fc.oneof(fc.boolean(), notAString)),
    description: maybe(hostileString),
    priority: maybe(fc.oneof(fc.integer({ min: -2, max: 120 }), fc.double(), fc.string())),
    push: maybe(fc.boolean()),
    pushAs: maybe(hostileString),
    pushTargetId: maybe(fc.oneof(fc.stringMatching(/^00g[a-zA-Z0-9]{4,17}$/), hostileString, notAString)),
    existingPushId: maybe(fc.oneof(fc.stringMatching(/^gPm[a-zA-Z0-9]{4,17}$/), hostileString, notAString)),
    policies: maybe(
      fc.array(
        fc.record(
          {
            name: maybe(fc.oneof(hostileString, notAString)),
            uuid: maybe(fc.oneof(fc.uuid(), hostileString)),
            definedIn: maybe(fc.constantFrom('global', 'account', 'environment', 'tenant')),
            account: maybe(fc.oneof(fc.constant(true), fc.boolean(), notAString)),
            environment: maybe(fc.oneof(fc.constant('abc12345'), hostileString)),
            parameters: maybe(fc.dictionary(fc.oneof(fc.constant('team'), hostileString), fc.oneof(hostileString, notAString), { maxKeys: 3 })),
            boundaries: maybe(fc.array(fc.oneof(fc.uuid(), hostileString), { maxLength: 3 })),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 3 },
      ),
    ),
  },
  { requiredKeys: [] },
);

const secretSourceArb = fc.oneof(
  fc.record({ env: fc.oneof(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,20}$/), hostileString, secretOrName) }, { requiredKeys: [] }),
  fc.record({ pulumiConfig: fc.oneof(fc.constant('dynatraceScimToken'), hostileString, secretOrName) }),
  fc.constant(TEST_TOKEN),
  fc.constant({ value: TEST_TOKEN }),
);

const specArb = fc.record(
  {
    label: fc.oneof(hostileString, notAString),
    authMode: fc.oneof(fc.constantFrom('header', 'oauthBearer'), hostileString),
    scimBaseUrl: urlArb,
    scimToken: secretSourceArb,
    ssoApp: maybe(fc.oneof(fc.record({ id: fc.oneof(fc.stringMatching(/^0oa[a-zA-Z0-9]{5,17}$/), hostileString), importAssignments: maybe(fc.oneof(fc.boolean(), notAString)) }), fc.record({ label: hostileString, importAssignments: maybe(fc.boolean()) }), fc.constant({}))),
    customScimEndpoint: maybe(fc.boolean()),
    username: maybe(fc.oneof(fc.constantFrom('email', 'oktaUsername', 'login'), fc.record({ template: hostileString, type: maybe(fc.oneof(fc.constantFrom('BUILT_IN', 'CUSTOM'), hostileString)) }))),
    signOn: maybe(fc.oneof(fc.constantFrom('autoLogin', 'saml'), hostileString)),
    connection: maybe(fc.constantFrom('managed', 'manual', 'auto')),
    provisioning: maybe(
      fc.record({ setup: fc.constantFrom('console', 'api', 'click'), enabled: fc.oneof(fc.boolean(), notAString), createUsers: fc.oneof(fc.boolean(), notAString), deactivateUsers: fc.boolean(), syncPassword: fc.boolean() }, { requiredKeys: [] }),
    ),
    groups: maybe(fc.array(groupArb, { maxLength: 6 })),
    dynatrace: maybe(fc.record({ accountUuid: maybe(fc.oneof(fc.uuid(), hostileString)), oauthClient: fc.record({ clientId: secretSourceArb, clientSecret: secretSourceArb }) }, { requiredKeys: ['oauthClient'] })),
    status: maybe(fc.constantFrom('ACTIVE', 'INACTIVE', 'DELETED')),
    removalPolicy: maybe(fc.constantFrom('retain', 'destroy', 'snapshot')),
    existingAppId: maybe(fc.oneof(fc.stringMatching(/^0oa[a-zA-Z0-9]{5,17}$/), hostileString)),
  },
  { requiredKeys: [] },
);

/** Mostly-valid specs, so that the rendering path is exercised as often as the rejection path. */
const plausibleSpecArb = fc.record({
  label: fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }), fc.constant('Dynatrace')),
  authMode: fc.constantFrom('header', 'oauthBearer'),
  scimBaseUrl: fc.constant(SCIM_URL),
  scimToken: fc.constant({ env: 'DT_SCIM_TOKEN' }),
  signOn: fc.constantFrom('autoLogin', 'saml'),
  username: fc.constantFrom('email', 'oktaUsername', { template: '${String.toLowerCase(source.email)}' }),
  provisioning: fc.oneof(
    fc.record({ setup: fc.constant('console'), enabled: fc.boolean(), createUsers: fc.boolean(), updateUserAttributes: fc.boolean(), deactivateUsers: fc.boolean(), syncPassword: fc.boolean() }),
    fc.record({ setup: fc.constant('api'), createUsers: fc.boolean(), updateUserAttributes: fc.boolean(), deactivateUsers: fc.boolean(), syncPassword: fc.boolean() }),
  ),
  groups: fc.uniqueArray(
    fc.oneof(
      fc.record({ name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }), push: fc.boolean(), priority: fc.integer({ min: 0, max: 100 }) }, { requiredKeys: ['name'] }),
      fc.record({ name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }), create: fc.constant(true), push: fc.boolean() }),
      fc.record({
        name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
        push: fc.constant(true),
        policies: fc.uniqueArray(
          fc.record({ name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }), environment: fc.constantFrom('abc12345', 'xyz98765'), parameters: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/), fc.string({ unit: 'grapheme', maxLength: 20 }), { maxKeys: 2 }) }),
          { maxLength: 2, selector: (p) => `${p.name.trim()}@${p.environment}` },
        ),
      }),
      fc.record({ id: fc.stringMatching(/^00g[a-zA-Z0-9]{6}$/), name: fc.string({ minLength: 1, maxLength: 30 }), push: fc.boolean() }, { requiredKeys: ['id'] }),
      // An adopted push (as discover writes it): imported when the app is adopted at stage 2, refused otherwise.
      fc.record({ id: fc.stringMatching(/^00g[a-zA-Z0-9]{6}$/), name: fc.string({ minLength: 1, maxLength: 30 }), push: fc.constant(true), pushTargetId: fc.stringMatching(/^00g[a-zA-Z0-9]{6}$/), existingPushId: fc.stringMatching(/^gPm[a-zA-Z0-9]{6}$/) }),
    ),
    { maxLength: 5, selector: (g) => (g.name ?? '').toLowerCase() },
  ),
  removalPolicy: fc.constantFrom('retain', 'destroy'),
  existingAppId: fc.option(fc.constant('0oa1a2b3c4d5e6f7g8h9'), { nil: undefined }),
  dynatrace: fc.constant({ oauthClient: { clientId: { env: 'DT_CLIENT_ID' }, clientSecret: { env: 'DT_CLIENT_SECRET' } } }),
});

/** Either a resolved spec, or a SpecError that reads well; anything else fails the property. */
function resolveOrReject(input: unknown): ResolvedIntegration | undefined {
  try {
    return resolveIntegration(input, 'fuzz', 'integration');
  } catch (error) {
    expect(error).toBeInstanceOf(SpecError);
    const message = (error as SpecError).message;
    expect(message).toMatch(/^Invalid tenant "fuzz" \(\d+ problems?\):\n {2}- /);
    expect(message).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
    expectReadable(message);
    counted.rejected += 1;
    return undefined;
  }
}

/** No secret, nothing a terminal acts on (controls other than the line breaks between problems), no endless line. */
function expectReadable(message: string): void {
  expect(message).not.toContain(TEST_TOKEN);
  expect(message).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
  for (const line of message.split('\n')) expect(line.length).toBeLessThan(2000);
}

function assertNoEmptyLeaf(value: unknown, path: string): void {
  // The credential marker's prefix is legitimately '' (OAuth bearer); renderers replace the marker.
  if (isCredential(value)) return;
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || Number.isNaN(value)) {
    throw new Error(`${path} is empty`);
  }
  if (typeof value === 'object') for (const [key, inner] of Object.entries(value as object)) assertNoEmptyLeaf(inner, `${path}.${key}`);
}

afterAll(() => {
  process.stdout.write(
    `hostile input: ${counted.specs} random specs, ${counted.files} random tenants files, ${counted.synth} full syntheses checked against the provider schema (${counted.rejected} rejected with a validation error)\n`,
  );
});

describe('hostile input', () => {
  it('random specs resolve to a plan with no empty attribute, or are rejected cleanly', () => {
    fc.assert(
      fc.property(fc.oneof(specArb, plausibleSpecArb), (input) => {
        counted.specs += 1;
        const spec = resolveOrReject(input);
        if (!spec) return;
        const plan = planResources(spec);
        for (const entry of plan) assertNoEmptyLeaf(entry.props, `${entry.kind}.${roleName(entry.role)}`);
        // The model's one rule for "this tenant needs the SCIM token" is what the plan holds.
        expect(needsScimToken(spec)).toBe(plan.some((entry) => entry.type === 'resource' && hasCredential(entry.props)));
        // What CI prints (matrix, logs) are these names: never a secret-shaped value.
        for (const name of [spec.scimToken.env, spec.scimToken.pulumiConfig]) if (name !== undefined) expect(looksLikeSecret(name)).toBe(false);
      }),
      { numRuns: RUNS.specs },
    );
  });

  it('random specs that resolve synthesize Terraform JSON conforming to the provider schema', () => {
    fc.assert(
      fc.property(fc.oneof({ weight: 1, arbitrary: specArb }, { weight: 4, arbitrary: plausibleSpecArb }), (input) => {
        const spec = resolveOrReject(input);
        if (!spec) return;
        counted.synth += 1;
        const app = Testing.app();
        const stack = new TerraformStack(app, 'fuzz');
        new OktaProvider(stack, 'okta', { orgName: 'fuzz', baseUrl: 'okta.com' });
        if (usesDynatrace(spec)) new DynatraceProvider(stack, 'dynatrace_provider', { iamAccountId: spec.dynatrace.accountUuid });
        new DynatraceScimIntegration(stack, 'dynatrace', spec);
        const json = JSON.parse(Testing.synth(stack)) as TerraformJson;
        expect(conformanceErrors(json)).toEqual([]);
      }),
      { numRuns: RUNS.synth },
    );
  });

  const tenantArb = fc.record(
    {
      name: fc.oneof(fc.stringMatching(/^[a-z][a-z0-9-]{1,10}[a-z0-9]$/), hostileString, notAString),
      okta: fc.record({ orgName: fc.oneof(fc.stringMatching(/^[a-z][a-z0-9]{1,10}$/), hostileString, notAString), baseDomain: maybe(fc.constantFrom('okta.com', 'oktapreview.com', 'okta', 'https://x.okta.com')) }, { requiredKeys: ['orgName'] }),
      integration: fc.oneof(plausibleSpecArb, specArb),
    },
    { requiredKeys: [] },
  );

  it('random tenants files (CRLF, anchors, duplicate keys, wrong types) parse or fail with a validation error', () => {
    const fileArb = fc.oneof(
      fc.record({
        tenants: fc.array(tenantArb, { maxLength: 4 }),
        crlf: fc.boolean(),
        duplicateKey: fc.boolean(),
        anchors: fc.boolean(),
      }).map(({ tenants, crlf, duplicateKey, anchors }) => {
        let text = stringify({ tenants }, { aliasDuplicateObjects: anchors });
        if (anchors && tenants.length > 0) text = `shared: &shared\n  orgName: acme\n${text.replace(/^( {4})orgName:.*$/m, '$1<<: *shared')}`;
        if (duplicateKey) text = text.replace(/^( {4}name: .*)$/m, '$1\n$1');
        return crlf ? text.replace(/\n/g, '\r\n') : text;
      }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.constantFrom('', 'tenants:', 'tenants: 3', '- a\n- b', 'tenants: [ {', 'a: &a [*a]', 'tenants:\n  - &x {name: a}\n  - *x'),
    );
    fc.assert(
      fc.property(fileArb, (text) => {
        counted.files += 1;
        try {
          const tenants = parseTenants(text, 'tenants.yaml');
          for (const tenant of tenants) for (const entry of planResources(tenant.integration)) assertNoEmptyLeaf(entry.props, roleName(entry.role));
        } catch (error) {
          expect(error).toBeInstanceOf(SpecError);
          expect((error as SpecError).message).toMatch(/^Invalid configuration \(\d+ problems?\):\n {2}- /);
          expectReadable((error as SpecError).message);
        }
      }),
      { numRuns: RUNS.files },
    );
  });
});
