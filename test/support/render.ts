/** Renders specs through each engine for tests: CDKTF via Testing.synthScope, Pulumi via mocks. */
import { Testing, TerraformStack } from 'cdktf';
import type { ScimIntegrationSpec } from '../../constructs/model/spec';
import { OktaProvider } from '../../constructs/cdktf/okta-provider';
import { DynatraceScimIntegration as CdktfIntegration } from '../../constructs/cdktf/scim-integration';
import { DynatraceScimIntegration as PulumiIntegration } from '../../constructs/pulumi/scim-integration';
import { runOffline, type OfflineRun } from '../../constructs/pulumi/offline';
import { TEST_TOKEN } from './specs';

export interface TerraformJson {
  terraform?: { required_providers?: Record<string, { source: string; version: string }> };
  provider?: Record<string, unknown[]>;
  variable?: Record<string, Record<string, unknown>>;
  locals?: Record<string, string>;
  output?: Record<string, { value: unknown; description?: string }>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  import?: { to: string; id: string }[];
}

/** Full stack JSON (provider block included), as `cdk.tf.json` would hold it. */
export function synthStack(spec: ScimIntegrationSpec, id = 'dynatrace'): { json: TerraformJson; text: string } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new OktaProvider(stack, 'okta', { orgName: 'acme', baseUrl: 'okta.com' });
  new CdktfIntegration(stack, id, { ...spec, tenant: 'acme' });
  const text = Testing.synth(stack);
  return { json: JSON.parse(text) as TerraformJson, text };
}

/** Same, through the construct-level helper the issue asks for. */
export function synthScope(spec: ScimIntegrationSpec): TerraformJson {
  return JSON.parse(Testing.synthScope((scope) => new CdktfIntegration(scope, 'dynatrace', { ...spec, tenant: 'acme' }))) as TerraformJson;
}

export async function renderPulumi(spec: ScimIntegrationSpec, name = 'acme', token = TEST_TOKEN): Promise<OfflineRun & { component: PulumiIntegration }> {
  let component!: PulumiIntegration;
  const run = await runOffline(() => {
    component = new PulumiIntegration(name, { ...spec, scimTokenValue: token });
    return [component];
  });
  return { ...run, component };
}

/** Resource bodies without CDKTF's `//` metadata. */
export function resourcesOf(json: TerraformJson): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) {
      const { '//': _metadata, ...attributes } = body;
      out[`${type}.${name}`] = attributes;
    }
  }
  for (const [type, byName] of Object.entries(json.data ?? {})) {
    for (const [name, body] of Object.entries(byName)) {
      const { '//': _metadata, ...attributes } = body;
      out[`data.${type}.${name}`] = attributes;
    }
  }
  return out;
}
