/**
 * Every prop a user writes is documented in the types, and every optional one says its default, as
 * aws-cdk's design guidelines ask of construct props: the default is a decision the library made, stated
 * once, where editors show it. Checked on the types the package's entry points export, through the
 * compiler (so inherited and picked props count too).
 */
import { join, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '..');

/** The input types of each entry point: what users construct or write in a tenants file. */
const INPUTS: Record<string, readonly string[]> = {
  'constructs/index.ts': ['ScimIntegrationSpec', 'SecretSource', 'ProvisioningSpec', 'SsoAppRef', 'GroupSpec', 'PolicyBindingSpec', 'DynatraceAccountSpec', 'TenantSpec', 'OktaOrgSpec', 'OktaCredentials', 'BackendSpec', 'TerraformBackendSpec', 'PulumiBackendSpec', 'UsernameFormat'],
  'constructs/cdktf/index.ts': ['DynatraceScimIntegrationOptions', 'OktaProviderConfig', 'DynatraceProviderConfig'],
  'constructs/pulumi/index.ts': ['DynatraceScimIntegrationOptions', 'DynatraceProviderArgs', 'TenantProgramOptions'],
};

/** Problems found, and how many props were checked. */
function undocumented(): { problems: string[]; checked: number } {
  const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const program = ts.createProgram(Object.keys(INPUTS).map((file) => join(ROOT, file)), { ...options, noEmit: true });
  const checker = program.getTypeChecker();
  const problems: string[] = [];
  const seen = new Set<ts.Symbol>();
  const checkType = (owner: string, type: ts.Type): void => {
    // Unions (OktaCredentials, TerraformBackendSpec, UsernameFormat): each object member.
    for (const member of type.isUnion() ? type.types : [type]) {
      if (!(member.flags & ts.TypeFlags.Object)) continue;
      for (const property of checker.getPropertiesOfType(member)) {
        if (seen.has(property)) continue;
        seen.add(property);
        const docs = ts.displayPartsToString(property.getDocumentationComment(checker));
        const tags = property.getJsDocTags(checker).map((tag) => tag.name);
        const optional = (property.flags & ts.SymbolFlags.Optional) !== 0;
        if (!docs && tags.length === 0) problems.push(`${owner}.${property.name}: no documentation`);
        else if (optional && !tags.includes('default') && !/\bDefault\b/.test(docs)) problems.push(`${owner}.${property.name}: optional, but no @default`);
      }
    }
  };
  for (const [file, names] of Object.entries(INPUTS)) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(join(ROOT, file))!)!;
    const exported = new Map(checker.getExportsOfModule(module).map((symbol) => [symbol.name, symbol]));
    for (const name of names) {
      const symbol = exported.get(name);
      if (!symbol) {
        problems.push(`${file}: does not export ${name}`);
        continue;
      }
      checkType(name, checker.getDeclaredTypeOfSymbol(checker.getAliasedSymbol(symbol)));
    }
  }
  return { problems, checked: seen.size };
}

describe('the public types', () => {
  it('document every prop, and the default of every optional one', () => {
    const { problems, checked } = undocumented();
    expect(problems).toEqual([]);
    // Not vacuous: the spec alone has some 50 props.
    expect(checked).toBeGreaterThan(60);
  }, 60_000);
});
