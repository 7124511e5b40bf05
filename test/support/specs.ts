import type { ScimIntegrationSpec } from '../../constructs/model/spec';

/** A token value that must never appear in any output; tests grep for it. */
export const TEST_TOKEN = 'dt0s99.TESTTOKEN-must-never-leak-7f3a';

export const SCIM_URL = 'https://api.sso.dynatrace.com/idm/public/scim/6f0c2a1e-3b7d-4c1e-9a55-2d8e4b7f9c10/v2';

export function headerSpec(overrides: Partial<ScimIntegrationSpec> = {}): ScimIntegrationSpec {
  return {
    label: 'Dynatrace SCIM',
    authMode: 'header',
    scimBaseUrl: SCIM_URL,
    scimToken: { env: 'ACME_DT_SCIM_TOKEN', pulumiConfig: 'dynatraceScimToken' },
    groups: [
      { name: 'Dynatrace Admins', push: true, priority: 0 },
      { name: 'Dynatrace Viewers', create: true, description: 'Read-only', push: true, pushAs: 'DT Viewers', priority: 1 },
      { id: '00g1a2b3c4d5e6f7g8h9', key: 'sre', name: 'SRE' },
    ],
    ...overrides,
  };
}

export function oauthSpec(overrides: Partial<ScimIntegrationSpec> = {}): ScimIntegrationSpec {
  return headerSpec({ authMode: 'oauthBearer', label: 'Dynatrace (OAuth)', groups: [{ id: '00gabc', name: 'Ops', push: true }], ...overrides });
}
