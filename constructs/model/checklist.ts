/**
 * The admin checklist for tenants in `connection: manual` mode: the exact clicks that replace
 * `okta_app_connection` / `okta_app_features` / `okta_push_group` when Okta's public API does not
 * accept them for the SCIM test apps. It names where the token comes from, never the token.
 */
import { CATALOG_APPS } from './catalog';
import { credentialInstruction } from './credential';
import type { ResolvedIntegration } from './resolve';

export interface OktaOrgRef {
  readonly orgName: string;
  readonly baseDomain: string;
}

export function manualChecklist(spec: ResolvedIntegration, org: OktaOrgRef): string[] {
  const box = (on: boolean): string => (on ? '[x]' : '[ ]');
  const source = [spec.scimToken.env && `$${spec.scimToken.env}`, spec.scimToken.pulumiConfig && `Pulumi secret "${spec.scimToken.pulumiConfig}"`].filter(Boolean).join(' / ');
  const p = spec.provisioning;
  const lines = [
    `Open https://${org.orgName}-admin.${org.baseDomain}/admin/apps/active → "${spec.label}" (${CATALOG_APPS[spec.authMode].displayName}), after the first apply created it.`,
    'Provisioning → Configure API Integration → tick "Enable API integration".',
    `Base URL: ${spec.scimBaseUrl}`,
    `${credentialInstruction(spec.authMode)}; the token is in ${source}.`,
    'Click "Test API Credentials", then Save.',
    `Provisioning → To App → Edit: ${box(p.createUsers)} Create Users, ${box(p.updateUserAttributes)} Update User Attributes, ${box(p.deactivateUsers)} Deactivate Users, ${box(p.syncPassword)} Sync Password → Save.`,
  ];
  const pushed = spec.groups.filter((group) => group.pushAs);
  if (pushed.length > 0) {
    const names = pushed.map((group) => (group.pushAs === group.name ? `"${group.pushAs}"` : `"${group.name ?? group.key}" as "${group.pushAs}"`));
    lines.push(`Push Groups → Push Groups → Find groups by name: ${names.join(', ')} → tick "Push group memberships immediately" → Save.`);
  }
  return lines;
}
