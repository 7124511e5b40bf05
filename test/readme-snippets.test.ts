/**
 * The README's code is part of the product. Its TypeScript is the library section's three programs, which
 * test/package.test.ts type-checks under strict settings and runs against the packed package, as a
 * project of someone else's would: here, that no other TypeScript block escapes that test. Every YAML
 * block that is a whole tenants file validates, and the minimal tenant synthesizes what the README says.
 */
import { consoleStep } from '../constructs/model/console-step';
import { planResources } from '../constructs/resources/plan';
import { parseTenants } from '../constructs/tenants/file';
import { codeBlocks, libraryPrograms } from './support/readme';

/** Fenced blocks of one language, with the line they start on. */
function blocks(language: string): { line: number; code: string }[] {
  return codeBlocks().filter((block) => block.language === language);
}

describe('README snippets', () => {
  it('every TypeScript block is one of the library section\'s programs, which the package test compiles and runs', () => {
    const programs = Object.values(libraryPrograms());
    expect(programs).toHaveLength(3);
    const others = blocks('ts').filter((block) => !programs.includes(block.code));
    expect(others.map((block) => `README.md:${block.line}`)).toEqual([]);
    // The programs import the package by name, as a project of someone else's does, never our sources.
    for (const code of programs) expect(code).not.toMatch(/from '\.\.?\//);
  });

  it('the minimal tenant of "The model in one page" synthesizes with no connection, features or push mapping, and gets a console step', () => {
    const minimal = blocks('yaml').find((b) => b.code.startsWith('tenants:') && b.code.includes('name: acme'))!;
    const [tenant] = parseTenants(minimal.code, 'README.md');
    const kinds = planResources(tenant!.integration).map((entry) => entry.kind);
    expect(kinds).not.toEqual(expect.arrayContaining(['okta_app_connection']));
    expect(kinds.filter((kind) => ['okta_app_connection', 'okta_app_features', 'okta_push_group'].includes(kind))).toEqual([]);
    expect(tenant!.integration.stage).toBe(1);
    expect(consoleStep(tenant!.name, tenant!.integration, tenant!.okta)?.steps.join('\n')).toContain('Base URL: https://api.sso.dynatrace.com/idm/public/scim/6f0c2a1e-3b7d-4c1e-9a55-2d8e4b7f9c10/v2');
  });

  it('every YAML block that is a whole tenants file validates', () => {
    const files = blocks('yaml').filter((b) => b.code.startsWith('tenants:'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(() => parseTenants(file.code, `README.md:${file.line}`)).not.toThrow();
  });
});
