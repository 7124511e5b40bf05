/**
 * Regenerates test/fixtures/okta-provider-schema.json: the Terraform schema (argument names, required,
 * computed-only, type, documented valid values, nested blocks) of exactly the Okta objects this project
 * emits, for the conformance test.
 *
 * Source: the type declarations of `@pulumi/okta` 7.0.0, which Pulumi generates from the schema of
 * terraform-provider-okta v7.0.0 (bridged provider). Pulumi spells attributes in camelCase and renames
 * an input called `id` to `idProperty`; both are mapped back here. `*Args` lists the arguments
 * (required when not optional), `*State` every attribute (those absent from `*Args` are computed-only),
 * and the doc comments carry the documented valid values.
 *
 * Usage: npx tsx scripts/gen-provider-schema.ts > test/fixtures/okta-provider-schema.json
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';

const PACKAGE = dirname(require.resolve('@pulumi/okta/package.json'));
const VERSION = (JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * Terraform type → [declaration file, Pulumi class or function name]. Only resources whose Pulumi names
 * map back mechanically: `okta_app_group_assignments` is left out because Pulumi renames its `group`
 * block to `groups` (the Go-source fixture covers it).
 */
const RESOURCES: Record<string, [string, string]> = {
  okta_app_auto_login: ['app/autoLogin.d.ts', 'AutoLogin'],
  okta_app_saml: ['app/saml.d.ts', 'Saml'],
  okta_app_connection: ['app/connection.d.ts', 'Connection'],
  okta_app_features: ['app/features.d.ts', 'Features'],
  okta_app_group_assignment: ['app/groupAssignment.d.ts', 'GroupAssignment'],
  okta_push_group: ['pushGroup.d.ts', 'PushGroup'],
  okta_group: ['group/group.d.ts', 'Group'],
};
const DATA_SOURCES: Record<string, [string, string]> = { okta_group: ['group/getGroup.d.ts', 'GetGroup'], okta_app: ['app/getApp.d.ts', 'GetApp'] };

interface Attribute {
  required: boolean;
  optional: boolean;
  computed: boolean;
  type: string;
  valid_values?: string[];
}
interface Block {
  attributes: Record<string, Attribute>;
  blocks: Record<string, Block>;
}
interface Member {
  name: string;
  optional: boolean;
  type: string;
  doc: string;
}

const sources = new Map<string, ts.SourceFile>();
function source(file: string): ts.SourceFile {
  if (!sources.has(file)) sources.set(file, ts.createSourceFile(file, readFileSync(join(PACKAGE, file), 'utf8'), ts.ScriptTarget.ES2022, true));
  return sources.get(file)!;
}

/** Members of `interface <name>` anywhere in `file` (including inside `export declare namespace`). */
function members(file: string, name: string): Member[] | undefined {
  const sf = source(file);
  let found: Member[] | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === name) {
      found = node.members.filter(ts.isPropertySignature).map((m) => ({
        name: (m.name as ts.Identifier).text,
        optional: m.questionToken !== undefined,
        type: m.type!.getText(sf),
        doc: ts.getJSDocCommentsAndTags(m).map((d) => d.getText(sf)).join('\n'),
      }));
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

const snake = (key: string): string => (key === 'idProperty' ? 'id' : key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));

/** Values listed after "Valid values" in the doc comment: inline (`a` or `b`) or as a bullet list. */
function validValues(doc: string): string[] | undefined {
  const at = doc.search(/Valid values/);
  if (at < 0) return undefined;
  const [first, ...rest] = doc.slice(at).split('\n');
  const values = [...first.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
  for (const line of rest) {
    const bullet = /^\s*\*\s+\*\s+`([^`]+)`/.exec(line);
    if (!bullet) break;
    values.push(bullet[1]);
  }
  return values.length > 0 ? values : undefined;
}

/** `pulumi.Input<inputs.app.ConnectionProfile | undefined>` → `ConnectionProfile` (a nested block). */
function nestedType(type: string): string | undefined {
  return /(?:inputs|outputs)\.(?:[a-z]+\.)?([A-Z][A-Za-z]+)/.exec(type)?.[1];
}

function scalarType(type: string): string {
  if (/\[\]/.test(type)) return 'list';
  if (/boolean/.test(type)) return 'bool';
  if (/number/.test(type)) return 'number';
  if (/\{\s*\[key: string\]/.test(type)) return 'map';
  return 'string';
}

function block(inputs: Member[], state: Member[] | undefined): Block {
  const result: Block = { attributes: {}, blocks: {} };
  const all = new Map<string, Member>([...(state ?? []), ...inputs].map((m) => [m.name, m]));
  const inputNames = new Set(inputs.map((m) => m.name));
  for (const [name, member] of [...all].sort(([a], [b]) => a.localeCompare(b))) {
    const nested = nestedType(member.type);
    if (nested && inputNames.has(name)) {
      const nestedMembers = members('types/input.d.ts', nested) ?? [];
      result.blocks[snake(name)] = block(nestedMembers, undefined);
      continue;
    }
    const isInput = inputNames.has(name);
    const values = validValues(member.doc);
    result.attributes[snake(name)] = {
      required: isInput && !member.optional,
      optional: isInput && member.optional,
      computed: !isInput,
      type: scalarType(member.type),
      ...(values ? { valid_values: values } : {}),
    };
  }
  return result;
}

const fixture = {
  source: {
    package: `@pulumi/okta@${VERSION}`,
    upstream: 'terraform-provider-okta v7.0.0 (the package is bridged from it)',
    generator: 'scripts/gen-provider-schema.ts',
    note: 'Attribute names are the Terraform names (snake_case, idProperty → id). `computed` marks read-only attributes (set by the provider, never by configuration).',
  },
  provider: block(members('provider.d.ts', 'ProviderArgs')!, undefined),
  resources: Object.fromEntries(
    Object.entries(RESOURCES).map(([type, [file, name]]) => [type, block(members(file, `${name}Args`)!, members(file, `${name}State`))]),
  ),
  data_sources: Object.fromEntries(
    Object.entries(DATA_SOURCES).map(([type, [file, name]]) => {
      const result = (members(file, `${name}Result`) ?? []).map((m) => ({ ...m, optional: true }));
      return [type, block(members(file, `${name}Args`)!, result)];
    }),
  ),
};

process.stdout.write(`${JSON.stringify(fixture, null, 2)}\n`);
