/**
 * Baseline (d): a minimal hand-written Pulumi program that creates the same `@pulumi/okta` and Dynatrace
 * resources as `tenantProgram` (same classes, names, inputs, options) straight from the tenant data, with
 * no model, no validation, no neutral plan and no component in between: the test apps, the existing SSO
 * app, the API path and the policy bindings. Rendered as ours is (`renderEach`). `test/bench.test.ts`
 * proves it registers the same resources and invokes as ours.
 */
import * as pulumi from '@pulumi/pulumi';
import { AutoLogin } from '@pulumi/okta/app/autoLogin';
import { Connection } from '@pulumi/okta/app/connection';
import { Features } from '@pulumi/okta/app/features';
import { getAppOutput } from '@pulumi/okta/app/getApp';
import { GroupAssignment } from '@pulumi/okta/app/groupAssignment';
import { Saml } from '@pulumi/okta/app/saml';
import { getGroupOutput } from '@pulumi/okta/group/getGroup';
import { Group } from '@pulumi/okta/group/group';
import { Provider } from '@pulumi/okta/provider';
import { PushGroup } from '@pulumi/okta/pushGroup';
import { DynatraceProvider, getIamGroupOutput, getIamPolicyOutput, IamPolicyBindingsV2, type IamPolicyBindingsV2PolicyArgs } from '../constructs/pulumi/dynatrace-package';
import type { BenchGroup, BenchTenant } from './generate';
import { runOffline } from '../constructs/pulumi/offline';
import { renderEach, type Timed } from './render-each';

export function render(tenants: readonly BenchTenant[], tokenValue: string): Promise<Timed> {
  return renderEach(tenants, (tenant) => program(tenant, tokenValue), runOffline);
}

function program(t: BenchTenant, tokenValue: string): pulumi.Resource[] {
  const c = t.okta.credentials;
  const provider = new Provider(t.name, {
    orgName: t.okta.orgName,
    baseUrl: t.okta.baseDomain,
    ...(c.type === 'privateKey' ? { clientId: c.clientId, scopes: [...c.scopes], ...(c.privateKeyId ? { privateKeyId: c.privateKeyId } : {}) } : {}),
  });
  const s = t.integration;
  const retain = s.removalPolicy === 'retain';
  const api = s.provisioning.setup === 'api';
  const pushes = api || s.provisioning.enabled === true;
  const out: pulumi.Resource[] = [];
  let app: { id: pulumi.Output<string> };
  if ('ssoApp' in s) {
    const sso = s.ssoApp;
    const found = getAppOutput('id' in sso ? { id: sso.id } : { label: sso.label }, { provider }).apply((result) => {
      if ('label' in sso && result.label !== sso.label) throw new Error(`No Okta app is labelled exactly "${sso.label}"`);
      return result;
    });
    app = { id: found.apply((result) => result.id!) };
  } else {
    const appArgs = { label: s.label, preconfiguredApp: s.authMode === 'header' ? 'scim2headerauth' : 'scim2testapp', status: s.status, userNameTemplate: '${source.email}', userNameTemplateType: 'BUILT_IN' };
    const appOpts = { provider, protect: retain };
    const resource = s.signOn === 'saml' ? new Saml(`${t.name}-app`, appArgs, appOpts) : new AutoLogin(`${t.name}-app`, appArgs, { ...appOpts, ignoreChanges: ['preconfiguredApp'] });
    out.push(resource);
    app = resource;
  }

  let features: Features | undefined;
  if (api) {
    const prefix = 'authMode' in s && s.authMode === 'header' ? 'Bearer ' : '';
    const token = pulumi.secret(tokenValue).apply((raw) => `${prefix}${raw.trim()}`);
    const on = (flag: boolean) => (flag ? 'ENABLED' : 'DISABLED');
    features = new Features(
        `${t.name}-features`,
        {
          appId: app.id,
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
        },
        { provider, protect: false },
      );
    out.push(new Connection(`${t.name}-connection`, { idProperty: app.id, baseUrl: s.scimBaseUrl, action: 'activate', profile: { authScheme: 'TOKEN', token } }, { provider, protect: retain }), features);
  }

  const pushed = new Map<string, PushGroup>();
  for (const g of s.groups) {
    let groupId: pulumi.Input<string>;
    if (g.kind === 'id') {
      groupId = g.id!;
    } else if (g.kind === 'lookup') {
      groupId = getGroupOutput({ name: g.name, type: 'OKTA_GROUP' }, { provider }).apply((found) => {
        if (found.name !== g.name) throw new Error(`No Okta group is named exactly "${g.name}"`);
        return found.id;
      });
    } else {
      const group = new Group(`${t.name}-group-${g.key}`, { name: g.name, ...(g.description ? { description: g.description } : {}) }, { provider, protect: false });
      out.push(group);
      groupId = group.id;
    }
    out.push(
      new GroupAssignment(`${t.name}-assignment-${g.key}`, { appId: app.id, groupId, ...(g.priority !== undefined ? { priority: g.priority } : {}), retainAssignment: retain }, { provider, protect: false }),
    );
    if (g.push && pushes) {
      const push = new PushGroup(
        `${t.name}-push-${g.key}`,
        { appId: app.id, sourceGroupId: groupId, targetGroupName: g.pushAs!, status: 'ACTIVE', deleteTargetGroupOnDestroy: !retain },
        { provider, protect: false, ...(features ? { dependsOn: [features] } : {}) },
      );
      out.push(push);
      pushed.set(g.key, push);
    }
  }
  const bound = s.groups.filter((g) => g.policies && pushed.has(g.key));
  if (s.dynatrace && bound.length > 0) out.push(...bindPolicies(t.name, s.scimBaseUrl, bound, pushed, retain));
  return out;
}

/** The pushed groups' Dynatrace policy bindings: provider, group and policy lookups, one bindings resource per group and level. */
function bindPolicies(tenant: string, scimBaseUrl: string, groups: readonly BenchGroup[], pushed: ReadonlyMap<string, PushGroup>, retain: boolean): pulumi.Resource[] {
  const account = /\/scim\/([0-9a-f-]+)\/v2$/.exec(scimBaseUrl)![1]!;
  const provider = new DynatraceProvider(tenant, { iamAccountId: account });
  const out: pulumi.Resource[] = [provider];
  const policyLookups = new Map<string, pulumi.Output<string>>();
  const policyUuid = (name: string, definedIn: 'global' | 'account' | 'environment', environment: string): pulumi.Output<string> => {
    const where = { global: {}, account: { account }, environment: { environment } }[definedIn];
    const key = JSON.stringify([name, where]);
    let uuid = policyLookups.get(key);
    if (!uuid) {
      uuid = getIamPolicyOutput({ name, ...where }, { provider }).apply((found) => {
        if (!found.uuid) throw new Error(`policy "${name}" is not defined there`);
        return found.uuid;
      });
      policyLookups.set(key, uuid);
    }
    return uuid;
  };
  for (const g of groups) {
    const group = getIamGroupOutput({ name: g.pushAs! }, { provider, dependsOn: [pushed.get(g.key)!] }).apply((found) => {
      if (!found.id) throw new Error(`group "${g.pushAs!}" is not in Dynatrace yet`);
      return found.id;
    });
    const levels = new Map<string, { account?: string; environment?: string; policies: IamPolicyBindingsV2PolicyArgs[] }>();
    for (const p of g.policies!) {
      const level = p.account ? 'account' : `env-${p.environment}`;
      const entry = levels.get(level) ?? { ...(p.account ? { account } : { environment: p.environment! }), policies: [] };
      const id = p.uuid ?? policyUuid(p.name!, p.definedIn ?? 'global', p.environment ?? '');
      entry.policies.push({ id, ...(p.parameters ? { parameters: { ...p.parameters } } : {}), ...(p.boundaries ? { boundaries: [...p.boundaries] } : {}) });
      levels.set(level, entry);
    }
    for (const [level, binding] of levels) out.push(new IamPolicyBindingsV2(`${tenant}-iam-bindings-${g.key}-${level}`, { group, ...binding }, { provider, protect: retain }));
  }
  return out;
}
