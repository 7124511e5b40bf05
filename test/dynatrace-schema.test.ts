/**
 * The Dynatrace schema pipeline: scripts/gen-dynatrace-schema.ts (Go source + Pulumi SDK → fixture; run by
 * hand on fetched repositories, so its parsing is tested here on small inline sources) and
 * scripts/gen-dynatrace-bindings.ts (fixture → the two committed *.generated.ts files).
 */
import { readFileSync } from 'node:fs';
import { CDKTF_OUTPUT, loadFixture, PULUMI_OUTPUT, renderCdktf, renderPulumi } from '../scripts/gen-dynatrace-bindings';
import { crossCheck, dotnetInputs, goString, interfaceMembers, invokeToken, parseSchemaMap, pluralCamelCase, schemaMethodBody, secretOutputs, terraformBlock } from '../scripts/gen-dynatrace-schema';

describe('generated Dynatrace bindings', () => {
  it.each([
    [CDKTF_OUTPUT, renderCdktf],
    [PULUMI_OUTPUT, renderPulumi],
  ])('%s is what the generator makes from the committed fixture', (file, render) => {
    expect(readFileSync(file, 'utf8')).toBe(render(loadFixture()));
  });

  it('the fixture says what the bindings rely on', () => {
    const fixture = loadFixture();
    const bindings = fixture.resources.dynatrace_iam_policy_bindings_v2!;
    expect(bindings.attributes.group).toMatchObject({ required: true, force_new: true, type: 'string' });
    expect(bindings.attributes.account).toMatchObject({ optional: true, force_new: true, conflicts_with: ['environment'], at_least_one_of: ['environment', 'account'] });
    expect(bindings.blocks.policy).toMatchObject({ nesting: 'set', pulumi_name: 'policies', pulumi_type: 'IamPolicyBindingsV2Policy' });
    expect(Object.keys(bindings.blocks.policy!.attributes)).toEqual(['boundaries', 'id', 'metadata', 'parameters']);
    expect(fixture.data_sources.dynatrace_iam_group!.attributes).toMatchObject({ name: { required: true }, id: { computed: true } });
    expect(fixture.data_sources.dynatrace_iam_policy!.attributes.uuid).toMatchObject({ optional: true, computed: true });
    const provider = fixture.provider.attributes;
    expect(provider.iam_client_secret).toMatchObject({ sensitive: true, pulumi_secret: true, env: ['IAM_CLIENT_SECRET', 'DYNATRACE_IAM_CLIENT_SECRET', 'DT_IAM_CLIENT_SECRET', 'DYNATRACE_CLIENT_SECRET', 'DT_CLIENT_SECRET'] });
    expect(provider.iam_account_id!.env).toContain('DT_ACCOUNT_ID');
    expect(fixture.source.terraform).toMatchObject({ tag: 'v1.102.0', commit: 'd469f3d3294551e47171bd466c92c04d96364194' });
  });
});

// Small Go and TypeScript sources written for these tests, in the shapes the upstream files use.
const GO = `
type Binding struct{}

func (me *Binding) Schema() map[string]*schema.Schema {
	return map[string]*schema.Schema{
		"group": {
			Type:        schema.TypeString,
			Required:    true,
			Description: "The group, {with braces}, and \\"quotes\\"",
			ForceNew:    true,
		},
		// a comment with "quotes", commas, and { braces
		"level": {
			Type:          schema.TypeString,
			Optional:      true,
			ConflictsWith: []string{"other"},
			DefaultFunc:   schema.MultiEnvDefaultFunc([]string{"LEVEL", "DT_LEVEL"}, nil),
			Sensitive:     true,
		},
		"tags": {
			Type:     schema.TypeSet,
			Optional: true,
			Elem:     &schema.Schema{Type: schema.TypeString},
		},
		"rule": {
			Type:        schema.TypeSet,
			Optional:    true,
			Description: "Rules " + ` + "`raw`" + `,
			Elem:        &schema.Resource{Schema: new(Rule).Schema()},
		},
	}
}

func (me *Rule) Schema() map[string]*schema.Schema {
	return map[string]*schema.Schema{
		"id":     {Type: schema.TypeString, Required: true},
		"labels": {Type: schema.TypeMap, Optional: true, Elem: &schema.Schema{Type: schema.TypeString}},
	}
}
`;

describe('gen-dynatrace-schema: Go schema literals', () => {
  const fields = parseSchemaMap(schemaMethodBody(GO, 'Binding'));

  it('reads flags, descriptions (escapes, concatenation, raw strings), env defaults and conflicts; skips comments', () => {
    expect(fields.group).toEqual({ type: 'TypeString', required: true, optional: false, computed: false, sensitive: false, forceNew: true, description: 'The group, {with braces}, and "quotes"' });
    expect(fields.level).toEqual({ type: 'TypeString', required: false, optional: true, computed: false, sensitive: true, forceNew: false, env: ['LEVEL', 'DT_LEVEL'], conflictsWith: ['other'] });
    expect(fields.tags).toMatchObject({ type: 'TypeSet', elemType: 'TypeString' });
    expect(fields.rule).toMatchObject({ type: 'TypeSet', elemResource: 'Rule', description: 'Rules raw' });
    expect(goString('"a" + `b` + "\\tc"')).toBe('ab\tc');
    expect(goString('fmt.Sprintf("x")')).toBeUndefined();
  });

  it("builds Terraform's view: attributes, nested blocks, the implicit id; Pulumi names pluralise repeated blocks", () => {
    const block = terraformBlock(fields, (type) => parseSchemaMap(schemaMethodBody(GO, type)), true);
    expect(Object.keys(block.attributes)).toEqual(['group', 'id', 'level', 'tags']);
    expect(block.attributes.id).toMatchObject({ optional: true, computed: true });
    expect(block.attributes.tags).toMatchObject({ type: 'set', element_type: 'string' });
    expect(block.blocks.rule).toMatchObject({ nesting: 'set', pulumi_name: 'rules', pulumi_type: 'Rule', description: 'Rules raw' });
    expect(block.blocks.rule!.attributes.labels).toMatchObject({ type: 'map', element_type: 'string', pulumi_name: 'labels' });
    expect([pluralCamelCase('policy'), pluralCamelCase('rule'), pluralCamelCase('federated_attribute_values')]).toEqual(['policies', 'rules', 'federatedAttributeValues']);
  });

  it('refuses what it does not model instead of guessing', () => {
    expect(() => parseSchemaMap('"x": {Type: schema.TypeString, Default: "a"}')).toThrow('schema Default values are not modelled by this generator');
    expect(() => parseSchemaMap('"x": {Type: schema.TypeString, Elem: someElem()}')).toThrow('unsupported Elem: someElem()');
    expect(() => parseSchemaMap('"x": sharedSchema,')).toThrow('unsupported schema entry');
  });
});

describe('gen-dynatrace-schema: Pulumi SDK facts and the cross-check', () => {
  const SDK = `
    export function getThing(args: GetThingArgs): Promise<GetThingResult> {
      return pulumi.runtime.invoke("dynatrace:index/getThing:getThing", { "name": args.name }, opts);
    }
    export interface GetThingArgs {
      /** The name */
      name: string;
      level?: string;
    }
    const secretOpts = { additionalSecretOutputs: ["clientSecret", "level"] };`;

  it('reads tokens, members, secrets and .NET inputs', () => {
    expect(invokeToken(SDK)).toBe('dynatrace:index/getThing:getThing');
    expect(interfaceMembers(SDK, 'GetThingArgs')).toEqual([{ name: 'name', optional: false, doc: 'The name' }, { name: 'level', optional: true }]);
    expect(secretOutputs(SDK)).toEqual(['clientSecret', 'level']);
    expect(dotnetInputs('[Input("id", required: true)]\n[Input("labels")]')).toEqual([{ name: 'id', optional: false }, { name: 'labels', optional: true }]);
  });

  it('stops on any disagreement between the Terraform and the Pulumi arguments', () => {
    const block = terraformBlock(parseSchemaMap(schemaMethodBody(GO, 'Binding')), (type) => parseSchemaMap(schemaMethodBody(GO, type)), true);
    const rule = [{ name: 'id', optional: false }, { name: 'labels', optional: true }];
    const pulumi = [{ name: 'group', optional: false }, { name: 'level', optional: true }, { name: 'tags', optional: true }, { name: 'rules', optional: true }];
    expect(() => crossCheck('binding', block, pulumi, () => rule)).not.toThrow();
    expect(() => crossCheck('binding', block, [...pulumi.slice(1), { name: 'group', optional: true }], () => rule)).toThrow('binding.group: required in Terraform only');
    expect(() => crossCheck('binding', block, pulumi.filter((m) => m.name !== 'rules'), () => rule)).toThrow('binding.rule: no Pulumi input rules');
    expect(() => crossCheck('binding', block, [...pulumi, { name: 'extra', optional: true }], () => rule)).toThrow('binding: Pulumi input extra has no Terraform attribute');
    expect(() => crossCheck('binding', block, pulumi, () => [{ name: 'id', optional: true }, { name: 'labels', optional: true }])).toThrow('binding.rule.id: required in Terraform only');
  });
});
