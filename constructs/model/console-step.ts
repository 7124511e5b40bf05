/**
 * The console step: what an admin does once per tenant in the Okta admin console, because Okta's
 * management API does not accept the provisioning connection and features of the SCIM 2.0 test apps or
 * of App Integration Wizard apps (README, "What is code and what is the console step"). Rendered for
 * `synth`'s report, for `console-step.md` next to each stack and for the CI comment and summary. It
 * names where the token comes from, never the token.
 */
import { CATALOG_APPS } from './catalog';
import { credentialInstruction } from './credential';
import { quoteName } from './quote';
import { credentialTarget, type ResolvedIntegration, usesApiPath } from './resolve';

/** File name of the rendered console step beside each synthesized stack (`cdktf.out/stacks/<tenant>/`). */
export const CONSOLE_STEP_FILE = 'console-step.md';

export interface OktaOrgRef {
  readonly orgName: string;
  readonly baseDomain: string;
}

export interface ConsoleStep {
  /** One line on where the tenant stands, e.g. "stage 1 of 2: the console step is next". */
  readonly status: string;
  /** Where to click, in order; plain text. Names are quoted to read as they are: `"Ops"`, `'Ops "EU"'`. */
  readonly steps: readonly string[];
  /** Whether the tenant already declared it done (`provisioning.enabled: true`). */
  readonly done: boolean;
}

/** `https://<org>-admin.<domain>`: the Okta admin console of an org. */
export function oktaAdminConsoleUrl(org: OktaOrgRef): string {
  return `https://${org.orgName}-admin.${org.baseDomain}`;
}

/**
 * The admin console page of one app instance, on its Provisioning tab. `appName` is the app's `name`
 * (the OIN name of a catalog app, e.g. `scim2headerauth`; generated for App Integration Wizard apps).
 */
export function oktaAppAdminUrl(org: OktaOrgRef, appName: string, appId: string): string {
  return `${oktaAdminConsoleUrl(org)}/admin/app/${appName}/instance/${appId}/#tab-user-management`;
}

/** The "To App" switches, in the console's order and with its labels, by their tenants-file setting. */
export const TO_APP_SWITCHES = [
  { setting: 'createUsers', label: 'Create Users' },
  { setting: 'updateUserAttributes', label: 'Update User Attributes' },
  { setting: 'deactivateUsers', label: 'Deactivate Users' },
  { setting: 'syncPassword', label: 'Sync Password' },
] as const;

export type ToAppSwitch = (typeof TO_APP_SWITCHES)[number]['setting'];

/** The "Provisioning → To App" instruction with the tenant's switches (also `verify`'s hint). */
export function toAppInstruction(p: ResolvedIntegration['provisioning']): string {
  const box = (on: boolean): string => (on ? '[x]' : '[ ]');
  return `Provisioning → To App → Edit: ${TO_APP_SWITCHES.map(({ setting, label }) => `${box(p[setting])} ${label}`).join(', ')} → Save.`;
}

/** Where an App Integration Wizard app's username format is set (also `verify`'s hint). */
export function usernameInstruction(template: string): string {
  return `Sign On → Settings → Edit → Application username format: ${usernameFormatLabel(template)} → Save (Dynatrace needs a persistent e-mail as userName).`;
}

/** The console step of a tenant, or undefined when provisioning is set up through the API. */
export function consoleStep(tenant: string, spec: ResolvedIntegration, org: OktaOrgRef): ConsoleStep | undefined {
  if (usesApiPath(spec)) return undefined;
  const p = spec.provisioning;
  const source = [spec.scimToken.env && `$${spec.scimToken.env}`, spec.scimToken.pulumiConfig && `Pulumi secret ${quoteName(spec.scimToken.pulumiConfig)}`].filter(Boolean).join(' / ');
  const token = `${credentialInstruction(credentialTarget(spec.app))}; the token is in ${source}`;
  const toApp = toAppInstruction(p);
  const app = spec.app;
  const steps =
    app.type === 'catalog'
      ? [
          `Open the app ${quoteName(app.label)} (${CATALOG_APPS[app.authMode].displayName}) that the stage 1 apply created: ${oktaAdminConsoleUrl(org)}/admin/apps/active, or the stack output okta_app_admin_url (Pulumi: oktaAppAdminUrl).`,
          'Provisioning → Configure API Integration → tick "Enable API integration".',
          `${CATALOG_APPS[app.authMode].fields.baseUrl}: ${spec.scimBaseUrl}`,
          `${token}.`,
          'Click "Test API Credentials", then Save.',
          toApp,
        ]
      : [
          `Open the existing Dynatrace SSO app ${app.label !== undefined ? quoteName(app.label) : app.id} in ${oktaAdminConsoleUrl(org)}/admin/apps/active (or the stack output okta_app_admin_url / oktaAppAdminUrl) → General → App Settings → Edit → Provisioning: SCIM → Save.`,
          'Provisioning → Integration → Edit:',
          `  SCIM connector base URL: ${spec.scimBaseUrl}`,
          '  Unique identifier field for users: userName',
          '  Supported provisioning actions: [x] Push New Users, [x] Push Profile Updates, [x] Push Groups',
          '  Authentication Mode: HTTP Header',
          `  ${token}.`,
          'Click "Test Connector Configuration", then Save.',
          toApp,
          usernameInstruction(app.username.template),
        ];
  const pushed = spec.groups.flatMap((group) => (group.pushAs ? [quoteName(group.pushAs)] : []));
  const next = pushed.length > 0 ? `the group push mappings (${pushed.join(', ')})` : 'nothing new in Okta (no group is pushed), but it records that provisioning is on';
  steps.push(`Declare it done: in the tenants file set \`provisioning: { enabled: true }\` for tenant "${tenant}" and open a pull request; its apply (stage 2) adds ${next}. Then run \`okta-dynatrace-scim verify --tenant ${tenant}\`.`);
  return {
    status: p.enabled ? 'stage 2 of 2: the console step is declared done (provisioning.enabled: true)' : 'stage 1 of 2: after the first apply, the console step below is next',
    steps,
    done: p.enabled,
  };
}

/** The console's name for a username template. */
function usernameFormatLabel(template: string): string {
  if (template === '${source.email}') return 'Email';
  if (template === '${source.login}') return 'Okta username';
  return `Custom, with the expression ${template}`;
}

/** `console-step.md`: the step as Markdown, for the stack folder, the PR comment and the apply summary. */
export function consoleStepMarkdown(tenant: string, step: ConsoleStep, appAdminUrl?: string): string {
  const lines = [`## Console step for tenant \`${tenant}\``, '', `_${step.status}._`, ''];
  if (appAdminUrl) lines.push(`App in the Okta admin console: ${appAdminUrl}`, '');
  let number = 0;
  for (const line of step.steps) {
    if (line.startsWith('  ')) lines.push(`   - ${line.trim()}`);
    else lines.push(`${++number}. ${line}`);
  }
  lines.push('', 'The token is never written here: it is in the secret named above. This step is the only one not done by code; see the README, "What is code and what is the console step".');
  return `${lines.join('\n')}\n`;
}
