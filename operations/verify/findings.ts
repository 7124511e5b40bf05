/**
 * What `verify` reports per checked field, and how a finding names the object it is about: the plan's
 * objects as the chosen engine names them (`terraform plan` addresses and snake_case attributes,
 * `pulumi preview` type tokens, names and camelCase inputs; `constructs/resources/names.ts`), so a reader
 * can match each line to the engine's own output. Settings that are no resource's attribute (the console
 * step's, in its words; the credentials) keep plain names.
 */
import { type Engine, engineAddress, engineAttribute, tenantNaming } from '../../constructs/resources/names';
import { type Role, roleName, sameRole } from '../../constructs/resources/roles';
import type { PlannedEntry } from '../../constructs/resources/types';

export type FindingStatus = 'ok' | 'drift' | 'unknown' | 'error';
export type FindingArea = 'okta' | 'app' | 'connection' | 'features' | 'assignments' | 'push' | 'profileMapping' | 'credential' | 'dynatrace';

/** One checked field. `expected` and `actual` are display strings; neither ever holds a secret. */
export interface Finding {
  readonly area: FindingArea;
  /** Engine-neutral name of the field, stable across engines (`dynatrace-admins.priority`). */
  readonly field: string;
  /** The plan object the field belongs to, as the engine names it; absent for settings no resource holds. */
  readonly address?: string;
  /** The attribute as the engine spells it; absent when the finding is about the object itself. */
  readonly attribute?: string;
  readonly expected: string;
  readonly actual: string;
  /**
   * - `ok`: live value matches the model;
   * - `drift`: it does not (someone changed it, or apply did not run);
   * - `unknown`: Okta's public API does not expose it, or left it out; `hint` says what to check by hand;
   * - `error`: could not check (credentials, network, rate limit, unexpected answer).
   */
  readonly status: FindingStatus;
  /** What to do or check; for `unknown`, the manual check. */
  readonly hint?: string;
}

/** Where a finding points in the plan. */
export interface PlanObject {
  readonly address: string;
  readonly attribute?: string;
}

/** Names a plan entry (by role) and, given a neutral attribute path, its attribute, as one engine does. */
export type ObjectNamer = (role: Role, path?: string) => PlanObject;

export function objectNamer(plan: readonly PlannedEntry[], tenant: string, engine: Engine): ObjectNamer {
  const naming = tenantNaming(tenant);
  return (role, path) => {
    const entry = plan.find((e) => sameRole(e.role, role));
    if (!entry) throw new Error(`verify: the plan has no "${roleName(role)}" entry`);
    return { address: engineAddress(engine, entry, naming), ...(path ? { attribute: engineAttribute(engine, entry.kind, path) } : {}) };
  };
}

/** What the report shows for a field the answer left out. */
export const NOT_RETURNED = '(not returned)';

export interface Comparison {
  readonly area: FindingArea;
  readonly field: string;
  readonly at?: PlanObject;
  readonly expected: string;
  /** Undefined: the answer left the field out. */
  readonly actual: string | undefined;
  /** Shown with drift. */
  readonly hint?: string;
}

/**
 * `actual` undefined means the answer left the field out (Okta's spec allows that for nearly every field):
 * neither drift nor a match, but `unknown`, to be checked by hand.
 */
export function same({ area, field, at, expected, actual, hint }: Comparison): Finding {
  if (actual === undefined) {
    return { area, field, ...at, expected, actual: NOT_RETURNED, status: 'unknown', hint: "Okta's answer did not include this field: check it by hand in the Okta admin console" };
  }
  const ok = expected === actual;
  return { area, field, ...at, expected, actual, status: ok ? 'ok' : 'drift', ...(!ok && hint ? { hint } : {}) };
}

/** `area.field`, or the object and attribute when the finding has them: how notes and hints refer to a finding. */
export function findingLabel(finding: Finding): string {
  return finding.address ? `${finding.address} ${finding.attribute ?? finding.field}` : `${finding.area}.${finding.field}`;
}
