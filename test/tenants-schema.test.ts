import { readFileSync } from 'node:fs';
import { tenantsJsonSchema } from '../constructs/tenants/schema';

describe('published JSON Schema of the tenants file', () => {
  const committed = readFileSync('schema/tenants.schema.json', 'utf8');

  it('is exactly what scripts/gen-schema.ts generates from the zod schemas (run `npm run gen-schema` if this fails)', () => {
    expect(committed).toBe(tenantsJsonSchema());
  });

  it('describes tenants, their names and the backends strictly, for editor completion', () => {
    const schema = JSON.parse(committed);
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['tenants']);
    const item = schema.properties.tenants.items;
    expect(item.additionalProperties).toBe(false);
    expect(item.required).toEqual(['name', 'okta', 'integration']);
    expect(item.properties.name.pattern).toBe('^[a-z][a-z0-9-]{0,38}[a-z0-9]$');
    const terraform = item.properties.backend.properties.terraform;
    expect(terraform.oneOf.map((b: { properties: { type: { const: string } } }) => b.properties.type.const)).toEqual(['local', 's3', 'gcs', 'cloud']);
    expect(item.properties.integration.properties.authMode.enum).toEqual(['header', 'oauthBearer']);
  });
});
