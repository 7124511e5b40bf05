/**
 * The plan summary reads Terraform's `show -json` and Pulumi's `preview --json` as documented (fixtures
 * in test/fixtures/plans, sources in their README) and keeps counts, engine addresses and actions only.
 * With a terraform CLI on PATH, it also reads a plan that terraform itself wrote.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasChanges, PlanFormatError, urnAddress, summarizePulumiPreview, summarizeTerraformPlan } from '../operations/ci/plan-summary';
import { planFixture } from './support/plans';
import { TEST_TOKEN } from './support/specs';
import { describeWithTerraform } from './support/terraform';

describe('Terraform plan summary (terraform show -json)', () => {
  const text = planFixture('terraform-plan.json');

  it('counts add / change / destroy / replace / import / forget as terraform plan does', () => {
    const summary = summarizeTerraformPlan(text);
    expect(summary.counts).toEqual({ add: 1, change: 2, destroy: 2, replace: 2, import: 2, forget: 1 });
    expect(hasChanges(summary)).toBe(true);
  });

  it('names every change by its Terraform address, with the action; no-op and read are not changes', () => {
    expect(summarizeTerraformPlan(text).changes).toEqual([
      { address: 'okta_app_connection.dynatrace_connection', action: 'update' },
      { address: 'okta_group.dynatrace_group_dynatrace_viewers', action: 'create' },
      { address: 'okta_push_group.dynatrace_push_dynatrace_viewers', action: 'replace' },
      { address: 'okta_push_group.dynatrace_push_sre', action: 'replace' },
      { address: 'okta_app_group_assignment.dynatrace_assignment_sre_oncall', action: 'delete' },
      { address: 'okta_app_group_assignment.dynatrace_assignment_dynatrace_admins', action: 'update', importing: true },
      { address: 'okta_app_group_assignment.dynatrace_assignment_dynatrace_viewers', action: 'import', importing: true },
      { address: 'okta_app_features.dynatrace_features', action: 'forget' },
      { address: 'okta_app_group_assignment.dynatrace_assignment_old (deposed object)', action: 'delete' },
    ]);
  });

  it('keeps no value: the token in the plan (in plain text there) is not in the summary', () => {
    expect(text).toContain(TEST_TOKEN);
    const summary = JSON.stringify(summarizeTerraformPlan(text));
    expect(summary).not.toContain(TEST_TOKEN);
    expect(summary).not.toContain('api.sso.dynatrace.com');
  });

  it('a plan without changes has none', () => {
    const summary = summarizeTerraformPlan(planFixture('terraform-no-changes.json'));
    expect(summary.changes).toEqual([]);
    expect(hasChanges(summary)).toBe(false);
  });

  it('rejects another major format version, a state file, unknown actions and non-JSON', () => {
    expect(() => summarizeTerraformPlan({ format_version: '2.0', resource_changes: [] })).toThrow(/unsupported Terraform JSON format_version 2.0/);
    expect(() => summarizeTerraformPlan({ format_version: '1.0', values: {} })).toThrow(/a state, not a plan/);
    expect(() => summarizeTerraformPlan({ format_version: '1.2', resource_changes: [{ address: 'a.b', change: { actions: ['explode'] } }] })).toThrow(/unknown Terraform change actions \[explode\] at a.b/);
    expect(() => summarizeTerraformPlan('Error: no plan')).toThrow(PlanFormatError);
  });
});

describe('read-only runs: the stand-in SCIM token is not a change', () => {
  const connection = (token: string, baseUrl = 'https://api.sso.dynatrace.com/idm/public/scim/x/v2') => ({ id: '0oa1', base_url: baseUrl, action: 'activate', profile: [{ auth_scheme: 'TOKEN', token, client_id: null }] });
  const terraformPlan = (before: object, after: object) =>
    JSON.stringify({ format_version: '1.2', resource_changes: [{ address: 'okta_app_connection.dynatrace_connection', type: 'okta_app_connection', change: { actions: ['update'], before, after } }] });

  it('terraform: an update of the connection in its token alone is listed as not compared, not counted', () => {
    const summary = summarizeTerraformPlan(terraformPlan(connection(`Bearer ${TEST_TOKEN}`), connection('Bearer not-the-scim-token')), { withheldToken: true });
    expect(summary).toEqual({ engine: 'terraform', counts: { add: 0, change: 0, destroy: 0, replace: 0, import: 0, forget: 0 }, changes: [], unseen: [{ address: 'okta_app_connection.dynatrace_connection', what: expect.stringContaining('the SCIM token') }] });
    expect(hasChanges(summary)).toBe(false);
    expect(JSON.stringify(summary)).not.toContain(TEST_TOKEN);
  });

  it('terraform: any other difference of the connection is still a change; so is everything with the real token', () => {
    const moved = terraformPlan(connection(`Bearer ${TEST_TOKEN}`), connection('Bearer not-the-scim-token', 'https://api.sso.dynatrace.com/idm/public/scim/y/v2'));
    expect(summarizeTerraformPlan(moved, { withheldToken: true }).counts.change).toBe(1);
    expect(summarizeTerraformPlan(terraformPlan(connection('a'), connection('b'))).counts.change).toBe(1);
  });

  it('pulumi: an update of the connection for `profile` alone (the secret input holding the token) is not compared', () => {
    const urn = 'urn:pulumi:acme::okta-dynatrace-scim::okta-dynatrace-scim:index:DynatraceScimIntegration$okta:app/connection:Connection::acme-connection';
    const preview = (diffReasons: string[]) => JSON.stringify({ steps: [{ op: 'update', urn, diffReasons }], changeSummary: { update: 1 } });
    expect(summarizePulumiPreview(preview(['profile']), { withheldToken: true })).toMatchObject({ counts: { change: 0 }, unseen: [{ address: 'okta:app/connection:Connection acme-connection' }] });
    expect(summarizePulumiPreview(preview(['profile', 'baseUrl']), { withheldToken: true }).counts.change).toBe(1);
    expect(summarizePulumiPreview(preview(['profile'])).counts.change).toBe(1);
  });
});

describe('Pulumi preview summary (pulumi preview --json)', () => {
  const text = planFixture('pulumi-preview.json');

  it('counts a replacement once although it is three steps, and ignores same/read', () => {
    const summary = summarizePulumiPreview(text);
    expect(summary.counts).toEqual({ add: 1, change: 1, destroy: 1, replace: 1, import: 1, forget: 0 });
  });

  it('names resources as pulumi preview does: type token and name', () => {
    expect(summarizePulumiPreview(text).changes).toEqual([
      { address: 'okta:group/group:Group acme-group-dynatrace-viewers', action: 'create' },
      { address: 'okta:app/connection:Connection acme-connection', action: 'update' },
      { address: 'okta:index/pushGroup:PushGroup acme-push-dynatrace-viewers', action: 'replace' },
      { address: 'okta:app/groupAssignment:GroupAssignment acme-assignment-sre-oncall', action: 'delete' },
      { address: 'okta:app/groupAssignment:GroupAssignment acme-assignment-dynatrace-admins', action: 'import' },
    ]);
  });

  it('reads a destroy preview (pulumi destroy --preview-only --json)', () => {
    const summary = summarizePulumiPreview(planFixture('pulumi-destroy-preview.json'));
    expect(summary.counts.destroy).toBe(3);
    expect(summary.changes[2]).toEqual({ address: 'pulumi:pulumi:Stack okta-dynatrace-scim-acme', action: 'delete' });
  });

  it('keeps no input value', () => {
    expect(text).toContain(TEST_TOKEN);
    expect(JSON.stringify(summarizePulumiPreview(text))).not.toContain(TEST_TOKEN);
  });

  it('splits URNs whose names contain "::", and rejects what is not a preview', () => {
    expect(urnAddress('urn:pulumi:s::p::a:b:C$okta:group/group:Group::odd::name')).toBe('okta:group/group:Group odd::name');
    expect(() => summarizePulumiPreview({ hello: 1 })).toThrow(/neither steps nor changeSummary/);
    expect(() => summarizePulumiPreview({ steps: [{ op: 'teleport', urn: 'urn:pulumi:s::p::t::n' }] })).toThrow(/unknown Pulumi step op "teleport"/);
  });
});

describeWithTerraform('a plan terraform itself wrote (terraform_data, no provider download)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-summary-'));
  const env = { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
  const tf = (...args: string[]): string => execFileSync('terraform', args, { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('create, update, replace, delete, forget and import, with a sensitive value in plain text in the JSON only', () => {
    const config = (round: number): string =>
      JSON.stringify({
        variable: { token: { type: 'string', sensitive: true } },
        resource: {
          terraform_data: {
            kept: { input: 'same' },
            updated: { input: round === 1 ? 'a' : 'b' },
            replaced: { input: 'x', triggers_replace: [round] },
            ...(round === 1 ? { deleted: { input: 'gone' }, forgotten: { input: 'f' } } : { created: { input: 'new' }, imported: { input: 'i' } }),
            secret: { input: '${var.token}' },
          },
        },
        ...(round === 2 ? { removed: [{ from: 'terraform_data.forgotten', lifecycle: { destroy: false } }], import: [{ to: 'terraform_data.imported', id: 'imp-1' }] } : {}),
      });
    writeFileSync(join(dir, 'main.tf.json'), config(1));
    tf('init', '-input=false', '-no-color');
    tf('apply', '-auto-approve', '-input=false', '-no-color', `-var=token=${TEST_TOKEN}-1`);
    writeFileSync(join(dir, 'main.tf.json'), config(2));
    const planText = tf('plan', '-input=false', '-no-color', `-var=token=${TEST_TOKEN}-2`, '-out=tfplan');
    const json = tf('show', '-json', 'tfplan');
    expect(json).toContain(TEST_TOKEN);
    const summary = summarizeTerraformPlan(json);
    expect(summary.counts).toEqual({ add: 1, change: 3, destroy: 1, replace: 1, import: 1, forget: 1 });
    // Terraform's own line counts a replacement as one add and one destroy.
    const { counts } = summary;
    expect(planText).toContain(`Plan: ${counts.import} to import, ${counts.add + counts.replace} to add, ${counts.change} to change, ${counts.destroy + counts.replace} to destroy.`);
    expect(new Map(summary.changes.map((c) => [c.address, c.action]))).toEqual(
      new Map([
        ['terraform_data.created', 'create'],
        ['terraform_data.deleted', 'delete'],
        ['terraform_data.forgotten', 'forget'],
        ['terraform_data.imported', 'update'],
        ['terraform_data.replaced', 'replace'],
        ['terraform_data.secret', 'update'],
        ['terraform_data.updated', 'update'],
      ]),
    );
    expect(JSON.stringify(summary)).not.toContain(TEST_TOKEN);
  });
});
