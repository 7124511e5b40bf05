/**
 * What a plan says when a Dynatrace lookup finds nothing. The provider's `dynatrace_iam_group` and
 * `dynatrace_iam_policy` answer null attributes instead of an error, so both renderers stop the plan themselves
 * (Terraform: a postcondition; Pulumi: a failing apply) with the same words. Imports no engine.
 */

/** The SCIM group Okta should have pushed is not in Dynatrace. */
export function missingGroupMessage(groupName: string): string {
  return `group "${groupName}" is not in Dynatrace yet: finish the console step and the push, then apply again`;
}

/**
 * No policy of that name where it was looked for. `definedAt` is where the policy is *defined*:
 * `global` (Dynatrace's own, e.g. "Standard User"), `account <uuid>` or `environment <id>`.
 */
export function missingPolicyMessage(policyName: string, definedAt: string): string {
  return `policy "${policyName}" is not defined at ${definedAt} level in Dynatrace: check its name and where it is defined (Dynatrace's own policies are global)`;
}
