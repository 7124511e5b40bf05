/**
 * Regenerates test/fixtures/dynatrace-provider-schema.json: the Terraform schema of exactly the Dynatrace
 * objects this project emits (provider block, `dynatrace_iam_policy_bindings_v2`, data sources
 * `dynatrace_iam_group` and `dynatrace_iam_policy`), with the Pulumi names, type tokens and package facts of
 * the bridged Pulumi package, for the conformance test and for scripts/gen-dynatrace-bindings.ts.
 *
 * Run by hand, on git snapshots of the two upstream repositories (the files read are named in the
 * fixture's `source`; nothing from them is committed but these facts):
 *
 *   npx tsx scripts/gen-dynatrace-schema.ts \
 *     --terraform /path/to/terraform-provider-dynatrace.git@v1.102.0 \
 *     --pulumi /path/to/pulumi-dynatrace.git@v0.42.0 > test/fixtures/dynatrace-provider-schema.json
 *
 * Why not the Pulumi `schema.json`: provider/cmd/pulumi-resource-dynatrace/schema.json is larger than the
 * snapshot limit (4 MiB) and absent from every snapshot, and so is `sdk/nodejs/types/input.ts`. So:
 * - Terraform side: parsed from the provider's Go source (`map[string]*schema.Schema{…}` literals), which is
 *   what Terraform itself sees: names, Required/Optional/Computed/Sensitive, ForceNew, types, nested blocks,
 *   env var defaults.
 * - Pulumi side: the generated Node.js SDK (type tokens in `__pulumiType` / `invoke("…")`, property names
 *   and optionality of `*Args` / `*Result`, `additionalSecretOutputs`, `pluginDownloadURL`) and, for the
 *   nested `policy` type whose TypeScript file is too large, the generated .NET `Inputs/*Args.cs`.
 * - Cross-check: every Terraform argument must appear in Pulumi under the bridge's name (camelCase; repeated
 *   blocks pluralised) with the same required-ness, and provider attributes Sensitive in Terraform must be
 *   secrets in Pulumi. Any disagreement stops the script (the Pulumi package may bridge an older provider
 *   release; this proves these objects did not change in between).
 */
import { execFileSync } from 'node:child_process';
import ts from 'typescript';

// ---------------------------------------------------------------------------------------------------------
// Go schema literals
// ---------------------------------------------------------------------------------------------------------

/** One `"name": { … }` entry of a `map[string]*schema.Schema` literal, as written in Go. */
export interface GoSchemaField {
  readonly type: 'TypeString' | 'TypeBool' | 'TypeInt' | 'TypeFloat' | 'TypeMap' | 'TypeSet' | 'TypeList';
  readonly required: boolean;
  readonly optional: boolean;
  readonly computed: boolean;
  readonly sensitive: boolean;
  readonly forceNew: boolean;
  readonly description?: string;
  readonly deprecated?: string;
  /** Variables of `schema.EnvDefaultFunc` / `schema.MultiEnvDefaultFunc`, in lookup order. */
  readonly env?: string[];
  readonly conflictsWith?: string[];
  readonly atLeastOneOf?: string[];
  readonly exactlyOneOf?: string[];
  readonly minItems?: number;
  readonly maxItems?: number;
  /** `Elem: &schema.Schema{Type: schema.TypeString}` → `TypeString`. */
  readonly elemType?: string;
  /** `Elem: &schema.Resource{Schema: new(Policy).Schema()}` → `Policy`. */
  readonly elemResource?: string;
}

/** Index of the bracket closing the one at `open` (skips strings, runes and comments). */
export function matchingBracket(text: string, open: number): number {
  const pairs: Record<string, string> = { '{': '}', '(': ')', '[': ']' };
  const stack: string[] = [];
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    const skipped = skipLiteral(text, i);
    if (skipped !== i) {
      i = skipped - 1;
      continue;
    }
    if (pairs[c]) stack.push(pairs[c]!);
    else if (c === '}' || c === ')' || c === ']') {
      if (stack.pop() !== c) throw new Error(`unbalanced ${c} at offset ${i}`);
      if (stack.length === 0) return i;
    }
  }
  throw new Error(`no bracket closes the one at offset ${open}`);
}

/** If a string, raw string, rune or comment starts at `i`, the index just after it; else `i`. */
function skipLiteral(text: string, i: number): number {
  const c = text[i];
  if (c === '"' || c === "'") {
    for (let j = i + 1; j < text.length; j++) {
      if (text[j] === '\\') j++;
      else if (text[j] === c) return j + 1;
    }
    throw new Error(`unterminated literal at offset ${i}`);
  }
  if (c === '`') {
    const end = text.indexOf('`', i + 1);
    if (end < 0) throw new Error(`unterminated raw string at offset ${i}`);
    return end + 1;
  }
  if (c === '/' && text[i + 1] === '/') {
    const end = text.indexOf('\n', i);
    return end < 0 ? text.length : end;
  }
  if (c === '/' && text[i + 1] === '*') {
    const end = text.indexOf('*/', i + 2);
    if (end < 0) throw new Error(`unterminated comment at offset ${i}`);
    return end + 2;
  }
  return i;
}

/** Splits at commas outside brackets, strings and comments; drops empty parts and comments. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const skipped = skipLiteral(text, i);
    if (skipped !== i) {
      const literal = text.slice(i, skipped);
      if (!literal.startsWith('/')) current += literal;
      i = skipped - 1;
      continue;
    }
    const c = text[i]!;
    if ('{(['.includes(c)) depth++;
    if ('})]'.includes(c)) depth--;
    if (c === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += c;
  }
  parts.push(current.trim());
  return parts.filter((part) => part.length > 0);
}

/** The value of Go string literals joined by `+` (`"a" + "b"`, `` `raw` ``); undefined for anything else. */
export function goString(expression: string): string | undefined {
  const pieces: string[] = [];
  let rest = expression.trim();
  while (rest.length > 0) {
    const end = skipLiteral(rest, 0);
    if (end === 0 || !'"`'.includes(rest[0]!)) return undefined;
    const literal = rest.slice(0, end);
    pieces.push(literal.startsWith('`') ? literal.slice(1, -1) : (JSON.parse(literal) as string));
    rest = rest.slice(end).trim();
    if (rest.startsWith('+')) rest = rest.slice(1).trim();
    else if (rest.length > 0) return undefined;
  }
  return pieces.join('');
}

/** Every Go string literal inside `expression`, in order (for `[]string{…}` and env default funcs). */
function goStrings(expression: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < expression.length; i++) {
    const end = skipLiteral(expression, i);
    if (end === i) continue;
    const literal = expression.slice(i, end);
    if (literal.startsWith('"')) found.push(JSON.parse(literal) as string);
    else if (literal.startsWith('`')) found.push(literal.slice(1, -1));
    i = end - 1;
  }
  return found;
}

/** Body (between the braces) of the first `map[string]*schema.Schema{…}` literal at or after `from`. */
export function schemaMapBody(source: string, from = 0): string {
  const marker = 'map[string]*schema.Schema{';
  const at = source.indexOf(marker, from);
  if (at < 0) throw new Error('no map[string]*schema.Schema{…} literal found');
  const open = at + marker.length - 1;
  return source.slice(open + 1, matchingBracket(source, open));
}

/** Body of the schema map returned by `func (me *<type>) Schema() map[string]*schema.Schema`. */
export function schemaMethodBody(source: string, typeName: string): string {
  const signature = new RegExp(`func\\s*\\(\\s*\\w+\\s+\\*${typeName}\\s*\\)\\s*Schema\\(\\)\\s*map\\[string\\]\\*schema\\.Schema\\s*\\{`);
  const match = signature.exec(source);
  if (!match) throw new Error(`no Schema() method for type ${typeName}`);
  return schemaMapBody(source, match.index + match[0].length);
}

/** Parses the entries of a schema map body. Values must be inline `{…}` literals (true for every file read here). */
export function parseSchemaMap(body: string): Record<string, GoSchemaField> {
  const fields: Record<string, GoSchemaField> = {};
  for (const entry of splitTopLevel(body)) {
    const match = /^("(?:[^"\\]|\\.)*")\s*:\s*(\{[\s\S]*\})$/.exec(entry);
    if (!match) throw new Error(`unsupported schema entry: ${entry.slice(0, 80)}`);
    fields[JSON.parse(match[1]!) as string] = parseField(match[2]!.slice(1, -1));
  }
  return fields;
}

function parseField(body: string): GoSchemaField {
  const raw = new Map<string, string>();
  for (const part of splitTopLevel(body)) {
    const colon = part.indexOf(':');
    if (colon < 0) throw new Error(`unsupported schema field: ${part.slice(0, 80)}`);
    raw.set(part.slice(0, colon).trim(), part.slice(colon + 1).trim());
  }
  const flag = (name: string): boolean => raw.get(name) === 'true';
  const type = /^schema\.(Type\w+)$/.exec(raw.get('Type') ?? '')?.[1];
  if (!type || !['TypeString', 'TypeBool', 'TypeInt', 'TypeFloat', 'TypeMap', 'TypeSet', 'TypeList'].includes(type)) {
    throw new Error(`unsupported or missing Type: ${raw.get('Type') ?? '(none)'}`);
  }
  const field: Record<string, unknown> = {
    type,
    required: flag('Required'),
    optional: flag('Optional'),
    computed: flag('Computed'),
    sensitive: flag('Sensitive'),
    forceNew: flag('ForceNew'),
  };
  const text = (name: string): string | undefined => (raw.has(name) ? goString(raw.get(name)!) : undefined);
  if (text('Description') !== undefined) field.description = text('Description');
  if (text('Deprecated') !== undefined) field.deprecated = text('Deprecated');
  const defaultFunc = raw.get('DefaultFunc');
  if (defaultFunc) {
    if (!/^schema\.(Multi)?EnvDefaultFunc\(/.test(defaultFunc)) throw new Error(`unsupported DefaultFunc: ${defaultFunc}`);
    // The last argument is the fallback value (nil here); every string before it names a variable.
    const variables = goStrings(defaultFunc.slice(0, defaultFunc.lastIndexOf(',')));
    field.env = variables;
  }
  for (const [goName, key] of [['ConflictsWith', 'conflictsWith'], ['AtLeastOneOf', 'atLeastOneOf'], ['ExactlyOneOf', 'exactlyOneOf']] as const) {
    if (raw.has(goName)) field[key] = goStrings(raw.get(goName)!);
  }
  for (const [goName, key] of [['MinItems', 'minItems'], ['MaxItems', 'maxItems']] as const) {
    if (raw.has(goName)) field[key] = Number(raw.get(goName));
  }
  const elem = raw.get('Elem');
  if (elem) {
    const scalar = /^&schema\.Schema\{\s*Type:\s*schema\.(Type\w+)\s*,?\s*\}$/.exec(elem);
    const resource = /^&schema\.Resource\{\s*Schema:\s*new\((\w+)\)\.Schema\(\)\s*,?\s*\}$/.exec(elem);
    if (scalar) field.elemType = scalar[1];
    else if (resource) field.elemResource = resource[1];
    else throw new Error(`unsupported Elem: ${elem}`);
  }
  if (raw.has('Default')) throw new Error('schema Default values are not modelled by this generator');
  return field as unknown as GoSchemaField;
}

// ---------------------------------------------------------------------------------------------------------
// Fixture shape (the Okta fixtures' format plus Dynatrace/Pulumi extras; test/support/provider-schema.ts reads it)
// ---------------------------------------------------------------------------------------------------------

export interface FixtureAttribute {
  required: boolean;
  optional: boolean;
  computed: boolean;
  sensitive: boolean;
  force_new: boolean;
  type: 'string' | 'bool' | 'number' | 'map' | 'set' | 'list';
  element_type?: 'string' | 'bool' | 'number';
  description?: string;
  env?: string[];
  conflicts_with?: string[];
  at_least_one_of?: string[];
  exactly_one_of?: string[];
  /** The Pulumi property name (bridge naming). */
  pulumi_name: string;
  /** Provider only: a Pulumi secret (`additionalSecretOutputs`). */
  pulumi_secret?: boolean;
}

export interface FixtureBlock {
  attributes: Record<string, FixtureAttribute>;
  blocks: Record<string, FixtureNestedBlock>;
}

export interface FixtureNestedBlock extends FixtureBlock {
  nesting: 'set' | 'list';
  min_items?: number;
  max_items?: number;
  pulumi_name: string;
  /** Name of the Pulumi input type of one element. */
  pulumi_type: string;
  description?: string;
}

export interface FixtureObject extends FixtureBlock {
  pulumi_token: string;
  /** Pulumi class (resources) or function (data sources) name in the Node.js SDK. */
  pulumi_name: string;
  /** SDKv2 import id format, when documented in source. */
  import_id?: string;
}

const SCALAR: Record<string, FixtureAttribute['element_type']> = { TypeString: 'string', TypeBool: 'bool', TypeInt: 'number', TypeFloat: 'number' };

export const camelCase = (name: string): string => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** The bridge's name for a repeated block: `policy` → `policies` (tfbridge pluralises list/set names). */
export const pluralCamelCase = (name: string): string => {
  const camel = camelCase(name);
  return camel.endsWith('y') ? `${camel.slice(0, -1)}ies` : camel.endsWith('s') ? camel : `${camel}s`;
};

/**
 * Terraform's view of a Go schema map: scalars, maps and scalar sets/lists are attributes; sets/lists of
 * `schema.Resource` are nested blocks (resolved through `nested`). SDKv2 adds `id` (optional + computed)
 * when the map does not declare it (`implicitId`).
 */
export function terraformBlock(fields: Record<string, GoSchemaField>, nested: (typeName: string) => Record<string, GoSchemaField>, implicitId: boolean): FixtureBlock {
  const block: FixtureBlock = { attributes: {}, blocks: {} };
  const names = Object.keys(fields).sort();
  for (const name of names) {
    const field = fields[name]!;
    if (field.elemResource) {
      if (field.type !== 'TypeSet' && field.type !== 'TypeList') throw new Error(`${name}: a resource element needs TypeSet or TypeList`);
      block.blocks[name] = {
        nesting: field.type === 'TypeSet' ? 'set' : 'list',
        ...(field.minItems !== undefined ? { min_items: field.minItems } : {}),
        ...(field.maxItems !== undefined ? { max_items: field.maxItems } : {}),
        ...(field.description ? { description: field.description } : {}),
        pulumi_name: field.maxItems === 1 ? camelCase(name) : pluralCamelCase(name),
        pulumi_type: field.elemResource,
        ...terraformBlock(nested(field.elemResource), nested, false),
      };
      continue;
    }
    const type: FixtureAttribute['type'] = field.type === 'TypeMap' ? 'map' : field.type === 'TypeSet' ? 'set' : field.type === 'TypeList' ? 'list' : SCALAR[field.type]!;
    const element = field.elemType ? SCALAR[field.elemType] : undefined;
    if (['map', 'set', 'list'].includes(type) && !element) throw new Error(`${name}: ${field.type} without a scalar Elem`);
    block.attributes[name] = {
      required: field.required,
      optional: field.optional,
      computed: field.computed,
      sensitive: field.sensitive,
      force_new: field.forceNew,
      type,
      ...(element ? { element_type: element } : {}),
      ...(field.description ? { description: field.description } : {}),
      ...(field.env ? { env: field.env } : {}),
      ...(field.conflictsWith ? { conflicts_with: field.conflictsWith } : {}),
      ...(field.atLeastOneOf ? { at_least_one_of: field.atLeastOneOf } : {}),
      ...(field.exactlyOneOf ? { exactly_one_of: field.exactlyOneOf } : {}),
      pulumi_name: camelCase(name),
    };
  }
  if (implicitId && !block.attributes.id) {
    block.attributes = Object.fromEntries(
      Object.entries({ ...block.attributes, id: { required: false, optional: true, computed: true, sensitive: false, force_new: false, type: 'string', pulumi_name: 'id' } as FixtureAttribute }).sort(([a], [b]) =>
        a.localeCompare(b),
      ),
    );
  }
  return block;
}

// ---------------------------------------------------------------------------------------------------------
// Pulumi SDK facts
// ---------------------------------------------------------------------------------------------------------

export interface PulumiMember {
  readonly name: string;
  readonly optional: boolean;
  readonly doc?: string;
}

/** Members of `interface <name>` in a TypeScript source, with their optionality and doc comment text. */
export function interfaceMembers(sourceText: string, name: string): PulumiMember[] | undefined {
  const sf = ts.createSourceFile('sdk.ts', sourceText, ts.ScriptTarget.ES2022, true);
  let found: PulumiMember[] | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === name) {
      found = node.members.filter(ts.isPropertySignature).map((m) => {
        const doc = ts
          .getJSDocCommentsAndTags(m)
          .map((d) => (ts.isJSDoc(d) ? ts.getTextOfJSDocComment(d.comment) ?? '' : ''))
          .join('\n')
          .trim();
        return { name: (m.name as ts.Identifier).text, optional: m.questionToken !== undefined, ...(doc ? { doc } : {}) };
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** The string initialising `static readonly __pulumiType`. */
export function pulumiTypeToken(sourceText: string): string {
  const match = /__pulumiType\s*=\s*['"]([^'"]+)['"]/.exec(sourceText);
  if (!match) throw new Error('no __pulumiType in the SDK file');
  return match[1]!;
}

/** The token of `pulumi.runtime.invoke("<token>", …)`. */
export function invokeToken(sourceText: string): string {
  const match = /pulumi\.runtime\.invoke\(\s*"([^"]+)"/.exec(sourceText);
  if (!match) throw new Error('no pulumi.runtime.invoke(...) in the SDK file');
  return match[1]!;
}

/** `additionalSecretOutputs: [...]` of the provider class. */
export function secretOutputs(sourceText: string): string[] {
  const match = /additionalSecretOutputs:\s*\[([^\]]*)\]/.exec(sourceText);
  if (!match) throw new Error('no additionalSecretOutputs in provider.ts');
  return [...match[1]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
}

/** `pluginDownloadURL: "<url>"` of `resourceOptsDefaults()` in utilities.ts. */
export function pluginDownloadUrl(sourceText: string): string {
  const match = /pluginDownloadURL:\s*"([^"]+)"/.exec(sourceText);
  if (!match) throw new Error('no pluginDownloadURL in utilities.ts');
  return match[1]!;
}

/** `[Input("id", required: true)]` attributes of a generated .NET input class. */
export function dotnetInputs(sourceText: string): PulumiMember[] {
  return [...sourceText.matchAll(/\[Input\("([^"]+)"(\s*,\s*required:\s*true)?\)\]/g)].map((m) => ({ name: m[1]!, optional: !m[2] }));
}

/** Stops the script when Pulumi and Terraform disagree about a block's arguments. */
export function crossCheck(where: string, block: FixtureBlock, pulumiInputs: readonly PulumiMember[], nestedInputs: (typeName: string) => readonly PulumiMember[]): void {
  const inputs = new Map(pulumiInputs.map((m) => [m.name, m]));
  const problems: string[] = [];
  for (const [name, attribute] of Object.entries(block.attributes)) {
    if (attribute.computed && !attribute.optional && !attribute.required) continue;
    if (name === 'id' && attribute.computed) continue;
    const input = inputs.get(attribute.pulumi_name);
    if (!input) problems.push(`${where}.${name}: no Pulumi input ${attribute.pulumi_name}`);
    else if (input.optional === attribute.required) problems.push(`${where}.${name}: required in ${attribute.required ? 'Terraform' : 'Pulumi'} only`);
  }
  for (const [name, nested] of Object.entries(block.blocks)) {
    if (!inputs.has(nested.pulumi_name)) problems.push(`${where}.${name}: no Pulumi input ${nested.pulumi_name}`);
    crossCheck(`${where}.${name}`, nested, nestedInputs(nested.pulumi_type), nestedInputs);
  }
  const known = new Set([...Object.values(block.attributes).map((a) => a.pulumi_name), ...Object.values(block.blocks).map((b) => b.pulumi_name)]);
  for (const input of pulumiInputs) if (!known.has(input.name)) problems.push(`${where}: Pulumi input ${input.name} has no Terraform attribute`);
  if (problems.length > 0) throw new Error(`Terraform and Pulumi schemas disagree:\n  ${problems.join('\n  ')}`);
}

// ---------------------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------------------

interface Snapshot {
  readonly gitDir: string;
  readonly rev: string;
}

function parseSnapshot(argument: string | undefined, flag: string): Snapshot {
  const match = argument ? /^(.+)@([^@]+)$/.exec(argument) : null;
  if (!match) throw new Error(`${flag} <git-dir>@<tag> is required (see the header of scripts/gen-dynatrace-schema.ts)`);
  return { gitDir: match[1]!, rev: match[2]! };
}

const git = (snapshot: Snapshot, ...args: string[]): string => execFileSync('git', ['--git-dir', snapshot.gitDir, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const read = (snapshot: Snapshot, path: string): string => git(snapshot, 'show', `${snapshot.rev}:${path}`);

/** Where each object's schema lives in terraform-provider-dynatrace, and how the provider registers it. */
const TERRAFORM_FILES = {
  provider: 'provider/provider.go',
  resources: {
    // ResourcesMap: resources.NewGeneric(export.ResourceTypes.IAMPolicyBindingsV2, …) → v2bindings settings.
    dynatrace_iam_policy_bindings_v2: { file: 'dynatrace/api/iam/v2bindings/settings/policy_binding.go', type: 'PolicyBinding', nested: ['dynatrace/api/iam/v2bindings/settings/policy.go'], registration: 'resources.NewGeneric(export.ResourceTypes.IAMPolicyBindingsV2' },
  },
  dataSources: {
    dynatrace_iam_group: { file: 'datasources/iam/groups/data_source.go', registration: 'ds_iam_groups.DataSource()' },
    dynatrace_iam_policy: { file: 'datasources/iam/policies/data_source_single.go', registration: 'ds_iam_policies.DataSourceSingle()' },
  },
} as const;

/** Pulumi Node.js SDK files, by Terraform name. */
const PULUMI_FILES = {
  resources: { dynatrace_iam_policy_bindings_v2: { file: 'sdk/nodejs/iamPolicyBindingsV2.ts', name: 'IamPolicyBindingsV2' } },
  dataSources: {
    dynatrace_iam_group: { file: 'sdk/nodejs/getIamGroup.ts', name: 'getIamGroup' },
    dynatrace_iam_policy: { file: 'sdk/nodejs/getIamPolicy.ts', name: 'getIamPolicy' },
  },
} as const;

const upperFirst = (name: string): string => name[0]!.toUpperCase() + name.slice(1);

function main(argv: string[]): void {
  const option = (flag: string): string | undefined => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const terraform = parseSnapshot(option('--terraform'), '--terraform');
  const pulumi = parseSnapshot(option('--pulumi'), '--pulumi');
  const commit = (snapshot: Snapshot) => git(snapshot, 'rev-parse', `${snapshot.rev}^{commit}`).trim();
  const date = (snapshot: Snapshot) => git(snapshot, 'log', '-1', '--format=%cs', `${snapshot.rev}^{commit}`).trim();
  const pulumiVersion = /^v(\d+\.\d+\.\d+)$/.exec(pulumi.rev)?.[1];
  if (!pulumiVersion) throw new Error(`--pulumi must name a release tag (vX.Y.Z), got ${pulumi.rev}`);
  const bridged = /github\.com\/dynatrace-oss\/terraform-provider-dynatrace (v\S+)/.exec(read(pulumi, 'provider/go.mod'))?.[1];

  const providerGo = read(terraform, TERRAFORM_FILES.provider);
  const registered = (name: string, registration: string): void => {
    const line = providerGo.split('\n').find((l) => l.includes(`"${name}":`) && l.includes(registration));
    if (!line) throw new Error(`${name} is not registered as ${registration} in ${TERRAFORM_FILES.provider}`);
  };

  // Provider block.
  const provider = terraformBlock(parseSchemaMap(schemaMapBody(providerGo)), () => ({}), false);
  const providerTs = read(pulumi, 'sdk/nodejs/provider.ts');
  const secrets = new Set(secretOutputs(providerTs));
  for (const attribute of Object.values(provider.attributes)) attribute.pulumi_secret = secrets.has(attribute.pulumi_name);
  crossCheck('provider', provider, interfaceMembers(providerTs, 'ProviderArgs') ?? [], () => []);
  const sensitivity = Object.entries(provider.attributes).filter(([, a]) => a.sensitive !== a.pulumi_secret);
  if (sensitivity.length > 0) throw new Error(`provider attributes sensitive in one engine only: ${sensitivity.map(([n]) => n).join(', ')}`);

  // Resources.
  const resources: Record<string, FixtureObject> = {};
  for (const [name, spec] of Object.entries(TERRAFORM_FILES.resources)) {
    registered(name, spec.registration);
    const nestedSources = spec.nested.map((file) => read(terraform, file));
    const nested = (typeName: string) => {
      const sourceText = nestedSources.find((text) => text.includes(`*${typeName}) Schema()`));
      if (!sourceText) throw new Error(`no Schema() for ${typeName} in ${spec.nested.join(', ')}`);
      return parseSchemaMap(schemaMethodBody(sourceText, typeName));
    };
    const block = terraformBlock(parseSchemaMap(schemaMethodBody(read(terraform, spec.file), spec.type)), nested, true);
    const sdk = PULUMI_FILES.resources[name as keyof typeof PULUMI_FILES.resources];
    const sdkText = read(pulumi, sdk.file);
    const nestedInputs = (typeName: string) => dotnetInputs(read(pulumi, `sdk/dotnet/Inputs/${sdk.name}${typeName}Args.cs`));
    crossCheck(name, block, interfaceMembers(sdkText, `${sdk.name}Args`) ?? [], nestedInputs);
    for (const nestedBlock of Object.values(block.blocks)) nestedBlock.pulumi_type = `${sdk.name}${nestedBlock.pulumi_type}`;
    resources[name] = { pulumi_token: pulumiTypeToken(sdkText), pulumi_name: sdk.name, ...(name === 'dynatrace_iam_policy_bindings_v2' ? { import_id: '<group-uuid>#-#<account|environment>#-#<account-uuid|environment-id>' } : {}), ...block };
  }

  // Data sources: arguments from `<Fn>Args`, results from `<Fn>Result`.
  const dataSources: Record<string, FixtureObject> = {};
  for (const [name, spec] of Object.entries(TERRAFORM_FILES.dataSources)) {
    registered(name, spec.registration);
    const block = terraformBlock(parseSchemaMap(schemaMapBody(read(terraform, spec.file))), () => ({}), true);
    const sdk = PULUMI_FILES.dataSources[name as keyof typeof PULUMI_FILES.dataSources];
    const sdkText = read(pulumi, sdk.file);
    crossCheck(`data.${name}`, block, interfaceMembers(sdkText, `${upperFirst(sdk.name)}Args`) ?? [], () => []);
    const results = new Set((interfaceMembers(sdkText, `${upperFirst(sdk.name)}Result`) ?? []).map((m) => m.name));
    const missing = Object.values(block.attributes).filter((a) => !results.has(a.pulumi_name));
    if (missing.length > 0) throw new Error(`data.${name}: not in the Pulumi result: ${missing.map((a) => a.pulumi_name).join(', ')}`);
    dataSources[name] = { pulumi_token: invokeToken(sdkText), pulumi_name: sdk.name, ...block };
  }

  const fixture = {
    source: {
      terraform: {
        repository: 'dynatrace-oss/terraform-provider-dynatrace',
        tag: terraform.rev,
        commit: commit(terraform),
        date: date(terraform),
        files: [TERRAFORM_FILES.provider, ...Object.values(TERRAFORM_FILES.resources).flatMap((r) => [r.file, ...r.nested]), ...Object.values(TERRAFORM_FILES.dataSources).map((d) => d.file)],
      },
      pulumi: {
        repository: 'pulumiverse/pulumi-dynatrace',
        tag: pulumi.rev,
        commit: commit(pulumi),
        date: date(pulumi),
        bridges: `terraform-provider-dynatrace ${bridged ?? '(unknown)'} (provider/go.mod)`,
        files: [
          'sdk/nodejs/provider.ts',
          'sdk/nodejs/utilities.ts',
          ...Object.values(PULUMI_FILES.resources).map((r) => r.file),
          ...Object.values(PULUMI_FILES.dataSources).map((d) => d.file),
          'sdk/dotnet/Inputs/IamPolicyBindingsV2PolicyArgs.cs',
        ],
      },
      generator: 'scripts/gen-dynatrace-schema.ts',
      note:
        'Terraform names and flags from the Go source; pulumi_* from the generated Pulumi SDKs, cross-checked by the generator. `computed` alone marks read-only attributes. SDKv2 adds `id` (optional + computed) to resources and data sources.',
    },
    pulumi: {
      package: 'dynatrace',
      npm_package: '@pulumiverse/dynatrace',
      version: pulumiVersion,
      plugin_download_url: pluginDownloadUrl(read(pulumi, 'sdk/nodejs/utilities.ts')),
      provider_type: `pulumi:providers:${pulumiTypeToken(providerTs)}`,
    },
    provider,
    resources,
    data_sources: dataSources,
  };
  process.stdout.write(`${JSON.stringify(fixture, null, 2)}\n`);
}

if (require.main === module) main(process.argv.slice(2));
