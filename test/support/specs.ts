import { SpecError } from '../../constructs/model/errors';
import type { ScimIntegrationSpec } from '../../constructs/model/spec';

/** A token value that must never appear in any output; tests grep for it. */
export const TEST_TOKEN = 'dt0s99.TESTTOKEN-must-never-leak-7f3a';

export const SCIM_URL = 'https://api.sso.dynatrace.com/idm/public/scim/6f0c2a1e-3b7d-4c1e-9a55-2d8e4b7f9c10/v2';

/** A Header Auth test app at stage 1 (the defaults: console step, provisioning not yet declared enabled). */
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

/** The same tenant on the API path (connection + features through Okta's API). */
export function apiSpec(overrides: Partial<ScimIntegrationSpec> = {}): ScimIntegrationSpec {
  return headerSpec({ provisioning: { setup: 'api' }, ...overrides });
}

export function oauthSpec(overrides: Partial<ScimIntegrationSpec> = {}): ScimIntegrationSpec {
  return headerSpec({ authMode: 'oauthBearer', label: 'Dynatrace (OAuth)', groups: [{ id: '00gabc', name: 'Ops', push: true }], ...overrides });
}

/** SCIM added to the existing Dynatrace SSO app (App Integration Wizard), referenced by id. */
export function ssoSpec(overrides: Partial<ScimIntegrationSpec> = {}): ScimIntegrationSpec {
  return {
    ssoApp: { id: '0oa1ssoapp' },
    scimBaseUrl: SCIM_URL,
    scimToken: { env: 'ACME_DT_SCIM_TOKEN', pulumiConfig: 'dynatraceScimToken' },
    groups: [{ name: 'Dynatrace Users', push: true }],
    ...overrides,
  };
}

/** The SpecError `fn` throws; fails the test when it throws nothing or something else. */
export function errorOf(fn: () => unknown): SpecError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SpecError) return error;
    throw error;
  }
  throw new Error('expected a SpecError');
}
