/**
 * Checks synthesized Terraform JSON against two independent fixtures of the Okta provider schema
 * (each names its `source`):
 * - okta-provider-schema.json: generated from @pulumi/okta 7.0.0, bridged from provider v7.0.0;
 * - okta-provider-schema-go-v6.12.0.json: extracted by hand from the provider's Go source at v6.12.0.
 * Passing both means the output is accepted by 6.12 and 7.x alike.
 */
import v7 from '../fixtures/okta-provider-schema.json';
import v6 from '../fixtures/okta-provider-schema-go-v6.12.0.json';
import type { TerraformJson } from './render';

interface AttributeSchema {
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  type?: string;
  valid_values?: unknown[];
}

interface BlockSchema {
  attributes?: Record<string, AttributeSchema>;
  blocks?: Record<string, BlockSchema>;
}

interface SchemaFixture {
  provider: BlockSchema;
  resources: Record<string, BlockSchema>;
  data_sources: Record<string, BlockSchema>;
}

export const PROVIDER_SCHEMAS: Record<string, SchemaFixture> = {
  'v7.0.0 (@pulumi/okta typings)': v7 as unknown as SchemaFixture,
  'v6.12.0 (Go source)': v6 as unknown as SchemaFixture,
};

/** Terraform meta-arguments allowed on every resource / data source. */
const META = new Set(['//', 'lifecycle', 'provider', 'depends_on', 'count', 'for_each', 'provisioner', 'connection']);

const isExpression = (value: unknown): boolean => typeof value === 'string' && value.includes('${');

function checkBlock(where: string, body: Record<string, unknown>, schema: BlockSchema, errors: string[], topLevel: boolean): void {
  const attributes = schema.attributes ?? {};
  const blocks = schema.blocks ?? {};
  for (const [key, value] of Object.entries(body)) {
    if (topLevel && META.has(key)) continue;
    const path = `${where}.${key}`;
    if (value === undefined || value === null || value === '') {
      errors.push(`${path}: empty value`);
      continue;
    }
    const attribute = attributes[key];
    const block = blocks[key];
    if (block) {
      const items = Array.isArray(value) ? value : [value];
      for (const item of items) {
        if (typeof item !== 'object' || item === null) errors.push(`${path}: must be a block`);
        else checkBlock(path, item as Record<string, unknown>, block, errors, false);
      }
      continue;
    }
    if (!attribute) {
      errors.push(`${path}: not in the provider schema`);
      continue;
    }
    if (attribute.computed && !attribute.optional && !attribute.required) errors.push(`${path}: read-only (computed) attribute is set`);
    if (isExpression(value)) continue;
    if (attribute.type === 'string' && typeof value !== 'string') errors.push(`${path}: must be a string`);
    if (attribute.type === 'bool' && typeof value !== 'boolean') errors.push(`${path}: must be a bool`);
    if (attribute.type === 'number' && typeof value !== 'number') errors.push(`${path}: must be a number`);
    if (attribute.valid_values && attribute.valid_values.length > 0 && !attribute.valid_values.includes(value)) {
      errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(attribute.valid_values)}`);
    }
  }
  for (const [key, attribute] of Object.entries(attributes)) {
    if (attribute.required && !(key in body)) errors.push(`${where}.${key}: required attribute missing`);
  }
}

/** Every problem found against every fixture, as `[fixture] address.attribute: what`. Empty when the JSON conforms. */
export function conformanceErrors(json: TerraformJson): string[] {
  const all = Object.entries(PROVIDER_SCHEMAS).map(([name, schema]) => checkAgainst(json, schema).map((error) => `[${name}] ${error}`));
  // The same problem found by both fixtures is reported once, prefixed by the first.
  const seen = new Set<string>();
  return all.flat().filter((error) => {
    const bare = error.replace(/^\[[^\]]+\] /, '');
    if (seen.has(bare)) return false;
    seen.add(bare);
    return true;
  });
}

function checkAgainst(json: TerraformJson, schema: SchemaFixture): string[] {
  const PROVIDER_SCHEMA = schema;
  const errors: string[] = [];
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    const schema = PROVIDER_SCHEMA.resources[type];
    for (const [name, body] of Object.entries(byName)) {
      if (!schema) errors.push(`${type}.${name}: resource type not in the provider schema fixture`);
      else checkBlock(`${type}.${name}`, body, schema, errors, true);
    }
  }
  for (const [type, byName] of Object.entries(json.data ?? {})) {
    const schema = PROVIDER_SCHEMA.data_sources[type];
    for (const [name, body] of Object.entries(byName)) {
      if (!schema) errors.push(`data.${type}.${name}: data source not in the provider schema fixture`);
      else checkBlock(`data.${type}.${name}`, body, schema, errors, true);
    }
  }
  for (const [type, configs] of Object.entries(json.provider ?? {})) {
    for (const config of configs) checkBlock(`provider.${type}`, config as Record<string, unknown>, PROVIDER_SCHEMA.provider, errors, true);
  }
  return errors;
}
