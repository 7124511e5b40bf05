/**
 * Writing one tenant's entry into a tenants file: every other byte stays, the entry reads back as given, and
 * what cannot be written safely is refused with the fix.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { TenantSpec } from '../constructs/model/tenant';
import { mergeTenantEntry } from '../constructs/tenants/entry-text';
import { parseTenants } from '../constructs/tenants/file';
import { errorOf, SCIM_URL } from './support/specs';

const EXAMPLE = readFileSync(join(__dirname, '..', 'tenants.yaml'), 'utf8');

const entry: TenantSpec = {
  name: 'hooli',
  okta: { orgName: 'hooli', credentials: { type: 'apiToken', token: { env: 'HOOLI_OKTA_API_TOKEN' } } },
  integration: {
    existingAppId: '0oa1hooli',
    label: 'Dynatrace: "SCIM" ${prod} %{x} # not a comment',
    authMode: 'header',
    scimBaseUrl: SCIM_URL,
    scimToken: { env: 'HOOLI_DT_SCIM_TOKEN', pulumiConfig: 'dynatraceScimToken' },
    username: { template: '${source.login}', type: 'BUILT_IN' },
    provisioning: { enabled: true },
    groups: [
      { id: '00g1', key: '123', name: 'yes', priority: 0 },
      { id: '00g2', key: 'admins', name: 'Dynatrace Admins', priority: 1, push: true, pushAs: 'DT Admins: on-call', pushTargetId: '00g9', existingPushId: 'gPm1' },
    ],
  },
};

/** The text with the `inserted` block removed at `at`: what the file was. */
const without = (text: string, inserted: string): string => text.replace(inserted, '');

describe('writing a tenant entry into a tenants file', () => {
  it('appends after the last tenant, leaving every other byte (comments, blank lines, quoting) as it was', () => {
    const merged = mergeTenantEntry(EXAMPLE, entry, { source: 'tenants.yaml' });
    expect(merged.action).toBe('appended');
    expect(merged.text.startsWith(EXAMPLE)).toBe(true);
    // Tenants are separated by a blank line in the example: the new one gets one too.
    expect(merged.text.slice(EXAMPLE.length)).toBe(`\n${merged.entry}\n`);
    expect(parseTenants(merged.text).map((t) => t.name)).toEqual(['acme', 'globex', 'initech', 'hooli']);
  });

  it('reads back exactly as given: strings that look like numbers, booleans, comments or templates stay strings', () => {
    const merged = mergeTenantEntry(EXAMPLE, entry, { source: 'tenants.yaml' });
    const tenants = (parseDocument(merged.text).toJS() as { tenants: unknown[] }).tenants;
    expect(tenants[3]).toEqual(entry);
    expect(merged.entry).toContain('- { id: 00g1, key: "123", name: "yes", priority: 0 }');
    expect(parseTenants(merged.text)[3]!.integration.app).toMatchObject({ label: entry.integration.label });
  });

  it('writes small maps in flow style, as the README does, and the sections as blocks', () => {
    const { entry: text } = mergeTenantEntry(EXAMPLE, entry, { source: 'tenants.yaml' });
    expect(text).toContain('\n    okta:\n      orgName: hooli\n      credentials: { type: apiToken, token: { env: HOOLI_OKTA_API_TOKEN } }\n');
    expect(text).toContain('\n      scimToken: { env: HOOLI_DT_SCIM_TOKEN, pulumiConfig: dynatraceScimToken }\n');
    expect(text).toContain('\n        - id: 00g2\n          key: admins\n');
  });

  it('writes comments above the fields they explain', () => {
    const { entry: text } = mergeTenantEntry(EXAMPLE, entry, { source: 'tenants.yaml', comments: { 'integration.existingAppId': 'Adopted.\nSecond line.' } });
    expect(text).toContain('    integration:\n      # Adopted.\n      # Second line.\n      existingAppId: 0oa1hooli\n');
  });

  it('refuses to replace an existing tenant unless asked, and then keeps its backend and every other tenant byte for byte', () => {
    const refused = errorOf(() => mergeTenantEntry(EXAMPLE, { ...entry, name: 'globex' }, { source: 'tenants.yaml' }));
    expect(refused.issues).toEqual([{ path: 'tenants.yaml: tenants[1]', message: 'tenant "globex" already exists', fix: 'choose another tenant name, or replace its entry on purpose (discover --replace)' }]);

    const withBackend = EXAMPLE.replace('  - name: globex\n', '  - name: globex\n    backend:\n      terraform: { type: s3, bucket: globex-state, region: eu-west-1 }\n');
    const merged = mergeTenantEntry(withBackend, { ...entry, name: 'globex' }, { source: 'tenants.yaml', replace: true });
    expect(merged.action).toBe('replaced');
    expect(merged.kept).toEqual(['backend']);
    const start = withBackend.indexOf('  - name: globex');
    const end = withBackend.indexOf('\n  # SCIM added to the app');
    expect(merged.text.slice(0, start)).toBe(withBackend.slice(0, start));
    expect(merged.text.endsWith(withBackend.slice(end))).toBe(true);
    expect(parseTenants(merged.text).find((t) => t.name === 'globex')!.backend.terraform).toMatchObject({ type: 's3', bucket: 'globex-state' });
  });

  it('keeps the list\'s own indentation (a list at column 0) and a comment at the end of the last line', () => {
    const text = 'tenants:\n- name: acme\n  okta: { orgName: acme }\n  integration:\n    label: x\n    authMode: header\n    scimBaseUrl: ' + SCIM_URL + '\n    scimToken: { env: A }  # the last line\n';
    const merged = mergeTenantEntry(text, entry, { source: 't.yaml' });
    expect(merged.text.startsWith(text)).toBe(true);
    expect(merged.entry.split('\n').slice(0, 3)).toEqual(['- name: hooli', '  okta:', '    orgName: hooli']);
    expect(parseTenants(merged.text).map((t) => t.name)).toEqual(['acme', 'hooli']);
  });

  it('keeps Windows line endings, and adds a final newline where the file had none', () => {
    const crlf = EXAMPLE.replace(/\n/g, '\r\n');
    const merged = mergeTenantEntry(crlf, entry, { source: 'tenants.yaml' });
    expect(merged.text.startsWith(crlf)).toBe(true);
    expect(merged.text.slice(crlf.length)).not.toMatch(/[^\r]\n/);
    const unterminated = EXAMPLE.trimEnd();
    const appended = mergeTenantEntry(unterminated, entry, { source: 'tenants.yaml' });
    expect(appended.text.startsWith(unterminated)).toBe(true);
    expect(without(appended.text, appended.entry).trimEnd()).toBe(unterminated);
    expect(parseTenants(appended.text)).toHaveLength(4);
  });

  it('creates a new file with a header and the list', () => {
    const created = mergeTenantEntry(undefined, entry, { source: 'new.yaml' });
    expect(created.action).toBe('created');
    expect(created.text).toBe(`# Tenants of okta-dynatrace-scim: one entry per Okta org → Dynatrace account (README, "The model in one page").\ntenants:\n${created.entry}\n`);
    expect(parseTenants(created.text)).toHaveLength(1);
  });

  it.each([
    ['invalid YAML', 'tenants:\n  - name: [unclosed\n', 'x.yaml', 'is not valid YAML'],
    ['a flow list', `tenants: [{ name: acme }]\n`, 'x.yaml: tenants', 'is not a block list'],
    ['no list at all', 'other: 1\n', 'x.yaml: tenants', 'is not a block list'],
  ])('refuses %s, with the fix', (_name, text, path, message) => {
    const error = errorOf(() => mergeTenantEntry(text, entry, { source: 'x.yaml' }));
    expect(error.issues).toEqual([expect.objectContaining({ path, message: expect.stringContaining(message), fix: expect.any(String) })]);
  });
});
