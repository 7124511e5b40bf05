/**
 * The review command on prepared git histories: a temp repository per case, tenants.yaml committed, then
 * changed in the working tree (or committed again), reviewed against the base commit.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runReview } from '../cli/commands/review';
import type { Io } from '../cli/commands/output';
import type { ScimIntegrationSpec } from '../constructs/model/spec';
import { resolveTenant } from '../constructs/model/tenant';
import type { Engine } from '../constructs/resources/names';
import { reviewTenants } from '../operations/review/diff';
import { headerSpec, ssoSpec, TEST_TOKEN } from './support/specs';

interface Tenant {
  name?: string;
  provisioning?: string;
  app?: string;
  username?: string;
  authMode?: string;
  signOn?: string;
  removalPolicy?: string;
  deactivateUsers?: boolean;
  existingAppId?: string;
  groups?: string;
  orgName?: string;
  backend?: string;
}

const GROUPS = `
      groups:
        - { name: Dynatrace Admins, push: true, priority: 0 }
        - { name: Dynatrace Viewers, create: true, push: true, pushAs: DT Viewers }
        - { id: 00g1a2b3c4d5e6f7g8h9, key: sre, name: SRE }`;

function tenantYaml(t: Tenant = {}): string {
  const app = t.app ?? `label: Dynatrace SCIM\n      authMode: ${t.authMode ?? 'header'}\n      signOn: ${t.signOn ?? 'autoLogin'}`;
  return `  - name: ${t.name ?? 'acme'}
    okta: { orgName: ${t.orgName ?? 'acme'} }
    integration:
      ${app}
      scimBaseUrl: https://api.sso.dynatrace.com/idm/public/scim/6f0c2a1e-3b7d-4c1e-9a55-2d8e4b7f9c10/v2
      scimToken: { env: ACME_DT_SCIM_TOKEN }
      removalPolicy: ${t.removalPolicy ?? 'retain'}${t.username ? `\n      username: ${t.username}` : ''}
      provisioning: { deactivateUsers: ${t.deactivateUsers ?? true}, ${t.provisioning ?? 'enabled: true'} }${t.existingAppId ? `\n      existingAppId: ${t.existingAppId}` : ''}${t.groups ?? GROUPS}
${t.backend ? `    backend: ${t.backend}\n` : ''}`;
}

const file = (...tenants: Tenant[]): string => `tenants:\n${tenants.map(tenantYaml).join('')}`;

class Repo {
  readonly dir = mkdtempSync(join(tmpdir(), 'review-'));
  constructor() {
    this.git('init', '-q', '-b', 'main');
    this.git('config', 'user.email', 'test@example.com');
    this.git('config', 'user.name', 'test');
    this.git('config', 'commit.gpgsign', 'false');
  }
  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, encoding: 'utf8' });
  }
  write(text: string, name = 'tenants.yaml'): this {
    writeFileSync(join(this.dir, name), text);
    return this;
  }
  commit(message = 'change'): this {
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this;
  }
  review(base = 'main', options: { engine?: 'terraform' | 'pulumi'; json?: boolean } = {}): { code: number; out: string } {
    let out = '';
    const sink = new Writable({ write(chunk, _enc, done) { out += String(chunk); done(); } });
    const io: Io = { stdout: sink, stderr: sink, env: {} };
    const code = runReview({ base, tenants: join(this.dir, 'tenants.yaml'), ...options }, io);
    return { code, out };
  }
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function reviewOf(before: string, after: string, options: { engine?: 'terraform' | 'pulumi'; json?: boolean } = {}): { code: number; out: string } {
  const repo = new Repo().write(before).commit('base');
  try {
    return repo.write(after).review('main', options);
  } finally {
    repo.remove();
  }
}

describe('review on prepared git histories', () => {
  it('no-op: same file → exit 0, nothing dangerous', () => {
    const { code, out } = reviewOf(file({}), file({}));
    expect(code).toBe(0);
    expect(out).toContain('No change to any tenant.');
    expect(out).not.toContain('Dangerous');
  });

  it('a label edit is a plain in-place change (exit 0)', () => {
    const { code, out } = reviewOf(file({}), file({}).replace('label: Dynatrace SCIM', 'label: Dynatrace'));
    expect(code).toBe(0);
    expect(out).toContain('No dangerous change.');
    expect(out).toContain('- `okta_app_auto_login.dynatrace_app`\n  - `label`: `"Dynatrace SCIM"` → `"Dynatrace"`');
  });

  it('switching auth mode replaces the Okta app and deprovisions users', () => {
    const { code, out } = reviewOf(file({ provisioning: 'setup: api' }), file({ authMode: 'oauthBearer', provisioning: 'setup: api' }));
    expect(code).toBe(3);
    expect(out).toContain('⚠ **Dangerous:** Switching auth mode header → oauthBearer replaces the Okta app');
    expect(out).toContain('deprovisioned (deactivated) in Dynatrace');
    expect(out).toContain('`preconfigured_app`: `"scim2headerauth"` → `"scim2testapp"`');
    expect(out).toContain('`profile.token`: `<secret scimToken, prefixed "Bearer ">` → `<secret scimToken>`');
    expect(out).toContain('prevent_destroy');
  });

  it('switching sign-on mode replaces the app resource type', () => {
    const { code, out } = reviewOf(file({}), file({ signOn: 'saml' }));
    expect(code).toBe(3);
    expect(out).toContain('Switching sign-on mode autoLogin → saml replaces the Okta app');
    expect(out).toContain('`okta_app_saml.dynatrace_app` (replaced: okta_app_auto_login → okta_app_saml)');
    // Another resource type is another address: the guard leaves with the old block (terraform-semantics.test.ts proves it).
    expect(out).toContain('`prevent_destroy` does not stop this: the old resource block leaves the configuration, guard included, and Terraform destroys what the configuration no longer declares.');
    const pulumi = reviewOf(file({}), file({ signOn: 'saml' }), { engine: 'pulumi' });
    expect(pulumi.out).toContain('With `removalPolicy: retain` the old app is protected (`protect`): `pulumi up` stops before deleting it, after creating the new one.');
  });

  it('removing a group assignment with removalPolicy destroy deprovisions its members', () => {
    const groups = GROUPS.split('\n').filter((l) => !l.includes('SRE')).join('\n');
    const { code, out } = reviewOf(file({ removalPolicy: 'destroy' }), file({ removalPolicy: 'destroy', groups }));
    expect(code).toBe(3);
    expect(out).toContain('Removing the assignment of group "sre" deprovisions its members (`okta_app_group_assignment.dynatrace_assignment_sre`)');
    expect(out).toMatch(/\*\*Removed\*\*\n\n- `okta_app_group_assignment\.dynatrace_assignment_sre`/);
  });

  it('removing a group assignment with removalPolicy retain says plainly that the assignment stays in Okta (not dangerous)', () => {
    const groups = GROUPS.split('\n').filter((l) => !l.includes('SRE')).join('\n');
    const { code, out } = reviewOf(file({}), file({ groups }));
    expect(code).toBe(0);
    expect(out).toContain('Group "sre" leaves the code, but its assignment stays in Okta');
    expect(out).toContain('its members stay provisioned in Dynatrace');
  });

  it('turning off deactivateUsers warns about stale Dynatrace accounts', () => {
    const { code, out } = reviewOf(file({ provisioning: 'setup: api' }), file({ deactivateUsers: false, provisioning: 'setup: api' }));
    expect(code).toBe(3);
    expect(out).toContain('Deactivate Users is turned off: leavers keep their Dynatrace accounts');
    expect(out).toContain('`capabilities.update.lifecycle_deactivate.status`: `"ENABLED"` → `"DISABLED"`');
  });

  it('removing a pushed group with removalPolicy destroy deletes the Dynatrace group and its permissions', () => {
    const groups = GROUPS.replace('{ name: Dynatrace Admins, push: true, priority: 0 }', '{ name: Dynatrace Admins, priority: 0 }');
    const { code, out } = reviewOf(file({ removalPolicy: 'destroy' }), file({ removalPolicy: 'destroy', groups }));
    expect(code).toBe(3);
    expect(out).toContain('Group "dynatrace-admins" is no longer pushed to Dynatrace');
    expect(out).toContain('the Dynatrace group "Dynatrace Admins" and every permission and policy bound to it are deleted');
  });

  it('removing a pushed group with removalPolicy retain keeps the Dynatrace group (notice only)', () => {
    const groups = GROUPS.replace('{ name: Dynatrace Admins, push: true, priority: 0 }', '{ name: Dynatrace Admins, priority: 0 }');
    const { code, out } = reviewOf(file({}), file({ groups }));
    expect(code).toBe(0);
    expect(out).toContain('stays (with its permissions) but is no longer updated');
  });

  it('removing a whole tenant', () => {
    const { code, out } = reviewOf(file({}, { name: 'globex', orgName: 'globex' }), file({}));
    expect(code).toBe(3);
    expect(out).toContain('### Tenant `globex` — removed');
    expect(out).toContain('Tenant "globex" is removed from the tenants file');
    expect(out).toContain('pulumi destroy --stack globex');
  });

  it('changing existingAppId is dangerous; adopting one, or dropping it after the adoption, is a note', () => {
    const changed = reviewOf(file({ existingAppId: '0oaAAAA1111' }), file({ existingAppId: '0oaBBBB2222' }));
    expect(changed.code).toBe(3);
    expect(changed.out).toContain('existingAppId changes (0oaAAAA1111 → 0oaBBBB2222)');
    const adopted = reviewOf(file({}), file({ existingAppId: '0oaAAAA1111' }));
    expect(adopted.code).toBe(0);
    expect(adopted.out).toContain('Adopting the existing Okta app 0oaAAAA1111');
    // Dropping it after the first apply is the documented last step of an adoption: a note with the one
    // case where it would hurt, not a dangerous change.
    const dropped = reviewOf(file({ existingAppId: '0oaAAAA1111' }), file({}));
    expect(dropped.code).toBe(0);
    expect(dropped.out).toContain('existingAppId 0oaAAAA1111 is dropped');
    expect(dropped.out).toContain('If the adoption has not been applied yet, the plan shows the app created');
  });

  it('turning off the guards, moving org or state are dangerous too', () => {
    expect(reviewOf(file({}), file({ removalPolicy: 'destroy' })).out).toContain('The removal guards are turned off');
    expect(reviewOf(file({}), file({ orgName: 'acme2' })).out).toContain('The tenant points at another Okta org');
    const moved = reviewOf(file({}), file({ backend: '{ terraform: { type: s3, bucket: acme-state, region: eu-west-1 } }' }));
    expect(moved.code).toBe(3);
    expect(moved.out).toContain('terraform init -migrate-state');
  });

  it('a missing file at base means every tenant is new (exit 0)', () => {
    const repo = new Repo().write('# nothing yet\n', 'README.md').commit('init');
    try {
      const { code, out } = repo.write(file({})).review();
      expect(code).toBe(0);
      expect(out).toMatch(/no \S*tenants\.yaml at base: every tenant is new/);
      expect(out).toContain('### Tenant `acme` — new, stage 2 of 2');
      expect(out).toContain('- `okta_app_auto_login.dynatrace_app`\n  - `label` = `"Dynatrace SCIM"`');
    } finally {
      repo.remove();
    }
  });

  it('reviews committed history too (base = an older commit)', () => {
    const repo = new Repo().write(file({})).commit('one').write(file({ deactivateUsers: false })).commit('two');
    try {
      expect(repo.review('HEAD~1').code).toBe(3);
      expect(repo.review('HEAD').code).toBe(0);
    } finally {
      repo.remove();
    }
  });

  it('an unknown ref or an invalid working tree is invalid input, not a review', () => {
    const repo = new Repo().write(file({})).commit();
    try {
      expect(() => repo.review('no-such-branch')).toThrow(/"no-such-branch" is not a commit/);
      repo.write(file({}).replace('authMode: header', 'authMode: basic'));
      expect(() => repo.review()).toThrow(/integration\.authMode: must be one of/);
      repo.write(file({}).replace('authMode: header', 'authMode: basic').replace('label: Dynatrace SCIM', 'label: 7'));
      expect(() => repo.review()).toThrow(/integration\.authMode: must be one of/);
    } finally {
      repo.remove();
    }
  });

  it('never prints a secret value, even with the token in the environment', () => {
    process.env.ACME_DT_SCIM_TOKEN = TEST_TOKEN;
    try {
      const { out } = reviewOf(file({ provisioning: 'setup: api' }), file({ authMode: 'oauthBearer', provisioning: 'setup: api', removalPolicy: 'destroy', groups: '' }));
      expect(out).not.toContain(TEST_TOKEN);
      expect(out).toContain('<secret scimToken');
    } finally {
      delete process.env.ACME_DT_SCIM_TOKEN;
    }
  });

  it('names objects as Pulumi does with --engine pulumi, and gives both names in --json', () => {
    const groups = GROUPS.split('\n').filter((l) => !l.includes('SRE')).join('\n');
    const pulumi = reviewOf(file({ removalPolicy: 'destroy' }), file({ removalPolicy: 'destroy', groups, signOn: 'saml' }), { engine: 'pulumi' });
    expect(pulumi.out).toContain('- `okta:app/saml:Saml acme-app` (replaced: okta_app_auto_login → okta_app_saml)');
    expect(pulumi.out).toContain('Removing the assignment of group "sre" deprovisions its members (`okta:app/groupAssignment:GroupAssignment acme-assignment-sre`)');
    expect(pulumi.out).not.toContain('dynatrace_assignment_sre');
    const guards = reviewOf(file({}), file({ removalPolicy: 'destroy' }), { engine: 'pulumi' }).out;
    expect(guards).toContain('The app and its connection lose `protect`, assignments lose `retainAssignment`');
    expect(guards).toContain('- `okta:app/groupAssignment:GroupAssignment acme-assignment-sre`\n  - `retainAssignment`: `true` → `false`');
    const json = JSON.parse(reviewOf(file({}), file({ removalPolicy: 'destroy' }), { json: true }).out) as { engine: string; tenants: { resources: { address: string; addresses: Record<string, string>; attributes: { attribute: string }[] }[] }[] };
    expect(json.engine).toBe('terraform');
    const app = json.tenants[0]!.resources.find((r) => r.address === 'okta_app_auto_login.dynatrace_app')!;
    expect(app.addresses).toEqual({ terraform: 'okta_app_auto_login.dynatrace_app', pulumi: 'okta:app/autoLogin:AutoLogin acme-app' });
    expect(app.attributes.map((a) => a.attribute)).toEqual(['lifecycle.prevent_destroy']);
  });

  describe('the staged rollout and the console step', () => {
    it('stage 1 → 2 (provisioning declared enabled) is a notice naming the push mappings it adds', () => {
      const { code, out } = reviewOf(file({ provisioning: 'enabled: false' }), file({}));
      expect(code).toBe(0);
      expect(out).toContain('### Tenant `acme` — changed, stage 1 → 2');
      expect(out).toContain('ℹ **Note:** Stage 1 → 2: provisioning is declared enabled, adding the push mappings `okta_push_group.dynatrace_push_dynatrace_admins`, `okta_push_group.dynatrace_push_dynatrace_viewers`');
      expect(out).toContain('apply only once the console step is done');
    });

    it('stage 2 → 1 is dangerous: the push mappings go', () => {
      const { code, out } = reviewOf(file({ removalPolicy: 'destroy' }), file({ removalPolicy: 'destroy', provisioning: 'enabled: false' }));
      expect(code).toBe(3);
      expect(out).toContain('⚠ **Dangerous:** Stage 2 → 1: provisioning is no longer declared enabled, removing the push mappings');
      expect(out).toContain('deletes its Dynatrace group and every permission bound to it');
    });

    it('API path → console step says what stops being managed, and what Okta keeps', () => {
      const { code, out } = reviewOf(file({ provisioning: 'setup: api' }), file({ provisioning: 'setup: console, enabled: true' }));
      expect(code).toBe(3);
      expect(out).toContain('⚠ **Dangerous:** Provisioning moves from the API path to the console step. `okta_app_connection.dynatrace_connection` and `okta_app_features.dynatrace_features` stop being managed');
      expect(out).toContain('Okta keeps the live connection and features as they are');
      const pulumi = reviewOf(file({ provisioning: 'setup: api' }), file({ provisioning: 'setup: console, enabled: true' }), { engine: 'pulumi' });
      expect(pulumi.out).toContain('`okta:app/connection:Connection acme-connection` and `okta:app/features:Features acme-features` stop being managed');
      expect(pulumi.out).toContain('pulumi state unprotect');
    });

    it('console step → API path is a notice pointing at verify', () => {
      const { code, out } = reviewOf(file({}), file({ provisioning: 'setup: api' }));
      expect(code).toBe(0);
      expect(out).toContain('ℹ **Note:** Provisioning moves to the API path');
      expect(out).toContain('okta-dynatrace-scim verify --tenant acme');
    });

    it('a changed username format is dangerous: Dynatrace cannot change a userName', () => {
      const { code, out } = reviewOf(file({}), file({ username: 'oktaUsername' }));
      expect(code).toBe(3);
      expect(out).toContain('The application username format changes (${source.email} → ${source.login})');
    });
  });

  describe('the SSO-app path', () => {
    const sso = (ref = '{ id: 0oa1ssoapp }') => `ssoApp: ${ref}`;

    it('a new assignment on the SSO app says it grants sign-in and replaces an existing assignment', () => {
      const groups = `\n      groups:\n        - { name: Dynatrace Users, push: true }`;
      const { code, out } = reviewOf(file({ app: sso(), groups: '' }), file({ app: sso(), groups }));
      expect(code).toBe(0);
      expect(out).toContain('`okta_app_group_assignment.dynatrace_assignment_dynatrace_users`: group "dynatrace-users" is assigned to the SSO app');
      expect(out).toContain('can sign in to it through this app');
      expect(out).toContain('Okta replaces that assignment with this one');
    });

    it('removing an assignment there also removes sign-in (destroy policy)', () => {
      const { out } = reviewOf(file({ app: sso(), removalPolicy: 'destroy' }), file({ app: sso(), removalPolicy: 'destroy', groups: GROUPS.split('\n').filter((l) => !l.includes('SRE')).join('\n') }));
      expect(out).toContain('on the SSO app they also lose sign-in to Dynatrace');
    });

    it('pointing at another SSO app, or moving between the test app and the SSO app, is dangerous', () => {
      const moved = reviewOf(file({ app: sso() }), file({ app: sso('{ label: Dynatrace SSO }') }));
      expect(moved.code).toBe(3);
      expect(moved.out).toContain('The SSO app reference changes (0oa1ssoapp → "Dynatrace SSO")');
      const switched = reviewOf(file({}), file({ app: sso() }));
      expect(switched.code).toBe(3);
      expect(switched.out).toContain('The tenant moves from its own test app "Dynatrace SCIM" to the existing SSO app');
      expect(switched.out).toContain('- `data.okta_app.dynatrace_app`');
    });
  });
});

describe('adoption: what the next plan imports, in the engine\'s words', () => {
  const tenant = (integration: ScimIntegrationSpec) => resolveTenant({ name: 'acme', okta: { orgName: 'acme' }, integration });
  const findings = (before: ScimIntegrationSpec | undefined, after: ScimIntegrationSpec, engine: Engine = 'terraform') =>
    reviewTenants(before ? [tenant(before)] : [], [tenant(after)], engine).tenants[0]!.findings.map((f) => `${f.severity}: ${f.title}. ${f.detail}`);
  const groups = [
    { id: '00g1admins', key: 'admins', name: 'Dynatrace Admins', push: true, pushTargetId: '00g1target', existingPushId: 'gpm1admins' },
    { id: '00g2viewers', key: 'viewers', name: 'Dynatrace Viewers' },
  ];
  const adopted = (more: Partial<ScimIntegrationSpec> = {}) => headerSpec({ existingAppId: '0oa1app', provisioning: { enabled: true }, groups, ...more });
  const terraformAfter = 'Each must exist in Okta (an id that names nothing fails the plan): check the plan shows these imports and no create or replace. Once applied, drop the import fields (Terraform ignores import blocks of objects already in its state).';

  it('a new tenant that adopts an app (discover writes these): the app and assignments, then the push mappings, with their import ids', () => {
    expect(findings(undefined, adopted())).toEqual([
      'notice: Adopting the existing Okta app 0oa1app. The next apply imports `okta_app_auto_login.dynatrace_app` ← `0oa1app`, `okta_app_group_assignment.dynatrace_assignment_admins` ← `0oa1app/00g1admins`, ' +
        '`okta_app_group_assignment.dynatrace_assignment_viewers` ← `0oa1app/00g2viewers` (`import` blocks: `terraform plan` lists them as "will be imported") instead of creating them: nobody is deprovisioned or provisioned again. ' +
        `${terraformAfter} The first plan also updates \`retain_assignment\` in place: the provider does not read it back on import (Okta receives the values it has).`,
      'notice: Adopting the existing push mapping of group "admins". The next apply imports `okta_push_group.dynatrace_push_admins` ← `0oa1app/gpm1admins` (`import` blocks: `terraform plan` lists them as "will be imported"), ' +
        'keeping its target group by id (`target_group_id`) instead of creating a mapping: Okta does not push the group to Dynatrace again, and its permissions there stay. ' +
        `${terraformAfter} The first plan also updates \`delete_target_group_on_destroy\` in place: the provider does not read it back on import (Okta receives the values it has).`,
    ]);
  });

  it('named as pulumi preview names them', () => {
    const [app, push] = findings(undefined, adopted(), 'pulumi');
    expect(app).toContain('imports `okta:app/autoLogin:AutoLogin acme-app` ← `0oa1app`, `okta:app/groupAssignment:GroupAssignment acme-assignment-admins` ← `0oa1app/00g1admins`');
    expect(app).toContain('(the `import` resource option: `pulumi preview` lists them as imports)');
    expect(app).toContain('Pulumi expects the `import` option gone once the object is adopted');
    expect(app).toContain('updates `retainAssignment` in place');
    expect(push).toContain('imports `okta:index/pushGroup:PushGroup acme-push-admins` ← `0oa1app/gpm1admins`');
    expect(push).toContain('(`targetGroupId`)');
  });

  it('existingPushId added to a group of an adopted app: only that mapping is imported', () => {
    const before = adopted({ groups: [{ ...groups[0]!, existingPushId: undefined, pushTargetId: undefined }, groups[1]!] });
    expect(findings(before, adopted()).filter((f) => f.startsWith('notice: Adopting'))).toEqual([expect.stringMatching(/^notice: Adopting the existing push mapping of group "admins"\. The next apply imports `okta_push_group\.dynatrace_push_admins` ← `0oa1app\/gpm1admins`/)]);
  });

  it('importAssignments on the SSO app; Pulumi cannot import the assignment of a group found by name, and says so', () => {
    const sso = (importAssignments: boolean) => ssoSpec({ ssoApp: { id: '0oa1sso', ...(importAssignments ? { importAssignments: true } : {}) }, groups: [{ id: '00g1users', key: 'users', name: 'Users' }, { name: 'Ops' }] });
    expect(findings(sso(false), sso(true))[0]).toMatch(/^notice: Adopting the existing assignments of the SSO app 0oa1sso\. The next apply imports `okta_app_group_assignment\.dynatrace_assignment_users` ← `0oa1sso\/00g1users`, `okta_app_group_assignment\.dynatrace_assignment_ops` ← `0oa1sso\/<group-ops\.id>` /);
    const [pulumi] = findings(sso(false), sso(true), 'pulumi');
    expect(pulumi).toContain('imports `okta:app/groupAssignment:GroupAssignment acme-assignment-users` ← `0oa1sso/00g1users` (the `import` resource option');
    expect(pulumi).toContain('Pulumi imports literal ids only: `okta:app/groupAssignment:GroupAssignment acme-assignment-ops` is created instead (the group is found by name)');
  });

  it('an existing group added to an adopted app is imported too (it must be assigned in Okta already); an unchanged adoption says nothing', () => {
    const more = adopted({ groups: [...groups, { id: '00g3sre', key: 'sre', name: 'SRE' }] });
    expect(findings(adopted(), more)).toEqual([expect.stringMatching(/^notice: Importing existing objects instead of creating them\. The next apply imports `okta_app_group_assignment\.dynatrace_assignment_sre` ← `0oa1app\/00g3sre` .* instead of creating it: .*Each must exist in Okta/)]);
    expect(findings(adopted(), adopted())).toEqual([]);
  });
});
