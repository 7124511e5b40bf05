/**
 * Baseline (b): a minimal hand-written CDKTF app that creates the same Terraform objects as
 * `TenantStack` — same classes (from `constructs/cdktf/okta-provider.ts` and `dynatrace-provider.ts`),
 * same attributes, logical ids and variable — straight from the tenant data, with no model, no validation
 * and no neutral plan in between: the test apps, the existing SSO app, the API path and the Dynatrace
 * policy bindings. `test/bench.test.ts` proves it synthesizes the same resources as ours.
 */
// The escape-hatch config types extend TerraformResourceConfig, which requires `terraformResourceType`
// (the class supplies it); ours casts too (scim-integration.ts `instantiate`), so the casts below match.
import { join, relative, resolve } from 'node:path';
import { App, LocalBackend, TerraformLocal, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import { DataDynatraceIamGroup, DataDynatraceIamPolicy, DynatraceIamPolicyBindingsV2, type DynatraceIamPolicyBindingsV2Policy, DynatraceProvider } from '../constructs/cdktf/dynatrace-provider';
import { AppAutoLogin, AppConnection, AppFeatures, AppGroupAssignment, AppSaml, DataOktaApp, DataOktaGroup, Group, OktaProvider, PushGroup } from '../constructs/cdktf/okta-provider';
import { missingGroupMessage, missingPolicyMessage } from '../constructs/dynatrace/lookup-messages';
import type { BenchGroup, BenchTenant } from './generate';

// The token check as literal HCL (what the renderer derives from CREDENTIAL_RULE); `\\t` is HCL for `\t`.
const TRIMMED = String.raw`replace(var.dynatrace_scim_token, "/^[ \\t\\r\\n]+|[ \\t\\r\\n]+$/", "")`;
const BARE = String.raw`${'$'}{replace(${TRIMMED}, "/(?i)^bearer([ \\t]+|$)/", "")}`;
const OK = String.raw`${'$'}{nonsensitive(!can(regex("(?i)^bearer[ \\t]+bearer([ \\t]|$)", ${TRIMMED})) && can(regex("^[!-~]+$", local.dynatrace_scim_token_bare)))}`;
const TOKEN_ERROR =
  'The Dynatrace SCIM token is empty, starts with "Bearer Bearer", or contains spaces, control or non-ASCII characters (a copy-paste artefact such as a non-breaking space). Store the raw token as plain ASCII; a single "Bearer " prefix is accepted.';

export function buildApp(tenants: readonly BenchTenant[], outdir: string): App {
  const app = new App({ outdir });
  for (const tenant of tenants) buildStack(app, tenant);
  return app;
}

function buildStack(app: App, t: BenchTenant): void {
  const stack = new TerraformStack(app, t.name);
  // Local state beside the project, written relative to the stack folder (as TenantStack does).
  new LocalBackend(stack, { path: relative(join(app.outdir, 'stacks', t.name), resolve(process.cwd(), `terraform.${t.name}.tfstate`)) });
  const c = t.okta.credentials;
  new OktaProvider(stack, 'okta', {
    orgName: t.okta.orgName,
    baseUrl: t.okta.baseDomain,
    ...(c.type === 'privateKey' ? { clientId: c.clientId, scopes: c.scopes, ...(c.privateKeyId ? { privateKeyId: c.privateKeyId } : {}) } : {}),
  });
  const s = t.integration;
  const retain = s.removalPolicy === 'retain';
  const lifecycle = retain ? { preventDestroy: true } : undefined;
  let app_: { id: string; name: string };
  if ('ssoApp' in s) {
    const sso = s.ssoApp;
    const config =
      'id' in sso
        ? { id: sso.id }
        : {
            label: sso.label,
            lifecycle: {
              postcondition: [
                {
                  condition: `\${self.label == "${sso.label}"}`,
                  errorMessage: `No Okta app is labelled exactly "${sso.label}" (the provider falls back to the first app whose label starts with it). Fix ssoApp.label, or give ssoApp.id.`,
                },
              ],
            },
          };
    const data = new DataOktaApp(stack, 'dynatrace_app', config);
    data.overrideLogicalId('dynatrace_app');
    app_ = data;
  } else {
    const appConfig = {
      label: s.label.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{'),
      preconfiguredApp: s.authMode === 'header' ? 'scim2headerauth' : 'scim2testapp',
      status: s.status,
      userNameTemplate: '$${source.email}',
      userNameTemplateType: 'BUILT_IN',
      lifecycle,
    };
    // okta_app_auto_login does not read preconfigured_app back: changes of it are ignored after creation.
    const resource =
      s.signOn === 'saml'
        ? new AppSaml(stack, 'dynatrace_app', appConfig)
        : new AppAutoLogin(stack, 'dynatrace_app', { ...appConfig, lifecycle: { ...lifecycle, ignoreChanges: ['preconfigured_app'] } });
    resource.overrideLogicalId('dynatrace_app');
    app_ = resource;
  }
  new TerraformOutput(stack, 'okta_app_id', { value: app_.id, description: 'Id of the Okta app that provisions Dynatrace' });
  new TerraformOutput(stack, 'okta_app_admin_url', {
    value: `https://${t.okta.orgName}-admin.${t.okta.baseDomain}/admin/app/${app_.name}/instance/${app_.id}/#tab-user-management`,
    description: 'The app in the Okta admin console, on its Provisioning tab (where the console step happens)',
  });
  const api = s.provisioning.setup === 'api';
  const pushes = api || s.provisioning.enabled === true;
  let features: AppFeatures | undefined;

  if (api) {
    const variable = new TerraformVariable(stack, 'dynatrace_scim_token', {
      type: 'string',
      sensitive: true,
      nullable: false,
      description: `Dynatrace SCIM token (raw; a pasted "Bearer " prefix is accepted). Set TF_VAR_dynatrace_scim_token. CI maps it from $${s.scimToken.env}.`,
    });
    variable.overrideLogicalId('dynatrace_scim_token');
    new TerraformLocal(stack, 'dynatrace_scim_token_bare', BARE).overrideLogicalId('dynatrace_scim_token_bare');
    new TerraformLocal(stack, 'dynatrace_scim_token_ok', OK).overrideLogicalId('dynatrace_scim_token_ok');
    new AppConnection(stack, 'dynatrace_connection', {
      id: app_.id,
      baseUrl: s.scimBaseUrl,
      action: 'activate',
      profile: { authScheme: 'TOKEN', token: `${'authMode' in s && s.authMode === 'header' ? 'Bearer ' : ''}\${local.dynatrace_scim_token_bare}` },
      lifecycle: { ...lifecycle, precondition: [{ condition: '${local.dynatrace_scim_token_ok}', errorMessage: TOKEN_ERROR }] },
    }).overrideLogicalId('dynatrace_connection');
    const on = (flag: boolean) => (flag ? 'ENABLED' : 'DISABLED');
    features = new AppFeatures(stack, 'dynatrace_features', {
      appId: app_.id,
      name: 'USER_PROVISIONING',
      status: 'ENABLED',
      capabilities: {
        create: { lifecycleCreate: { status: on(s.provisioning.createUsers) } },
        update: {
          lifecycleDeactivate: { status: on(s.provisioning.deactivateUsers) },
          profile: { status: on(s.provisioning.updateUserAttributes) },
          password: { status: on(s.provisioning.syncPassword), seed: 'RANDOM', change: 'KEEP_EXISTING' },
        },
      },
    });
    features.overrideLogicalId('dynatrace_features');
  }

  const pushed = new Map<string, PushGroup>();
  for (const g of s.groups) {
    const key = g.key.replace(/-/g, '_');
    const groupLid = `dynatrace_group_${key}`;
    let groupId: string;
    if (g.kind === 'id') {
      groupId = g.id!;
    } else if (g.kind === 'lookup') {
      const data = new DataOktaGroup(stack, groupLid, {
        name: g.name,
        type: 'OKTA_GROUP',
        lifecycle: {
          postcondition: [
            {
              condition: `\${self.name == "${g.name}"}`,
              errorMessage: `No Okta group is named exactly "${g.name}" (the provider accepts a group whose name starts with it). Fix the name in the tenants file, or give the group's id.`,
            },
          ],
        },
      });
      data.overrideLogicalId(groupLid);
      groupId = data.id;
    } else {
      const group = new Group(stack, groupLid, { name: g.name, ...(g.description ? { description: g.description } : {}) });
      group.overrideLogicalId(groupLid);
      groupId = group.id;
    }
    const assignmentLid = `dynatrace_assignment_${key}`;
    new AppGroupAssignment(stack, assignmentLid, { appId: app_.id, groupId, ...(g.priority !== undefined ? { priority: g.priority } : {}), retainAssignment: retain }).overrideLogicalId(assignmentLid);
    if (g.push && pushes) {
      const pushLid = `dynatrace_push_${key}`;
      const push = new PushGroup(stack, pushLid, {
        appId: app_.id,
        sourceGroupId: groupId,
        targetGroupName: g.pushAs!,
        status: 'ACTIVE',
        deleteTargetGroupOnDestroy: !retain,
        ...(features ? { dependsOn: [features] } : {}),
      });
      push.overrideLogicalId(pushLid);
      pushed.set(g.key, push);
    }
  }
  const bound = s.groups.filter((g) => g.policies && pushed.has(g.key));
  if (s.dynatrace && bound.length > 0) bindPolicies(stack, s.scimBaseUrl, bound, pushed, retain);
}

/** The pushed groups' Dynatrace policy bindings: provider, group and policy lookups, one bindings resource per group and level. */
function bindPolicies(stack: TerraformStack, scimBaseUrl: string, groups: readonly BenchGroup[], pushed: ReadonlyMap<string, PushGroup>, retain: boolean): void {
  const account = /\/scim\/([0-9a-f-]+)\/v2$/.exec(scimBaseUrl)![1]!;
  new DynatraceProvider(stack, 'dynatrace_provider', { iamAccountId: account });
  const policyLookups = new Map<string, DataDynatraceIamPolicy>();
  const policyUuid = (name: string, definedIn: 'global' | 'account' | 'environment', environment: string): string => {
    const where = { global: { suffix: '', config: {}, at: 'global' }, account: { suffix: '_account', config: { account }, at: `account ${account}` }, environment: { suffix: `_env_${environment}`, config: { environment }, at: `environment ${environment}` } }[definedIn];
    const lid = `dynatrace_iam_policy_${name.toLowerCase().replace(/[^a-z0-9]+/g, '_')}${where.suffix}`;
    let lookup = policyLookups.get(lid);
    if (!lookup) {
      lookup = new DataDynatraceIamPolicy(stack, lid, { name, ...where.config, lifecycle: { postcondition: [{ condition: '${self.uuid != null && self.uuid != ""}', errorMessage: missingPolicyMessage(name, where.at) }] } });
      lookup.overrideLogicalId(lid);
      policyLookups.set(lid, lookup);
    }
    return lookup.uuid;
  };
  for (const g of groups) {
    const key = g.key.replace(/-/g, '_');
    const group = new DataDynatraceIamGroup(stack, `dynatrace_iam_group_${key}`, {
      name: g.pushAs!,
      dependsOn: [pushed.get(g.key)!],
      lifecycle: { postcondition: [{ condition: '${self.id != null && self.id != ""}', errorMessage: missingGroupMessage(g.pushAs!) }] },
    });
    group.overrideLogicalId(`dynatrace_iam_group_${key}`);
    const levels = new Map<string, { account?: string; environment?: string; policy: DynatraceIamPolicyBindingsV2Policy[] }>();
    for (const p of g.policies!) {
      const level = p.account ? 'account' : `env_${p.environment}`;
      const entry = levels.get(level) ?? { ...(p.account ? { account } : { environment: p.environment! }), policy: [] };
      const id = p.uuid ?? policyUuid(p.name!, p.definedIn ?? 'global', p.environment ?? '');
      entry.policy.push({ id, ...(p.parameters ? { parameters: { ...p.parameters } } : {}), ...(p.boundaries ? { boundaries: [...p.boundaries] } : {}) });
      levels.set(level, entry);
    }
    for (const [level, binding] of levels) {
      const lid = `dynatrace_iam_bindings_${key}_${level}`;
      new DynatraceIamPolicyBindingsV2(stack, lid, { group: group.id, ...binding, ...(retain ? { lifecycle: { preventDestroy: true } } : {}) }).overrideLogicalId(lid);
    }
  }
}
