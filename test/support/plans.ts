import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_TOKEN } from './specs';

/** A plan fixture (test/fixtures/plans) with the sentinel token where real output carries a secret in plain text. */
export function planFixture(name: string): string {
  return readFileSync(join(__dirname, '..', 'fixtures', 'plans', name), 'utf8').split('__SECRET__').join(TEST_TOKEN);
}
