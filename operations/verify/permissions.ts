/**
 * The Dynatrace side of a tenant whose plan binds policies (stage 2, pushed groups with `policies`): each
 * group exists with owner `SCIM`, and at every level the plan binds, the group's bindings equal the plan's
 * (policy uuid — named policies resolved where they are defined —, parameters, boundaries). Expectations
 * come from the plan's bindings resources and lookups, so what is checked is what apply would write.
 *
 * Read-only, through the Account Management API ({@link DynatraceIamClient}) with the OAuth client whose
 * environment variables the tenant names. The client secret is handed to the command's redaction; the
 * client itself keeps it and the access tokens out of every message.
 */
import type { ResolvedTenant } from '../../constructs/model/tenant';
import type { Engine } from '../../constructs/resources/names';
import { planResources } from '../../constructs/resources/plan';
import { roleName, ROLES } from '../../constructs/resources/roles';
import { isRef, type PlannedDataSource, type PlannedResource } from '../../constructs/resources/types';
import { type BindingLevel, type BoundPolicy, DYNATRACE_IAM_READ_SCOPES, DynatraceIamClient, dynatraceCredentialsFromEnv, type DynatraceGroupState, readDynatraceGroups, type ResolvedPolicy, resolvePolicies } from './dynatrace-iam';
import { type Finding, type ObjectNamer, objectNamer, same } from './findings';
import { HttpError, type HttpPolicy } from './okta-client';

export interface PermissionsOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly policy: HttpPolicy;
  readonly engine: Engine;
  /** @default the Account Management API; tests and proxies point elsewhere. */
  readonly apiUrl?: string;
  /** @default Dynatrace SSO's token endpoint */
  readonly tokenUrl?: string;
  /** Receives each secret value read (the client secret), for the command's redaction. */
  readonly secret: (value: string) => void;
}

type BindingsEntry = Extract<PlannedResource, { kind: 'dynatrace_iam_policy_bindings_v2' }>;
type PolicyLookup = Extract<PlannedDataSource, { kind: 'dynatrace_iam_policy' }>;

/** One level the plan binds for one group: what apply writes there. */
interface PlannedLevel {
  readonly entry: BindingsEntry;
  readonly at: BindingLevel;
  /** `account`, or the environment id: the field's middle part. */
  readonly label: string;
}

export async function comparePermissions(tenant: ResolvedTenant, options: PermissionsOptions): Promise<Finding[]> {
  const spec = tenant.integration;
  const plan = planResources(spec);
  const bindings = plan.filter((entry): entry is BindingsEntry => entry.kind === 'dynatrace_iam_policy_bindings_v2');
  if (bindings.length === 0 || !spec.dynatrace) return [];
  const accountUuid = spec.dynatrace.accountUuid;

  const { clientId, clientSecret } = spec.dynatrace.oauthClient;
  if (!clientId.env || !clientSecret.env) {
    const configs = [clientId, clientSecret].filter((source) => !source.env).map((source) => source.pulumiConfig ?? '?');
    return [
      couldNotCheck(
        `the OAuth client's source names only Pulumi secrets (${configs.join(', ')}); verify reads environment variables`,
        `add \`env: <VARIABLE>\` to integration.dynatrace.oauthClient.clientId and .clientSecret and export them, e.g. ${'`'}export X=$(pulumi config get ${configs[0]} --stack ${tenant.name})${'`'} with X as that variable`,
      ),
    ];
  }
  const read = dynatraceCredentialsFromEnv(options.env, { clientId: clientId.env, clientSecret: clientSecret.env });
  if ('problem' in read) return [couldNotCheck(read.problem, read.hint)];
  options.secret(read.credentials.clientSecret);
  const client = new DynatraceIamClient({
    credentials: read.credentials,
    policy: options.policy,
    ...(options.apiUrl ? { apiUrl: options.apiUrl } : {}),
    ...(options.tokenUrl ? { tokenUrl: options.tokenUrl } : {}),
  });

  const lookups = new Map(plan.filter((entry): entry is PlannedDataSource => entry.type === 'data').map((entry) => [roleName(entry.role), entry]));
  const groups = spec.groups.filter((group) => group.pushAs && group.policies);
  const levelsOf = (key: string): PlannedLevel[] =>
    bindings
      .filter((entry) => entry.role.key === key)
      .map((entry) => {
        const at = levelOf(entry);
        return { entry, at, label: at.level === 'account' ? 'account' : at.levelId };
      });
  const environments = [...new Set(bindings.flatMap((entry) => (entry.props.environment !== undefined ? [entry.props.environment] : [])))];
  const at = objectNamer(plan, tenant.name, options.engine);
  try {
    const states = await readDynatraceGroups(client, accountUuid, groups.map((group) => group.pushAs!), { environments });
    const resolved = await resolveNamedPolicies(client, accountUuid, bindings, lookups);
    return groups.flatMap((group, index) => compareGroup(group.key, group.pushAs!, states[index]!, levelsOf(group.key), { at, lookups, resolved, accountUuid }));
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return [{ area: 'dynatrace', field: 'api', expected: 'readable', actual: error.message, status: 'error', hint: apiHint(error, read.credentials.source) }];
  }
}

function couldNotCheck(problem: string, hint: string): Finding {
  return { area: 'dynatrace', field: 'oauth client', expected: 'the Dynatrace OAuth client in the environment', actual: `could not check: ${problem}`, status: 'error', hint };
}

function apiHint(error: HttpError, source: string): string {
  switch (error.kind) {
    case 'auth':
      return `Dynatrace refused the OAuth client from ${source}, or it lacks the scopes ${DYNATRACE_IAM_READ_SCOPES.join(', ')}: check the secret and the client's scopes (Account Management → Identity & access management → OAuth clients)`;
    case 'network':
      return "check the runner's network and proxy; raise --timeout if Dynatrace is slow";
    case 'rate-limited':
      return "the Account Management API's rate limit (about 200 requests a minute) did not lift in time; run again later";
    default:
      return 'unexpected answer from Dynatrace; run again, and report it if it persists';
  }
}

/** Resolutions of the plan's policy lookups, by lookup role name and level (`<role>@<levelId>`). */
type Resolutions = ReadonlyMap<string, ResolvedPolicy>;

/** Resolves every policy the plan looks up by name, once per level it is bound at. */
async function resolveNamedPolicies(client: DynatraceIamClient, accountUuid: string, bindings: readonly BindingsEntry[], lookups: ReadonlyMap<string, PlannedDataSource>): Promise<Resolutions> {
  const byLevel = new Map<string, { at: BindingLevel; roles: Set<string> }>();
  for (const entry of bindings) {
    const at = levelOf(entry);
    const slot = byLevel.get(at.levelId) ?? { at, roles: new Set<string>() };
    for (const policy of entry.props.policy) if (isRef(policy.id)) slot.roles.add(roleName(policy.id.ref));
    byLevel.set(at.levelId, slot);
  }
  const resolutions = new Map<string, ResolvedPolicy>();
  for (const { at, roles } of byLevel.values()) {
    if (roles.size === 0) continue;
    const refs = [...roles].map((role) => {
      const lookup = lookups.get(role) as PolicyLookup;
      return { role, ref: { name: lookup.props.name, definedIn: definedIn(lookup) } };
    });
    const results = await resolvePolicies(client, accountUuid, refs.map((r) => r.ref), at);
    refs.forEach((r, i) => resolutions.set(`${r.role}@${at.levelId}`, results[i]!));
  }
  return resolutions;
}

/** The level a bindings resource binds at: the account, or one environment. */
function levelOf(entry: BindingsEntry): BindingLevel {
  return entry.props.account !== undefined ? { level: 'account', levelId: entry.props.account } : { level: 'environment', levelId: entry.props.environment! };
}

function definedIn(lookup: PolicyLookup): 'global' | 'account' | 'environment' {
  return lookup.props.account !== undefined ? 'account' : lookup.props.environment !== undefined ? 'environment' : 'global';
}

interface GroupContext {
  readonly at: ObjectNamer;
  readonly lookups: ReadonlyMap<string, PlannedDataSource>;
  readonly resolved: Resolutions;
  readonly accountUuid: string;
}

function compareGroup(key: string, name: string, state: DynatraceGroupState, levels: readonly PlannedLevel[], ctx: GroupContext): Finding[] {
  const findings: Finding[] = [];
  const groupAt = ctx.at(ROLES.iamGroup(key));
  const expected = `SCIM group "${name}"`;
  if (state.uuid === undefined) {
    findings.push({
      area: 'dynatrace',
      field: `${key}.group`,
      ...groupAt,
      expected,
      actual: 'not in Dynatrace',
      status: 'drift',
      hint: 'finish the push (the console step, provisioning.enabled: true and the stage 2 apply make Okta push the group), then run apply again to bind its policies',
    });
    return findings;
  }
  if (state.owner === undefined) {
    findings.push({ area: 'dynatrace', field: `${key}.group`, ...groupAt, expected, actual: `group ${state.uuid}, owner not returned`, status: 'unknown', hint: 'Dynatrace did not return the group\'s owner: check in Account Management → Groups that it is owned by SCIM' });
  } else {
    const scim = state.owner === 'SCIM';
    findings.push({
      area: 'dynatrace',
      field: `${key}.group`,
      ...groupAt,
      expected,
      actual: `${state.owner} group "${name}" (${state.uuid})`,
      status: scim ? 'ok' : 'drift',
      ...(scim
        ? {}
        : {
            hint: `a ${state.owner} group of this name shadows the group Okta pushes: group names are unique in a Dynatrace account, so the pushed group cannot take it, and the stacks' lookup binds the policies to this one. Delete or rename it in Account Management, push the group again (Okta → Push Groups), then apply`,
          }),
    });
  }
  for (const level of levels) findings.push(...compareLevel(key, state, level, ctx));
  return findings;
}

/** One level: each planned binding present and equal, nothing else bound there (apply would remove it). */
function compareLevel(key: string, state: DynatraceGroupState, level: PlannedLevel, ctx: GroupContext): Finding[] {
  const findings: Finding[] = [];
  const bindingsAt = ctx.at(level.entry.role, 'policy');
  const live = state.bindings.find((b) => b.level === level.at.level && b.levelId === level.at.levelId);
  if (!live?.levelFound) {
    return [{ area: 'dynatrace', field: `${key}.${level.label}`, ...ctx.at(level.entry.role, level.at.level), expected: `environment ${level.at.levelId} of account ${ctx.accountUuid}`, actual: 'not found', status: 'drift', hint: 'Dynatrace knows no such environment in this account: fix the environment id (the id in the environment\'s URL)' }];
  }
  const planned = new Set<string>();
  for (const policy of level.entry.props.policy) {
    let uuid: string;
    let label: string;
    if (isRef(policy.id)) {
      const lookup = ctx.lookups.get(roleName(policy.id.ref)) as PolicyLookup;
      const resolution = ctx.resolved.get(`${roleName(policy.id.ref)}@${level.at.levelId}`)!;
      label = lookup.props.name;
      if ('problem' in resolution) {
        findings.push({ area: 'dynatrace', field: `${key}.${level.label}.${label}`, ...ctx.at(lookup.role), expected: `policy "${label}" defined at ${definedIn(lookup)}`, actual: resolution.problem, status: 'drift', hint: 'the plan stops at this lookup: fix the policy name or `definedIn` in the tenants file' });
        continue;
      }
      uuid = resolution.uuid;
    } else {
      uuid = policy.id;
      label = live.policies.find((p) => p.uuid === uuid)?.name ?? uuid;
    }
    planned.add(uuid);
    const bound = live.policies.find((p) => p.uuid === uuid);
    findings.push(
      same({
        area: 'dynatrace',
        field: `${key}.${level.label}.${label}`,
        at: bindingsAt,
        expected: describe(label, { uuid, parameters: policy.parameters ?? {}, boundaries: policy.boundaries ?? [] }),
        actual: bound ? describe(label, bound) : 'not bound',
        hint: bound ? `run apply for this tenant: it sets the parameters and boundaries of "${label}" back` : `run apply for this tenant: it binds "${label}"`,
      }),
    );
  }
  for (const extra of live.policies.filter((p) => !planned.has(p.uuid))) {
    const label = extra.name ?? extra.uuid;
    findings.push({
      area: 'dynatrace',
      field: `${key}.${level.label}.${label}`,
      ...bindingsAt,
      expected: 'not bound (not in the tenants file)',
      actual: describe(label, extra),
      status: 'drift',
      hint: `"${label}" is bound in Dynatrace but not in the tenants file: the next apply removes it, because the group's bindings resource at this level replaces every binding there. Add it to the group's policies to keep it`,
    });
  }
  return findings;
}

/**
 * A binding as one comparable line: the policy's name (or uuid) and uuid, then parameters and boundaries in
 * a stable order. Both sides of a comparison get the same `label`, so only uuid, parameters and boundaries
 * can differ.
 */
function describe(label: string, binding: Pick<BoundPolicy, 'uuid' | 'parameters' | 'boundaries'>): string {
  const uuid = binding.uuid.toLowerCase();
  const parameters = Object.entries(binding.parameters).sort(([a], [b]) => a.localeCompare(b));
  const boundaries = [...binding.boundaries].map((b) => b.toLowerCase()).sort();
  return [
    label === binding.uuid ? uuid : `${label} (${uuid})`,
    ...(parameters.length > 0 ? [`parameters ${parameters.map(([k, v]) => `${k}=${v}`).join(', ')}`] : []),
    ...(boundaries.length > 0 ? [`boundaries ${boundaries.join(', ')}`] : []),
  ].join('; ');
}
