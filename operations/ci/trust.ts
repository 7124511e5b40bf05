/**
 * May a pull request plan with the read credentials at once, or does it wait for a maintainer?
 *
 * The plan workflow runs this with the base branch's code, on the pull request's files read as data from
 * git (never checked out, never run). A pull request plans at once only when all of these hold:
 *
 * - it comes from a branch of this repository (a fork's code is nobody's yet);
 * - every changed path is tenant data — the tenants file or a `Pulumi.<tenant>.yaml` (regular files, not
 *   links) — or cannot change what runs ({@link OUTPUT_NEUTRAL}: docs, tests); anything else is code the
 *   plan jobs would run with credentials: `constructs/`, `operations/`, `cli/`, `package*.json`,
 *   `.github/`, the provider lock file, an unknown file;
 * - no tenant's credentials go anywhere new: for every tenant, the Okta org, the names of its secrets
 *   (and service app), its Dynatrace account and its state backends are as on the base branch — a new
 *   tenant, or one pointed at another org or another tenant's secret, could send a credential to a host
 *   of the author's choosing;
 * - a stack file changes only in the keys `stacks` writes (not its secrets provider, encrypted key,
 *   environments or other config, which decide what a preview decrypts and where).
 *
 * Otherwise the plan jobs run only after a maintainer approves the run (GitHub environment
 * `plan-approval`, required reviewers), with every reason listed for them.
 */
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'yaml';
import type { ResolvedTenant } from '../../constructs/model/tenant';
import { OWNED_CONFIG_KEYS } from '../../constructs/tenants/pulumi-stacks';
import { classifyPath, type ProjectLayout } from './inputs';

/** One line of `git diff --raw`: the new file mode (`000000` when deleted), status and path. */
export interface ChangedFile {
  readonly path: string;
  readonly mode: string;
  readonly status: string;
}

export interface TrustInput {
  readonly sameRepository: boolean;
  readonly layout: ProjectLayout;
  readonly changes: readonly ChangedFile[];
  /** Tenants at the base; undefined when the file did not exist or did not validate there. */
  readonly base?: readonly ResolvedTenant[];
  /** Tenants of the pull request; undefined when the file does not validate (nothing then plans). */
  readonly head?: readonly ResolvedTenant[];
  /** Stack file text by tenant, at the base and in the pull request, for the stack files that changed. */
  readonly stackFiles: ReadonlyMap<string, { readonly base?: string; readonly head?: string }>;
}

export interface TrustDecision {
  readonly approval: 'required' | 'not-required';
  /** Why approval is required; empty when it is not. */
  readonly reasons: readonly string[];
}

const REGULAR_FILE = /^100644$|^000000$/;

export function decideTrust(input: TrustInput): TrustDecision {
  const reasons: string[] = [];
  if (!input.sameRepository) reasons.push('the pull request comes from a fork: its branch is nobody\'s in this repository');
  for (const change of input.changes) {
    const effect = classifyPath(change.path, input.layout);
    if (effect.kind === 'shared') reasons.push(`${change.path} changes code the plan jobs run: ${effect.why}`);
    else if (effect.kind !== 'neutral' && !REGULAR_FILE.test(change.mode)) reasons.push(`${change.path} is not a regular file (mode ${change.mode}): tenant data must be plain files`);
  }
  if (input.head) {
    const base = new Map((input.base ?? []).map((tenant) => [tenant.name, tenant]));
    for (const tenant of input.head) {
      const before = base.get(tenant.name);
      if (!before) reasons.push(`tenant ${tenant.name} is new: where its credentials go has not been reviewed`);
      else if (!isDeepStrictEqual(credentialRouting(before), credentialRouting(tenant))) reasons.push(`tenant ${tenant.name}: its credentials or where they go change (Okta org, secret names, Dynatrace account or state backend)`);
    }
  }
  for (const [tenant, files] of input.stackFiles) {
    if (!isDeepStrictEqual(unownedStackContent(files.base), unownedStackContent(files.head))) {
      reasons.push(`Pulumi.${tenant}.yaml changes more than the keys \`stacks\` writes (secrets provider, encrypted key, environments or other config)`);
    }
  }
  return { approval: reasons.length > 0 ? 'required' : 'not-required', reasons };
}

/** Everything that decides which credential a tenant's jobs read and which hosts receive it. */
function credentialRouting(tenant: ResolvedTenant): unknown {
  return {
    okta: { orgName: tenant.okta.orgName, baseDomain: tenant.okta.baseDomain, credentials: tenant.okta.credentials },
    scimToken: tenant.integration.scimToken,
    scimBaseUrl: tenant.integration.scimBaseUrl,
    dynatrace: tenant.integration.dynatrace ?? null,
    backend: tenant.backend,
  };
}

/** A stack file without the keys `stacks` owns (they mirror the tenants file, checked above). */
function unownedStackContent(text: string | undefined): unknown {
  if (text === undefined) return {};
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return { unparsable: text };
  }
  if (typeof doc !== 'object' || doc === null) return { value: doc };
  const { config, ...rest } = doc as { config?: Record<string, unknown> };
  const owned: readonly string[] = OWNED_CONFIG_KEYS;
  const unowned = Object.fromEntries(Object.entries(config ?? {}).filter(([key]) => !owned.includes(key)));
  return { ...rest, config: unowned };
}
