/**
 * Baseline (d): a minimal hand-written Pulumi program that creates the same `@pulumi/okta` resources as
 * `tenantProgram` (same classes, names, inputs, options) straight from the tenant data, with no model,
 * no validation, no neutral plan and no component in between. Rendered as ours is (`renderEach`).
 * `test/bench.test.ts` proves it registers the same resources as ours.
 */
import * as pulumi from '@pulumi/pulumi';
import { AutoLogin } from '@pulumi/okta/app/autoLogin';
import { Connection } from '@pulumi/okta/app/connection';
import { Features } from '@pulumi/okta/app/features';
import { GroupAssignment } from '@pulumi/okta/app/groupAssignment';
import { Saml } from '@pulumi/okta/app/saml';
import { getGroupOutput } from '@pulumi/okta/group/getGroup';
import { Group } from '@pulumi/okta/group/group';
import { Provider } from '@pulumi/okta/provider';
import { PushGroup } from '@pulumi/okta/pushGroup';
import type { BenchTenant } from './generate';
import { renderEach, type Timed } from './render-each';

export function render(tenants: readonly BenchTenant[], tokenValue: string): Promise<Timed> {
  return renderEach(tenants, (tenant) => program(tenant, tokenValue));
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
  const appArgs = { label: s.label, preconfiguredApp: s.authMode === 'header' ? 'scim2headerauth' : 'scim2testapp', status: s.status, userNameTemplate: '${source.email}', userNameTemplateType: 'BUILT_IN' };
  const appOpts = { provider, protect: retain };
  const app = s.signOn === 'saml' ? new Saml(`${t.name}-app`, appArgs, appOpts) : new AutoLogin(`${t.name}-app`, appArgs, appOpts);
  out.push(app);

  let features: Features | undefined;
  if (api) {
    const prefix = s.authMode === 'header' ? 'Bearer ' : '';
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
      out.push(
        new PushGroup(
          `${t.name}-push-${g.key}`,
          { appId: app.id, sourceGroupId: groupId, targetGroupName: g.pushAs!, status: 'ACTIVE', deleteTargetGroupOnDestroy: !retain },
          { provider, protect: false, ...(features ? { dependsOn: [features] } : {}) },
        ),
      );
    }
  }
  return out;
}
