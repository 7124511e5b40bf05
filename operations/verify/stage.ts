/**
 * Which rollout stage a live tenant is in, and the next step (README "Staged rollout").
 *
 * The live stage is read from Okta alone: the app; whether provisioning is on, which the app's `features`
 * show for every app (a "To App" switch such as `PUSH_NEW_USERS`, or `GROUP_PUSH`, is listed only while it
 * is on; where an answer leaves the list out, `/features/USER_PROVISIONING` where Okta answers it, then push
 * mappings existing at all: Okta refuses them while provisioning is off); and whether every group the
 * tenant pushes has its mapping. The declared stage is the tenants
 * file's (`provisioning.enabled`). Whether the difference is drift is decided by the findings, not here:
 * this only words the next step.
 */
import type { ResolvedTenant } from '../../constructs/model/tenant';
import { type Stage, usesApiPath } from '../../constructs/model/resolve';

/**
 * - `no-app`: nothing applied (or the SSO app is not where the tenants file says);
 * - `provisioning-off`: the app is there, provisioning is off: the console step is next;
 * - `push-pending`: provisioning is on, a group the tenant pushes has no mapping yet;
 * - `pushed`: provisioning is on and every group the tenant pushes has its mapping;
 * - `unknown`: Okta could not be read far enough to tell (an error, or no evidence either way).
 */
export type LiveStage = 'no-app' | 'provisioning-off' | 'push-pending' | 'pushed' | 'unknown';

export interface StageReport {
  /** From the tenants file: 1 until `provisioning.enabled: true` (or `setup: api`), then 2. */
  readonly declared: Stage;
  readonly live: LiveStage;
  /** What to do next, in one sentence. */
  readonly next: string;
}

export const LIVE_STAGE_WORDS: Record<LiveStage, string> = {
  'no-app': 'no app (nothing applied)',
  'provisioning-off': 'app in place, provisioning off',
  'push-pending': 'provisioning on, push pending',
  pushed: 'provisioning on, pushes in place',
  unknown: 'unknown (Okta did not show it)',
};

/** Where the console step is shown; `tenant` is the tenant's name. */
export function consoleStepPointer(tenant: string): string {
  return `\`okta-dynatrace-scim synth --tenant ${tenant}\` prints it; console-step.md in the tenant's stack folder (cdktf.out/stacks/${tenant}/)`;
}

export const DECLARE_STAGE_2 = 'declare provisioning.enabled: true and apply (stage 2)';

/**
 * The next step for a tenant in `live`, given what else verify found: `drift` (some finding is drift) and
 * `unknown` (some field is to be checked by hand).
 */
export function stageReport(tenant: ResolvedTenant, live: LiveStage, found: { drift: boolean; unknown: boolean }): StageReport {
  const spec = tenant.integration;
  const declared = spec.stage;
  const api = usesApiPath(spec);
  const next = ((): string => {
    switch (live) {
      case 'unknown':
        return 'read the findings first: the live stage could not be told';
      case 'no-app':
        return spec.app.type === 'sso'
          ? 'fix ssoApp in the tenants file: the stacks never create the SSO app, they only read it'
          : 'apply stage 1: run apply for this tenant (the app, its username format, the groups and assignments)';
      case 'provisioning-off':
        if (api) return 'run apply for this tenant (the API path turns provisioning on); if Okta refuses it, use the console step (README "What is code and what is the console step")';
        return declared === 2
          ? `do the console step (${consoleStepPointer(tenant.name)}): the tenants file declares it done (provisioning.enabled: true), but Okta has provisioning off`
          : `do the console step (${consoleStepPointer(tenant.name)}), then ${DECLARE_STAGE_2}`;
      case 'push-pending':
      case 'pushed':
        if (declared === 1) return DECLARE_STAGE_2;
        if (live === 'push-pending') return 'run apply for this tenant: stage 2 adds the missing push mappings';
        if (found.drift) return 'fix the drift the findings list (each hint says how)';
        return found.unknown ? 'nothing to apply; check the UNKNOWN fields by hand as their hints say' : 'nothing: every stage is in place';
    }
  })();
  return { declared, live, next };
}
