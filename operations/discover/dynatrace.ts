/**
 * The Dynatrace side of a discovery, when the account's OAuth client is in the environment: the policies
 * bound to each pushed group, at account level and in every environment of the account, written as the
 * groups' `policies` (by name where Dynatrace names the policy, else by uuid). Read-only, through verify's
 * Account Management client (scopes `account-idm-read`, `iam-policies-management`, `account-env-read`).
 */
import type { PolicyBindingSpec, SecretSource } from '../../constructs/model/spec';
import { conventionalSecretNames } from '../../constructs/model/secret-names';
import { DYNATRACE_IAM_READ_SCOPES, DynatraceIamClient, dynatraceCredentialsFromEnv, type LevelBindings, readDynatraceGroups } from '../verify/dynatrace-iam';
import type { HttpPolicy } from '../verify/okta-client';
import type { DiscoveryNote, EntryOptions } from './entry';

export interface PolicyRequest {
  readonly env: NodeJS.ProcessEnv;
  readonly policy: HttpPolicy;
  readonly dynatraceClientIdEnv?: string;
  readonly dynatraceClientSecretEnv?: string;
  readonly dynatraceApiUrl?: string;
  readonly dynatraceTokenUrl?: string;
}

export async function readPolicies(
  request: PolicyRequest,
  tenant: string,
  accountUuid: string | undefined,
  pushedNames: readonly string[],
): Promise<{ readonly policies?: EntryOptions['dynatrace']; readonly notes: DiscoveryNote[] }> {
  if (pushedNames.length === 0) return { notes: [] };
  const conventional = conventionalSecretNames(tenant);
  const names = { clientId: request.dynatraceClientIdEnv ?? conventional.dynatraceClientId.env, clientSecret: request.dynatraceClientSecretEnv ?? conventional.dynatraceClientSecret.env };
  const found = dynatraceCredentialsFromEnv(request.env, names);
  if ('problem' in found) {
    return { notes: [{ kind: 'console', subject: 'policies', message: `the pushed groups' permissions in Dynatrace were not read (${found.problem}); to adopt them as policies, export ${names.clientId} and ${names.clientSecret} (an OAuth client with account-idm-read, iam-policies-management, account-env-read) and run discover again` }] };
  }
  if (accountUuid === undefined) {
    return { notes: [{ kind: 'console', subject: 'policies', message: 'the pushed groups\' permissions were not read: the account is unknown (a custom SCIM endpoint); give --dynatrace-account' }] };
  }
  const client = new DynatraceIamClient({
    credentials: found.credentials,
    policy: request.policy,
    scopes: [...DYNATRACE_IAM_READ_SCOPES, 'account-env-read'],
    ...(request.dynatraceApiUrl ? { apiUrl: request.dynatraceApiUrl } : {}),
    ...(request.dynatraceTokenUrl ? { tokenUrl: request.dynatraceTokenUrl } : {}),
  });
  const environments = await client.listEnvironments(accountUuid);
  const groups = await readDynatraceGroups(client, accountUuid, pushedNames, { environments });
  const notes: DiscoveryNote[] = [];
  const policies = new Map<string, PolicyBindingSpec[]>();
  for (const group of groups) {
    if (group.uuid === undefined) {
      notes.push({ kind: 'console', subject: `Dynatrace group "${group.name}"`, message: 'not in the Dynatrace account (yet): Okta has not pushed it, or it was renamed there; no policies written for it' });
      continue;
    }
    if (group.owner !== undefined && group.owner !== 'SCIM') notes.push({ kind: 'warning', subject: `Dynatrace group "${group.name}"`, message: `its owner is ${group.owner}, not SCIM: Okta's push did not create it` });
    const bindings = group.bindings.flatMap(bindingsAt);
    if (bindings.length > 0) policies.set(group.name, bindings);
  }
  if (policies.size === 0) return { notes };
  const source = (env: string, pulumiConfig: string): SecretSource => ({ env, pulumiConfig });
  notes.push({ kind: 'warning', subject: 'policies', message: 'the pushed groups\' bindings are written as `policies`: from stage 2 on, the stacks own every binding of these groups at those levels (dynatrace_iam_policy_bindings_v2 rewrites a level\'s bindings on apply, with the same policies)' });
  return {
    notes,
    policies: {
      oauthClient: { clientId: source(names.clientId, conventional.dynatraceClientId.pulumiConfig), clientSecret: source(names.clientSecret, conventional.dynatraceClientSecret.pulumiConfig) },
      policies,
    },
  };
}

/** One level's bindings in the model's terms: by name (and where it is defined) when Dynatrace names the policy. */
function bindingsAt(level: LevelBindings): PolicyBindingSpec[] {
  return level.policies.map((bound) => {
    const definedIn = bound.definedAt === 'account' || bound.definedAt === 'environment' ? bound.definedAt : undefined;
    const policy: PolicyBindingSpec = bound.name !== undefined ? { name: bound.name, ...(definedIn ? { definedIn } : {}) } : { uuid: bound.uuid };
    return {
      ...policy,
      ...(level.level === 'account' ? { account: true as const } : { environment: level.levelId }),
      ...(Object.keys(bound.parameters).length > 0 ? { parameters: { ...bound.parameters } } : {}),
      ...(bound.boundaries.length > 0 ? { boundaries: [...bound.boundaries] } : {}),
    };
  });
}
