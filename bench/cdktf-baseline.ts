/**
 * Baseline (b): a minimal hand-written CDKTF app that creates the same Terraform objects as
 * `TenantStack` — same classes (from `constructs/cdktf/okta-provider.ts`), same attributes, logical ids
 * and variable — straight from the tenant data, with no model, no validation and no neutral plan in
 * between. `test/bench.test.ts` proves it synthesizes the same resources as ours.
 */
// The escape-hatch config types extend TerraformResourceConfig, which requires `terraformResourceType`
// (the class supplies it); ours casts too (scim-integration.ts `instantiate`), so the casts below match.
import { join, relative, resolve } from 'node:path';
import { App, Fn, LocalBackend, TerraformStack, TerraformVariable } from 'cdktf';
import { AppAutoLogin, AppConnection, AppFeatures, AppGroupAssignment, AppSaml, DataOktaGroup, Group, OktaProvider, PushGroup } from '../constructs/cdktf/okta-provider';
import type { BenchTenant } from './generate';

const SCHEME = '(?i)^bearer([[:space:]]+|$)';
const DOUBLED = '(?i)^bearer[[:space:]]+bearer([[:space:]]|$)';

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
  const appConfig = { label: s.label, preconfiguredApp: s.authMode === 'header' ? 'scim2headerauth' : 'scim2testapp', status: s.status, lifecycle };
  const app_ = s.signOn === 'saml' ? new AppSaml(stack, 'dynatrace_app', appConfig) : new AppAutoLogin(stack, 'dynatrace_app', appConfig);
  app_.overrideLogicalId('dynatrace_app');
  const managed = s.connection === 'managed';

  if (managed) {
    const variable = new TerraformVariable(stack, 'dynatrace_scim_token', {
      type: 'string',
      sensitive: true,
      nullable: false,
      description: `Dynatrace SCIM token (raw; a pasted "Bearer " prefix is accepted). Set TF_VAR_dynatrace_scim_token. CI maps it from $${s.scimToken.env}.`,
      validation: [
        {
          condition: `\${length(trimspace(var.dynatrace_scim_token)) > 0 && length(regexall("${DOUBLED}", trimspace(var.dynatrace_scim_token))) == 0 && length(trimspace(replace(trimspace(var.dynatrace_scim_token), "/${SCHEME}/", ""))) > 0}`,
          errorMessage: 'The Dynatrace SCIM token is empty or starts with "Bearer Bearer". Store the raw token (a single "Bearer " prefix is accepted).',
        },
      ],
    });
    variable.overrideLogicalId('dynatrace_scim_token');
    const bare = Fn.trimspace(Fn.replace(Fn.trimspace(variable.stringValue), `/${SCHEME}/`, ''));
    new AppConnection(stack, 'dynatrace_connection', {
      id: app_.id,
      baseUrl: s.scimBaseUrl,
      action: 'activate',
      profile: { authScheme: 'TOKEN', token: s.authMode === 'header' ? `Bearer ${bare}` : bare },
      lifecycle,
    }).overrideLogicalId('dynatrace_connection');
    const on = (flag: boolean) => (flag ? 'ENABLED' : 'DISABLED');
    new AppFeatures(stack, 'dynatrace_features', {
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
    }).overrideLogicalId('dynatrace_features');
  }

  for (const g of s.groups) {
    const key = g.key.replace(/-/g, '_');
    const groupLid = `dynatrace_group_${key}`;
    let groupId: string;
    if (g.kind === 'id') {
      groupId = g.id!;
    } else if (g.kind === 'lookup') {
      const data = new DataOktaGroup(stack, groupLid, { name: g.name });
      data.overrideLogicalId(groupLid);
      groupId = data.id;
    } else {
      const group = new Group(stack, groupLid, { name: g.name, ...(g.description ? { description: g.description } : {}) });
      group.overrideLogicalId(groupLid);
      groupId = group.id;
    }
    const assignmentLid = `dynatrace_assignment_${key}`;
    new AppGroupAssignment(stack, assignmentLid, { appId: app_.id, groupId, ...(g.priority !== undefined ? { priority: g.priority } : {}), retainAssignment: retain }).overrideLogicalId(assignmentLid);
    if (g.push && managed) {
      const pushLid = `dynatrace_push_${key}`;
      new PushGroup(stack, pushLid, { appId: app_.id, sourceGroupId: groupId, targetGroupName: g.pushAs!, status: 'ACTIVE', deleteTargetGroupOnDestroy: !retain }).overrideLogicalId(pushLid);
    }
  }
}
