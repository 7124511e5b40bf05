/**
 * What the synthesized JSON means to Terraform, proven with the real `terraform` binary (offline: only
 * `terraform_data` and outputs, no provider). The emitted strings are taken from real stacks and run
 * unchanged, except that references to the Okta provider's objects are replaced by `terraform_data`.
 *
 * 1. The credential rule: Terraform's verdict and value agree with the TypeScript rule (Pulumi's) on a
 *    case matrix, Unicode whitespace included.
 * 2. A rejected token never appears in terraform's stdout or stderr (a failing variable validation
 *    would print it; the stacks check it in a precondition over a non-sensitive boolean instead).
 * 3. Every literal (labels, group names, descriptions, push targets, lookups, messages, the username
 *    template, Dynatrace policy names and binding parameters) evaluates to exactly the text Pulumi sends, `${`, `%{`, `$${` and `%%{` included.
 * 4. The lookup postconditions compare with the exact text (quotes, backslashes, template characters),
 *    and stop the plan on what a provider answers for "nothing found": all-null attributes, or "".
 * 5. `prevent_destroy` guards an address, not an object: a change of the app's resource type (a new
 *    `signOn`, or a default that changed) destroys the old app, as the review and the README say.
 *
 * Skipped, with a note, when no terraform binary is on PATH.
 */
import fc from 'fast-check';
import { credentialValue, tokenProblem } from '../constructs/model/credential';
import { resolveIntegration } from '../constructs/model/resolve';
import type { ScimIntegrationSpec } from '../constructs/model/spec';
import { TOKEN_ERROR } from '../constructs/cdktf/scim-integration';
import { escapeTemplate } from '../constructs/cdktf/terraform-text';
import { tenantNaming, terraformLogicalId } from '../constructs/resources/names';
import { planResources } from '../constructs/resources/plan';
import { resourcesOf, synthStack, type TerraformJson } from './support/render';
import { apiSpec, headerSpec, oauthSpec, ssoSpec, TEST_TOKEN } from './support/specs';
import { describeWithTerraform, terraformApply, terraformPlanAfter } from './support/terraform';
import oktaSchema from './fixtures/okta-provider-schema.json';
import dynatraceSchema from './fixtures/dynatrace-provider-schema.json';

/** The token check of a synthesized stack: its locals, and the connection's value and precondition. */
function tokenPieces(spec: ScimIntegrationSpec): { locals: Record<string, string>; value: string; condition: string } {
  const { json } = synthStack(spec);
  const connection = resourcesOf(json)['okta_app_connection.dynatrace_connection'] as { profile: { token: string }; lifecycle: { precondition: { condition: string }[] } };
  return { locals: json.locals!, value: connection.profile.token, condition: connection.lifecycle.precondition[0]!.condition };
}

/** Renames the variable and locals so that many tokens are evaluated in one configuration. */
function renamed(text: string, k: number): string {
  return text.replace(/var\.dynatrace_scim_token\b/g, `var.t${k}`).replace(/local\.dynatrace_scim_token_(bare|ok)\b/g, (_m, which: string) => `local.${which}${k}`);
}

const UNICODE_CASES = [
  'abc123',
  '  abc123  ',
  'Bearer abc123',
  'bearer\tabc123',
  '\r\nBearer abc123\r\n',
  'Bearer Bearer abc123',
  'bearer   BEARER abc',
  '',
  '   ',
  'Bearer',
  'Bearer\u00a0abc123',
  '\u00a0abc123',
  'abc123\u00a0',
  '\ufeffabc123',
  'abc\u200b123',
  'Bearer\u3000abc123',
  'abc\u000b',
  'abc 123',
  'abcé',
  'bearerish-token',
  'Bearer dt0s02.ABC.DEF${x}%{y}',
];

const hostileToken = fc.array(fc.constantFrom('a', 'Z', '9', '.', '-', '_', ' ', '\t', '\r', '\n', '\u00a0', '\ufeff', '\u200b', '\u3000', '\u000b', 'é', 'Bearer ', 'bearer\t', 'BEARER', 'Bearer Bearer ', '$', '{', '%'), { maxLength: 8 }).map((parts) => parts.join(''));

describeWithTerraform('terraform evaluates the credential rule like TypeScript', () => {
  it('agrees on the verdict and the stored value for every case (header and OAuth bearer)', () => {
    const header = tokenPieces(apiSpec());
    const oauth = tokenPieces(oauthSpec({ provisioning: { setup: 'api' } }));
    const cases = [...UNICODE_CASES, ...fc.sample(hostileToken, { numRuns: 200, seed: 20261129 })];
    const config = { variable: {} as Record<string, object>, locals: {} as Record<string, string>, output: {} as Record<string, object> };
    cases.forEach((_raw, k) => {
      config.variable[`t${k}`] = { type: 'string', sensitive: true, nullable: false };
      config.locals[`bare${k}`] = renamed(header.locals.dynatrace_scim_token_bare!, k);
      config.locals[`ok${k}`] = renamed(header.locals.dynatrace_scim_token_ok!, k);
      config.output[`ok${k}`] = { value: renamed(header.condition, k) };
      config.output[`header${k}`] = { value: renamed(header.value, k), sensitive: true };
      config.output[`oauth${k}`] = { value: renamed(oauth.value, k), sensitive: true };
    });
    const run = terraformApply(config, Object.fromEntries(cases.map((raw, k) => [`t${k}`, raw])));
    expect(run.stderr).toBe('');
    cases.forEach((raw, k) => {
      const accepted = tokenProblem(raw) === undefined;
      expect({ raw, accepted: run.outputs[`ok${k}`] }).toEqual({ raw, accepted });
      if (accepted) {
        expect({ raw, header: run.outputs[`header${k}`], oauth: run.outputs[`oauth${k}`] }).toEqual({ raw, header: credentialValue('header', raw), oauth: credentialValue('oauthBearer', raw) });
      }
    });
  });
});

describeWithTerraform('a rejected token never reaches terraform output', () => {
  const { locals, value, condition } = tokenPieces(apiSpec());
  /** The stack's token check, with the Okta connection stood in for by terraform_data. */
  const stack = {
    variable: { dynatrace_scim_token: synthStack(apiSpec()).json.variable!.dynatrace_scim_token },
    locals,
    resource: { terraform_data: { dynatrace_connection: { input: value, lifecycle: { precondition: [{ condition, error_message: TOKEN_ERROR }] } } } },
  };

  it.each([
    ['"Bearer Bearer"', `Bearer Bearer ${TEST_TOKEN}`],
    ['an NBSP after the scheme', `Bearer\u00a0${TEST_TOKEN}`],
    ['a byte-order mark', `\ufeff${TEST_TOKEN}`],
    ['a space inside', `${TEST_TOKEN} ${TEST_TOKEN}`],
  ])('%s: plan fails with the fix, and neither stdout nor stderr holds the token', (_name, raw) => {
    const run = terraformApply(stack, { dynatrace_scim_token: raw });
    expect(run.status).not.toBe(0);
    const output = `${run.stdout}${run.stderr}`;
    expect(output).toContain('Resource precondition failed');
    expect(output).toContain('local.dynatrace_scim_token_ok is false');
    expect(output.replace(/\s+/g, ' ')).toContain(TOKEN_ERROR);
    expect(output).not.toContain(TEST_TOKEN);
    expect(output).not.toContain('TESTTOKEN');
  });

  it('a good token passes the same check', () => {
    expect(terraformApply(stack, { dynatrace_scim_token: `Bearer ${TEST_TOKEN}` }).status).toBe(0);
  });
});

/** Every literal string a stack emits for user text, with the text Pulumi would send for it. */
function literals(spec: ScimIntegrationSpec): { emitted: string; expected: string }[] {
  const resolved = resolveIntegration(spec, 'acme');
  const resources = resourcesOf(synthStack(resolved).json);
  const app = resources['okta_app_auto_login.dynatrace_app'];
  const pairs = [
    { emitted: app!.label as string, expected: resolved.app.type === 'catalog' ? resolved.app.label : '' },
    { emitted: app!.user_name_template as string, expected: resolved.app.username.template },
  ];
  for (const group of resolved.groups) {
    const id = group.key.replace(/-/g, '_');
    const created = resources[`okta_group.dynatrace_group_${id}`];
    const lookup = resources[`data.okta_group.dynatrace_group_${id}`] as { name: string; lifecycle: { postcondition: { error_message: string }[] } } | undefined;
    const push = resources[`okta_push_group.dynatrace_push_${id}`];
    if (created) pairs.push({ emitted: created.name as string, expected: group.name! });
    if (created?.description !== undefined && group.source.kind === 'create') pairs.push({ emitted: created.description as string, expected: group.source.description! });
    if (lookup) pairs.push({ emitted: lookup.name, expected: group.name! }, { emitted: lookup.lifecycle.postcondition[0]!.error_message, expected: `No Okta group is named exactly "${group.name!}" (the provider accepts a group whose name starts with it). Fix the name in the tenants file, or give the group's id.` });
    if (push) pairs.push({ emitted: push.target_group_name as string, expected: group.pushAs! });
  }
  // Dynatrace: the group and policy lookups (names and stop messages) and the bindings' parameter values.
  for (const entry of planResources(resolved)) {
    const id = terraformLogicalId(entry.role, tenantNaming('acme'));
    if (entry.type === 'data' && (entry.kind === 'dynatrace_iam_group' || entry.kind === 'dynatrace_iam_policy')) {
      const lookup = resources[`data.${entry.kind}.${id}`] as { name: string; lifecycle: { postcondition: { error_message: string }[] } };
      pairs.push({ emitted: lookup.name, expected: entry.props.name }, ...entry.checks.map((check, i) => ({ emitted: lookup.lifecycle.postcondition[i]!.error_message, expected: check.message })));
    }
    if (entry.type === 'resource' && entry.kind === 'dynatrace_iam_policy_bindings_v2') {
      const bindings = resources[`${entry.kind}.${id}`] as { policy: { parameters?: Record<string, string> }[] };
      entry.props.policy.forEach((policy, i) => {
        for (const [key, value] of Object.entries(policy.parameters ?? {})) pairs.push({ emitted: bindings.policy[i]!.parameters![key]!, expected: value });
      });
    }
  }
  return pairs;
}

const templateText = fc
  .array(fc.oneof(fc.constantFrom('${', '%{', '$${', '%%{', '$$', '%%', '}', '$', '%', '\\', '"', "'", '${var.dynatrace_scim_token}', '%{ if true }x%{ endif }', 'é', '運用', '👩‍💻'), fc.string({ minLength: 1, maxLength: 4, unit: 'grapheme-ascii' })), { minLength: 1, maxLength: 6 })
  .map((parts) => `x${parts.join('')}x`);

describeWithTerraform('literals evaluate to the text Pulumi sends', () => {
  it('fixed and random strings with ${, %{, $${ and %%{ in every user field', () => {
    const texts = ['Dynatrace ${var.x}', '%{if true}yes%{endif}', 'a $${b} c %%{d}', 'label ${var.dynatrace_scim_token}', '$$${x} %%%{y}', 'quote " back\\slash', ...fc.sample(templateText, { numRuns: 60, seed: 7 })];
    const pairs = texts.flatMap((text, index) =>
      literals(
        headerSpec({
          label: `L ${text}`,
          provisioning: { enabled: true },
          dynatrace: { oauthClient: { clientId: { env: 'ACME_DT_CLIENT_ID' }, clientSecret: { env: 'ACME_DT_CLIENT_SECRET' } } },
          groups: [
            { name: `G${index} ${text}`, push: true, pushAs: `P ${text}`, policies: [{ name: `N ${text}`, environment: 'abc12345', parameters: { team: `V ${text}` } }] },
            { name: `C${index} ${text}`, create: true, description: `D ${text}` },
          ],
        }),
      ),
    );
    const run = terraformApply({ output: Object.fromEntries(pairs.map((pair, k) => [`o${k}`, { value: pair.emitted }])) });
    expect(run.stderr).toBe('');
    pairs.forEach((pair, k) => expect({ emitted: pair.emitted, evaluated: run.outputs[`o${k}`] }).toEqual({ emitted: pair.emitted, evaluated: pair.expected }));
    expect(pairs.length).toBeGreaterThan(600);
  });

  it('the e-mail username template reaches Okta as ${source.email}', () => {
    const template = resourcesOf(synthStack(headerSpec()).json)['okta_app_auto_login.dynatrace_app']!.user_name_template;
    expect(terraformApply({ output: { t: { value: template } } }).outputs.t).toBe('${source.email}');
  });
});

describeWithTerraform('lookup postconditions compare with the exact text', () => {
  /** Each data source's postcondition on a terraform_data holding `found` as its output. */
  function checked(json: TerraformJson, found: (expected: string) => string): object {
    const resource: Record<string, object> = {};
    for (const [type, byName] of Object.entries(json.data ?? {})) {
      for (const [name, body] of Object.entries(byName)) {
        const { lifecycle } = body as { lifecycle?: { postcondition: { condition: string; error_message: string }[] } };
        for (const [index, post] of (lifecycle?.postcondition ?? []).entries()) {
          const expected = /== (".*")\}$/.exec(post.condition)![1]!;
          resource[`${type}_${name}_${index}`] = { input: found(JSON.parse(expected.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{')) as string), lifecycle: { postcondition: [{ ...post, condition: post.condition.replace(/self\.(label|name)/, 'self.output') }] } };
        }
      }
    }
    return { resource: { terraform_data: resource } };
  }

  const text = 'Dyna "trace" \\ ${x} %{y} $${z}';
  const json = synthStack(ssoSpec({ ssoApp: { label: text }, groups: [{ name: text }, { name: `${text} 2` }] })).json;

  it('accept the object whose label or name is exactly the configured text', () => {
    const run = terraformApply(checked(json, (expected) => escapeTemplate(expected)));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('refuse a prefix match with the message', () => {
    const run = terraformApply(checked(json, (expected) => escapeTemplate(`${expected} (old)`)));
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).toContain('Resource postcondition failed');
    expect(run.stdout + run.stderr).toContain('No Okta app is labelled exactly');
  });
});

/**
 * What a lookup's provider answers when nothing matches: the Dynatrace IAM lookups call `SetId("")` and
 * terraform-plugin-sdk v2 turns that into an object whose attributes are all null; other providers may
 * answer "". Every emitted condition must stop the plan on both. The object stands in for the data
 * source with exactly its attributes (from the provider schema fixtures) on a `terraform_data`, whose
 * `output` holds it; the condition is the one from the synthesized JSON with `self.` read as `self.output.`.
 */
describeWithTerraform('lookup conditions reject null and "" alike', () => {
  const json = synthStack(
    ssoSpec({
      ssoApp: { label: 'Dynatrace SSO' },
      provisioning: { enabled: true },
      groups: [{ name: 'Dynatrace Users', push: true, policies: [{ name: 'Standard User', environment: 'abc12345' }] }],
      dynatrace: { oauthClient: { clientId: { env: 'ACME_DT_CLIENT_ID' }, clientSecret: { env: 'ACME_DT_CLIENT_SECRET' } } },
    }),
  ).json;
  const schemas: Record<string, { data_sources: Record<string, { attributes: Record<string, unknown> }> }> = { okta: oktaSchema, dynatrace: dynatraceSchema };
  const lookups = Object.entries(json.data ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName).flatMap(([name, body]) =>
      ((body as { lifecycle?: { postcondition: { condition: string; error_message: string }[] } }).lifecycle?.postcondition ?? []).map((post) => ({
        address: `${type}_${name}`,
        attributes: Object.keys(schemas[type.split('_')[0]!]!.data_sources[type]!.attributes),
        checked: /self\.(\w+)/.exec(post.condition)![1]!,
        post,
      })),
    ),
  );
  const literal = (text: string): string => text.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
  /** One terraform_data per condition, holding the answer `answer` builds from the data source's attributes. */
  const stack = (answer: (lookup: (typeof lookups)[number]) => Record<string, unknown>) => ({
    resource: {
      terraform_data: Object.fromEntries(
        lookups.map((lookup) => [lookup.address, { input: answer(lookup), lifecycle: { postcondition: [{ ...lookup.post, condition: lookup.post.condition.replace(/\bself\./g, 'self.output.') }] } }]),
      ),
    },
  });
  const allNull = (lookup: (typeof lookups)[number]) => Object.fromEntries(lookup.attributes.map((attribute) => [attribute, null]));

  it('covers every kind of lookup the stacks emit', () => {
    expect(lookups.map((l) => [l.address, l.checked]).sort()).toEqual([
      ['dynatrace_iam_group_dynatrace_iam_group_dynatrace_users', 'id'],
      ['dynatrace_iam_policy_dynatrace_iam_policy_standard_user', 'uuid'],
      ['okta_app_dynatrace_app', 'label'],
      ['okta_group_dynatrace_group_dynatrace_users', 'name'],
    ]);
    expect(lookups.every((l) => l.attributes.includes(l.checked))).toBe(true);
  });

  it.each([
    ['all attributes null (terraform-plugin-sdk v2 after SetId(""))', allNull],
    ['the checked attribute ""', (lookup: (typeof lookups)[number]) => ({ ...allNull(lookup), [lookup.checked]: '' })],
  ])('%s: every condition stops the plan with its message', (_name, answer) => {
    const run = terraformApply(stack(answer));
    expect(run.status).not.toBe(0);
    const output = `${run.stdout}${run.stderr}`.replace(/\s+/g, ' ');
    expect(output.split('Resource postcondition failed').length - 1).toBe(lookups.length);
    for (const lookup of lookups) expect(output).toContain(literal(lookup.post.error_message).replace(/\s+/g, ' '));
  });

  it('an answer with the object found passes every condition', () => {
    const found = (lookup: (typeof lookups)[number]) => {
      const equals = /== (".*")\}$/.exec(lookup.post.condition)?.[1];
      return { ...allNull(lookup), [lookup.checked]: equals === undefined ? '8f5e2c1a-0b3d-4e6f-9a7b-1c2d3e4f5a6b' : (JSON.parse(literal(equals)) as string) };
    };
    const run = terraformApply(stack(found));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});

describeWithTerraform('prevent_destroy does not survive a change of resource type', () => {
  it('the old block leaves the configuration with its guard, and the plan destroys what it held', () => {
    // Two addresses stand for okta_app_auto_login.dynatrace_app and okta_app_saml.dynatrace_app (terraform_data is the only built-in type).
    const app = (address: string) => ({ resource: { terraform_data: { [address]: { input: 'Dynatrace SCIM', lifecycle: { prevent_destroy: true } } } } });
    const run = terraformPlanAfter(app('auto_login_dynatrace_app'), app('saml_dynatrace_app'));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('terraform_data.auto_login_dynatrace_app will be destroyed');
    expect(run.stdout).toContain('Plan: 1 to add, 0 to change, 1 to destroy.');
  });
});
