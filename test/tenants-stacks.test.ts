import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadTenants } from '../constructs/tenants/file';
import { checkStackFiles, renderStackFile, writeStackFiles } from '../constructs/tenants/pulumi-stacks';

describe('Pulumi.<tenant>.yaml stack files', () => {
  it('the committed files are in sync with tenants.yaml (run `npx okta-dynatrace-scim stacks` if this fails)', () => {
    const { statuses } = checkStackFiles(loadTenants('tenants.yaml'), '.');
    expect(statuses.map((s) => [s.tenant, s.state])).toEqual([
      ['acme', 'ok'],
      ['globex', 'ok'],
      ['initech', 'ok'],
    ]);
  });

  it('name the stack after the tenant and hold only non-secret config', () => {
    const config = parse(readFileSync('Pulumi.globex.yaml', 'utf8')).config;
    expect(config).toEqual({ 'okta:orgName': 'globex', 'okta:baseUrl': 'okta-emea.com', 'okta-dynatrace-scim:tenant': 'globex' });
    expect(parse(readFileSync('Pulumi.yaml', 'utf8')).name).toBe('okta-dynatrace-scim');
  });

  it('one file per tenant of a three-tenant file; regenerating keeps secrets and salts already in a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stacks-'));
    const tenants = loadTenants(join(__dirname, 'fixtures', 'three-tenants.yaml'));
    expect(writeStackFiles(tenants, dir).map((f) => f.slice(dir.length + 1))).toEqual(['Pulumi.alpha.yaml', 'Pulumi.beta.yaml', 'Pulumi.gamma.yaml']);
    const beta = join(dir, 'Pulumi.beta.yaml');
    const edited = readFileSync(beta, 'utf8').replace('okta:baseUrl: oktapreview.com', 'okta:baseUrl: okta.com') + 'encryptionsalt: v1:abc\n';
    writeFileSync(beta, edited.replace('config:\n', 'config:\n  okta-dynatrace-scim:dynatraceScimToken:\n    secure: v1:CIPHERTEXT\n'));
    expect(checkStackFiles(tenants, dir).statuses.find((s) => s.tenant === 'beta')?.state).toBe('outdated');
    writeFileSync(join(dir, 'Pulumi.retired.yaml'), 'config: {}\n');
    expect(checkStackFiles(tenants, dir).orphans).toEqual(['Pulumi.retired.yaml']);
    expect(writeStackFiles(tenants, dir)).toEqual([beta]);
    const merged = parse(readFileSync(beta, 'utf8'));
    expect(merged.encryptionsalt).toBe('v1:abc');
    expect(merged.config['okta-dynatrace-scim:dynatraceScimToken']).toEqual({ secure: 'v1:CIPHERTEXT' });
    expect(merged.config['okta:baseUrl']).toBe('oktapreview.com');
    expect(writeStackFiles(tenants, dir)).toEqual([]);
  });

  it('refuses to merge into a file that is not YAML, without losing it', () => {
    const [tenant] = loadTenants('tenants.yaml');
    expect(() => renderStackFile(tenant, 'config: [unclosed\n')).toThrow(/Pulumi\.acme\.yaml: YAML/);
  });
});
