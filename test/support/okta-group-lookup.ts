/**
 * How the okta provider's `okta_group` data source (Pulumi: `okta:group/getGroup:getGroup`, bridged from it)
 * picks a group by name, as its source reads (okta/terraform-provider-okta,
 * `okta/services/idaas/data_source_okta_group.go`, `findGroup`): `GET /api/v1/groups?q=<name>` (name
 * prefixes), plus `filter=type eq "<type>"` when `type` is set; of several answers the first whose name is
 * exact (and of that type, when given), else an error; one answer is taken even if its name only starts
 * with the one asked for. Both engines' tests feed it the arguments the stacks emit.
 */

export interface OrgGroup {
  readonly id: string;
  readonly name: string;
  readonly type: 'OKTA_GROUP' | 'APP_GROUP' | 'BUILT_IN';
}

export function providerGroupLookup(groups: readonly OrgGroup[], args: { name?: unknown; type?: unknown }): OrgGroup {
  const name = String(args.name);
  const type = typeof args.type === 'string' ? args.type : undefined;
  const found = groups.filter((group) => group.name.toLowerCase().startsWith(name.toLowerCase()) && (type === undefined || group.type === type));
  if (found.length === 0) throw new Error(`group with name "${name}"${type ? ` and type "${type}"` : ''} does not exist`);
  if (found.length === 1) return found[0]!;
  const exact = found.find((group) => group.name === name);
  if (!exact) throw new Error(`group starting with name "${name}" matches ${found.length} groups, select a more precise name parameter`);
  return exact;
}
