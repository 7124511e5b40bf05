/**
 * Regenerates schema/tenants.schema.json from the zod schemas (the single source of truth).
 * Run after changing the model: `npx tsx scripts/gen-schema.ts`. test/tenants-schema.test.ts fails while
 * the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tenantsJsonSchema } from '../constructs/tenants/schema';

const target = join(__dirname, '..', 'schema', 'tenants.schema.json');
writeFileSync(target, tenantsJsonSchema());
process.stdout.write(`wrote ${target}\n`);
