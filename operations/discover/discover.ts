/**
 * `discover`: finds an org's Dynatrace integrations, reads the one to adopt, and writes its tenant entry in
 * the model's own terms into the tenants file, so that the stacks synthesized from it import every existing
 * object and change nothing else. Read-only towards Okta (GETs) and Dynatrace; writes only the tenants file,
 * and only its own entry.
 *
 * It reads Okta with the same credentials as `verify` ({@link oktaReaderFor}), never prints or writes a
 * secret, and says what it could not read: the base URL and the token live only in the console step.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { credentialInstruction } from '../../constructs/model/credential';
import { SpecError, type SpecIssue } from '../../constructs/model/errors';
import { credentialTarget, knownAppId } from '../../constructs/model/resolve';
import { checkScimEndpoint, dynatraceScimBaseUrl, UUID } from '../../constructs/model/scim-endpoint';
import { conventionalSecretNames } from '../../constructs/model/secret-names';
import type { SecretSource } from '../../constructs/model/spec';
import { type OktaCredentials, type ResolvedOktaOrg, type ResolvedTenant, resolveOktaOrg, resolveTenant, TENANT_NAME } from '../../constructs/model/tenant';
import { type Engine, engineAddress, tenantNaming } from '../../constructs/resources/names';
import { planResources } from '../../constructs/resources/plan';
import { importIdText } from '../../constructs/resources/types';
import { mergeTenantEntry, type MergedTenants } from '../../constructs/tenants/entry-text';
import { parseTenants } from '../../constructs/tenants/file';
import { credentialSecrets, oktaCredentialFromEnv, oktaSession } from '../verify/okta-auth';
import { type HttpPolicy, OktaClient, oktaOrgUrl, type OktaReader } from '../verify/okta-client';
import { appProvisioning } from '../verify/okta-responses';
import { type DiscoveryNote, tenantEntry } from './entry';
import { type Candidate, countIntegration, findIntegrations, type LiveIntegration, readIntegration } from './find';
import { readPolicies } from './dynatrace';

export interface DiscoverRequest {
  /** Okta org subdomain (`acme` for https://acme.okta.com). */
  readonly orgName: string;
  /** @default 'okta.com' */
  readonly baseDomain?: string;
  /** The tenant to write. @default the org name */
  readonly tenant?: string;
  readonly tenantsFile: string;
  /** The app to adopt when the org has several Dynatrace integrations. */
  readonly app?: string;
  /** The Dynatrace SCIM base URL (Okta does not return it for these apps). */
  readonly scimBaseUrl?: string;
  readonly customScimEndpoint?: boolean;
  /** The Dynatrace account uuid: derives the SCIM base URL, and with an OAuth client reads the pushed groups' policies. */
  readonly dynatraceAccount?: string;
  /** Environment variable with the Okta API token, written as the entry's credential source. @default `<TENANT>_OKTA_API_TOKEN` */
  readonly oktaTokenEnv?: string;
  /**
   * An API service app instead of an API token: the client id and key id to read Okta with, and the
   * variable holding its private key. The entry names the app by variable (`clientId: { env:
   * <TENANT>_OKTA_CLIENT_ID }`, `privateKeyId: { env: <TENANT>_OKTA_KEY_ID }`), so that each CI environment
   * sets its own; without `oktaClientId`, Okta is read as the app those variables hold (verify's rule).
   */
  readonly oktaClientId?: string;
  readonly oktaPrivateKeyEnv?: string;
  readonly oktaPrivateKeyId?: string;
  /** Variables holding the Dynatrace OAuth client. @default `<TENANT>_DT_CLIENT_ID`, `<TENANT>_DT_CLIENT_SECRET` */
  readonly dynatraceClientIdEnv?: string;
  readonly dynatraceClientSecretEnv?: string;
  /** Replace the tenant's entry when it exists. */
  readonly replace?: boolean;
  /** Print the entry instead of writing it. */
  readonly dryRun?: boolean;
  /** Only list the Dynatrace integrations. */
  readonly list?: boolean;
  /** Names objects as this engine does. @default 'terraform' */
  readonly engine?: Engine;
  readonly env: NodeJS.ProcessEnv;
  readonly policy: HttpPolicy;
  /** Receives every secret value read or made on the way (the credential, assertions, tokens), for redaction. */
  readonly onSecret?: (value: string) => void;
  /** Replaces `https://<orgName>.<baseDomain>` (tests; an egress proxy). */
  readonly oktaBaseUrl?: string;
  /** Replace Dynatrace's Account Management API and SSO token endpoint (tests; a proxy). */
  readonly dynatraceApiUrl?: string;
  readonly dynatraceTokenUrl?: string;
}

export interface CandidateSummary {
  readonly id: string;
  readonly label?: string;
  readonly status?: string;
  readonly signOnMode?: string;
  readonly recognisedBy: string;
  /** Why it cannot be adopted as it is. */
  readonly blocker?: string;
  readonly provisioning: 'on' | 'off' | 'not returned';
  readonly assignedGroups?: number;
  readonly pushMappings?: number;
}

export interface AdoptionImport {
  /** As the engine names the object (`okta_push_group.dynatrace_push_admins`, `okta:index/pushGroup:PushGroup acme-push-admins`). */
  readonly address: string;
  readonly id: string;
}

export interface Adoption {
  readonly outcome: 'written' | 'dry-run';
  readonly org: string;
  readonly app: CandidateSummary;
  readonly tenant: string;
  readonly file: string;
  readonly action: MergedTenants['action'];
  readonly kept: readonly string[];
  /** The entry as written (YAML text of the item). */
  readonly entry: string;
  readonly read: { readonly assignedGroups: number; readonly pushMappings?: number; readonly renamedTargets: number };
  readonly imports: readonly AdoptionImport[];
  /** How many imported assignments and push mappings the first plan updates in place (the removal guards). */
  readonly guards: { readonly assignments: number; readonly pushMappings: number };
  readonly notes: readonly DiscoveryNote[];
  /** Legal but risky choices of the entry, as `validate` prints them. */
  readonly modelWarnings: readonly string[];
  /** What the console step holds and Okta's API does not return: to check by hand. */
  readonly consoleFacts: readonly string[];
  /** For an API service app: the variables the entry names it by, to set in each environment that runs the stacks. */
  readonly serviceApp: readonly string[];
  readonly engine: Engine;
}

export type DiscoverResult =
  | { readonly outcome: 'listed' | 'several'; readonly org: string; readonly candidates: readonly CandidateSummary[] }
  | { readonly outcome: 'none'; readonly org: string; readonly appsChecked: number }
  | Adoption;

/** Option names of the fields a request fills, for errors about them. */
const OPTION_OF: Record<string, string> = {
  'okta.orgName': '--org',
  'okta.baseDomain': '--base-domain',
  'okta.credentials.token.env': '--okta-token-env',
  'okta.credentials.clientId': '--okta-client-id',
  'okta.credentials.privateKey.env': '--okta-private-key-env',
  'okta.credentials.privateKeyId': '--okta-private-key-id',
};

export async function discover(request: DiscoverRequest): Promise<DiscoverResult> {
  const engine = request.engine ?? 'terraform';
  const plan = checkRequest(request);
  const org = `${plan.org.orgName}.${plan.org.baseDomain}`;
  const existing = existsSync(request.tenantsFile) ? readFileSync(request.tenantsFile, 'utf8') : undefined;
  const others = existing === undefined ? [] : parseTenants(existing, request.tenantsFile);
  // Said before Okta is read (the write refuses it too).
  const index = others.findIndex((tenant) => tenant.name === plan.tenant);
  if (index >= 0 && !request.replace) {
    throw new SpecError([{ path: `${request.tenantsFile}: tenants[${index}]`, message: `tenant "${plan.tenant}" already exists`, fix: 'choose another tenant name (--tenant-name), or replace its entry on purpose (discover --replace)' }]);
  }

  const okta = oktaReaderFor(plan.org, request);
  const { apps, candidates } = await findIntegrations(okta);
  if (request.list) return { outcome: 'listed', org, candidates: await Promise.all(candidates.map((c) => summarise(okta, c))) };
  if (candidates.length === 0) return { outcome: 'none', org, appsChecked: apps.length };
  const picked = pick(request, apps.map((app) => app.id), candidates);
  if (!picked) return { outcome: 'several', org, candidates: await Promise.all(candidates.map((c) => summarise(okta, c))) };
  if (picked.blocker) throw new SpecError([{ path: '--app', message: `app ${picked.app.id} ("${picked.app.label ?? ''}") cannot be adopted as it is: ${picked.blocker}`, fix: 'recreate it as the model describes (a new tenant) or keep it out of code' }]);
  checkNotManaged(picked.app.id, plan.tenant, others, request);

  const live = await readIntegration(okta, picked);
  const pushedNames = (live.pushes ?? []).map((push) => push.target?.profile?.name).filter((name): name is string => name !== undefined);
  const dynatrace = await readPolicies(request, plan.tenant, plan.accountUuid, pushedNames);
  const { entry, notes } = tenantEntry(live, {
    tenant: plan.tenant,
    orgName: plan.org.orgName,
    baseDomain: plan.org.baseDomain,
    credentials: plan.credentials,
    scimBaseUrl: plan.scimBaseUrl,
    customScimEndpoint: Boolean(request.customScimEndpoint),
    scimToken: plan.secrets.scimToken,
    // The account is written only when the SCIM base URL does not name it.
    ...(dynatrace.policies ? { dynatrace: { ...dynatrace.policies, ...(plan.accountUuid !== plan.urlAccount ? { accountUuid: plan.accountUuid } : {}) } } : {}),
  });
  notes.push(...dynatrace.notes);
  const resolved = resolveEntry(entry, picked);
  const merged = mergeTenantEntry(existing, entry, { replace: Boolean(request.replace), source: request.tenantsFile, comments: entryComments(picked, live, request, notes) });
  if (!request.dryRun) writeAtomically(request.tenantsFile, merged.text);

  const planned = planResources(resolved.integration);
  const naming = tenantNaming(plan.tenant);
  const imports = planned.flatMap((e) => (e.type === 'resource' && e.options.importId ? [{ address: engineAddress(engine, e, naming), id: importIdText(e.options.importId) }] : []));
  for (const created of planned.filter((e) => e.type === 'resource' && !e.options.importId)) {
    const message =
      created.kind === 'dynatrace_iam_policy_bindings_v2'
        ? 'the first apply creates it, writing the policies Dynatrace binds there now (it replaces every binding of the group at that level: a moment without them)'
        : 'the first apply creates it: nothing in Okta matches it to import';
    notes.push({ kind: 'change', subject: engineAddress(engine, created, naming), message });
  }
  const imported = (kind: string) => planned.filter((e) => e.type === 'resource' && e.kind === kind && e.options.importId).length;
  return {
    outcome: request.dryRun ? 'dry-run' : 'written',
    org,
    app: summaryOf(picked, live.assignments.length, live.pushes?.length),
    tenant: plan.tenant,
    file: request.tenantsFile,
    action: merged.action,
    kept: merged.kept,
    entry: merged.entry,
    read: {
      assignedGroups: live.assignments.length,
      ...(live.pushes ? { pushMappings: live.pushes.length } : {}),
      renamedTargets: (live.pushes ?? []).filter((push) => push.target?.profile?.name !== undefined && push.target.profile.name !== live.assignments.find((a) => a.id === push.sourceGroupId)?.group?.profile?.name).length,
    },
    imports,
    guards: { assignments: resolved.integration.removalPolicy === 'retain' ? imported('okta_app_group_assignment') : 0, pushMappings: imported('okta_push_group') },
    notes,
    modelWarnings: resolved.warnings.map((warning) => `${warning.path}: ${warning.message}`),
    consoleFacts: consoleFacts(resolved, request, plan.secrets.scimToken),
    serviceApp: serviceAppVariables(plan.credentials, request),
    engine,
  };
}

interface CheckedRequest {
  /** The org, with the credential Okta is read with. */
  readonly org: ResolvedOktaOrg;
  readonly tenant: string;
  /** The credential the entry names. */
  readonly credentials: OktaCredentials;
  readonly scimBaseUrl: string;
  /** The Dynatrace account: given, or named by the SCIM base URL. */
  readonly accountUuid?: string;
  /** The account the SCIM base URL names (undefined for a custom endpoint). */
  readonly urlAccount?: string;
  readonly secrets: ReturnType<typeof conventionalSecretNames>;
}

/** Every problem with the options at once, named by option, before anything is read. */
function checkRequest(request: DiscoverRequest): CheckedRequest {
  const issues: SpecIssue[] = [];
  const tenant = request.tenant ?? request.orgName;
  if (!TENANT_NAME.test(tenant)) {
    issues.push({ path: '--tenant-name', message: `"${tenant}" is not a valid tenant name${request.tenant === undefined ? ' (the default is the org name)' : ''}`, fix: 'give --tenant-name: 2-40 lowercase letters, digits and dashes, starting with a letter (it names the stacks)' });
  }
  const secrets = conventionalSecretNames(TENANT_NAME.test(tenant) ? tenant : 'tenant');
  // A service app is named by variable, so that each CI environment sets its own: a read-only app for plans
  // and drift checks, the write app for apply (README, "Read and write identities from one entry").
  const credentials: OktaCredentials =
    request.oktaClientId !== undefined || request.oktaPrivateKeyEnv !== undefined
      ? {
          type: 'privateKey',
          clientId: secrets.oktaClientId,
          privateKey: { env: request.oktaPrivateKeyEnv ?? secrets.oktaPrivateKey.env },
          ...(request.oktaPrivateKeyId !== undefined ? { privateKeyId: secrets.oktaPrivateKeyId } : {}),
        }
      : { type: 'apiToken', token: { env: request.oktaTokenEnv ?? secrets.oktaApiToken.env } };
  if (request.oktaPrivateKeyId !== undefined && request.oktaClientId === undefined) {
    issues.push({ path: '--okta-private-key-id', message: 'needs --okta-client-id: the key id belongs to the app it names', fix: `give both, or neither (discover then reads the app from $${secrets.oktaClientId.env} and $${secrets.oktaPrivateKeyId.env}, as verify does)` });
  }
  // Okta is read as the app the options name, when they name one.
  const signIn: OktaCredentials =
    credentials.type === 'privateKey' && request.oktaClientId !== undefined
      ? { ...credentials, clientId: request.oktaClientId, ...(request.oktaPrivateKeyId !== undefined ? { privateKeyId: request.oktaPrivateKeyId } : {}) }
      : credentials;
  const orgIssues: SpecIssue[] = [];
  const org = resolveOktaOrg({ orgName: request.orgName, baseDomain: request.baseDomain ?? 'okta.com', credentials: signIn }, orgIssues);
  issues.push(...orgIssues.map((issue) => ({ ...issue, path: OPTION_OF[issue.path] ?? issue.path })));
  if (request.dynatraceAccount !== undefined && !UUID.test(request.dynatraceAccount)) {
    issues.push({ path: '--dynatrace-account', message: 'is not a Dynatrace account uuid', fix: 'copy it from Account Management (the uuid in its URL)' });
  }
  const url = request.scimBaseUrl ?? (request.dynatraceAccount !== undefined ? dynatraceScimBaseUrl(request.dynatraceAccount) : undefined);
  const endpoint = url === undefined ? undefined : checkScimEndpoint(url, Boolean(request.customScimEndpoint), issues, '--scim-base-url');
  if (url === undefined && !request.list) {
    issues.push({
      path: '--scim-base-url',
      message: 'is required: Okta does not return the SCIM base URL of these apps (it lives in the console step only)',
      fix: 'give --scim-base-url <url> as Dynatrace Account Management → Identity & access management → SCIM configuration shows it, or --dynatrace-account <uuid> to derive it (--list shows the integrations without it)',
    });
  }
  if (issues.length > 0 || !org) throw new SpecError(issues);
  const account = request.dynatraceAccount?.toLowerCase() ?? endpoint?.accountUuid;
  return {
    org,
    tenant,
    credentials,
    scimBaseUrl: endpoint?.url ?? '',
    ...(account ? { accountUuid: account } : {}),
    ...(endpoint?.accountUuid ? { urlAccount: endpoint.accountUuid } : {}),
    secrets,
  };
}

/**
 * An Okta reader with the same credentials as `verify`: an API token, or the API service app's private key
 * (private_key_jwt and DPoP), found in the environment by verify's rule (`okta-auth.ts`).
 */
function oktaReaderFor(org: ResolvedOktaOrg, request: DiscoverRequest): OktaReader {
  const found = oktaCredentialFromEnv(org, request.env);
  if (!('credential' in found)) throw new OktaCredentialsMissing(found.problem, found.hint);
  for (const secret of credentialSecrets(found.credential)) request.onSecret?.(secret);
  const baseUrl = request.oktaBaseUrl ?? oktaOrgUrl(org);
  return new OktaClient({ baseUrl, session: oktaSession(found.credential, baseUrl, { policy: request.policy, ...(request.onSecret ? { onSecret: request.onSecret } : {}) }) });
}

/** No usable Okta credential in the environment (said by verify's rule, with its hint). */
export class OktaCredentialsMissing extends Error {
  override readonly name = 'OktaCredentialsMissing';
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** The candidate `--app` names, the only one, or undefined when the user must choose. */
function pick(request: DiscoverRequest, appIds: readonly string[], candidates: readonly Candidate[]): Candidate | undefined {
  if (request.app === undefined) return candidates.length === 1 ? candidates[0] : undefined;
  const candidate = candidates.find((c) => c.app.id === request.app);
  if (candidate) return candidate;
  const known = candidates.map((c) => `${c.app.id} ("${c.app.label ?? ''}")`).join(', ');
  throw new SpecError([
    appIds.includes(request.app)
      ? { path: '--app', message: `app ${request.app} is not a Dynatrace integration (neither a SCIM 2.0 test app nor a SAML app signing in to Dynatrace)`, fix: `use one of ${known}` }
      : { path: '--app', message: `no app ${request.app} in this org`, fix: `use one of ${known}` },
  ]);
}

/** Another tenant of the file already owning the app would make two stacks manage one app. */
function checkNotManaged(appId: string, tenant: string, others: readonly ResolvedTenant[], request: DiscoverRequest): void {
  for (const other of others) {
    if (knownAppId(other.integration.app) === appId && !(other.name === tenant && request.replace)) {
      throw new SpecError([{ path: `${request.tenantsFile}: tenant "${other.name}"`, message: `already manages app ${appId}`, fix: other.name === tenant ? 'add --replace to write its entry again from what Okta has' : `two tenants must not manage one app: use --tenant-name ${other.name} --replace to refresh that entry` }]);
    }
  }
}

/** The entry must be valid for the model; a value Okta has that the model cannot hold is said, not written. */
function resolveEntry(entry: Parameters<typeof resolveTenant>[0], candidate: Candidate): ResolvedTenant {
  try {
    return resolveTenant(entry);
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    throw new SpecError(
      error.issues.map((issue) => ({ ...issue, path: `app ${candidate.app.id}: ${issue.path}`, message: `${issue.message} (as Okta has it; the model cannot hold it)` })),
    );
  }
}

function summarise(okta: OktaReader, candidate: Candidate): Promise<CandidateSummary> {
  return countIntegration(okta, candidate).then((counts) => summaryOf(candidate, counts.assigned, counts.pushed));
}

function summaryOf(candidate: Candidate, assignedGroups: number, pushMappings: number | undefined): CandidateSummary {
  const { app } = candidate;
  const fromApp = appProvisioning(app);
  return {
    id: app.id,
    ...(app.label !== undefined ? { label: app.label } : {}),
    ...(app.status !== undefined ? { status: app.status } : {}),
    ...(app.signOnMode !== undefined ? { signOnMode: app.signOnMode } : {}),
    recognisedBy: candidate.recognisedBy,
    ...(candidate.blocker ? { blocker: candidate.blocker } : {}),
    provisioning: fromApp === undefined ? 'not returned' : fromApp.on || (pushMappings ?? 0) > 0 ? 'on' : 'off',
    assignedGroups,
    ...(pushMappings !== undefined ? { pushMappings } : {}),
  };
}

/** Why each adoption field is there, written above it in the file. */
function entryComments(candidate: Candidate, live: LiveIntegration, request: DiscoverRequest, notes: readonly DiscoveryNote[]): Record<string, string> {
  const source = request.scimBaseUrl !== undefined ? '--scim-base-url' : '--dynatrace-account';
  const pushes = (live.pushes ?? []).length > 0;
  const drop = [candidate.kind.type === 'catalog' ? 'existingAppId' : 'ssoApp.importAssignments', ...(pushes ? ['existingPushId'] : [])].join(' and ');
  const imports = candidate.kind.type === 'catalog' || live.assignments.length > 0;
  const comments: Record<string, string> = {
    ...(imports
      ? {
          [candidate.kind.type === 'catalog' ? 'integration.existingAppId' : 'integration.ssoApp']: `Adopted by okta-dynatrace-scim discover from app ${candidate.app.id}: the stacks import the app${candidate.kind.type === 'sso' ? '\'s assignments' : ', its assignments'}${pushes ? ' and push mappings' : ''} instead of creating them.\nAfter the first apply, drop ${drop} (Pulumi expects its import options gone).`,
        }
      : {}),
    'integration.scimBaseUrl': `Not readable from Okta for this app: from ${source}. The console step holds it (Provisioning → Integration).`,
    ...(request.oktaClientId !== undefined || request.oktaPrivateKeyEnv !== undefined
      ? { 'okta.credentials': 'The service app comes from the environment: each CI environment sets these variables to its own app,\nread-only where plans and drift checks run, the write app in okta-write.' }
      : {}),
  };
  if (notes.some((note) => note.subject === 'username' && note.kind === 'warning')) comments['integration.username'] = 'As the app has it: Dynatrace needs a persistent e-mail as userName (validate warns).';
  if (candidate.kind.type === 'catalog' && candidate.app.status === 'INACTIVE') comments['integration.status'] = 'As the app has it: Okta provisions nobody while the app is INACTIVE.';
  return comments;
}

function consoleFacts(tenant: ResolvedTenant, request: DiscoverRequest, scimToken: SecretSource): string[] {
  const spec = tenant.integration;
  const derived = request.scimBaseUrl === undefined;
  const where = [scimToken.env && `$${scimToken.env}`, scimToken.pulumiConfig && `Pulumi secret "${scimToken.pulumiConfig}"`].filter(Boolean).join(' / ');
  return [
    `SCIM base URL: Okta does not return it for this app; the entry has ${spec.scimBaseUrl} (${derived ? 'derived from --dynatrace-account as Dynatrace documents the URL' : 'from --scim-base-url'}): check that the app's Provisioning → Integration shows the same`,
    `SCIM token: only in the app's provisioning settings (and shown once in Dynatrace); the entry names ${where}: store the token there for verify's probe (if nobody has it, generate a new one in Dynatrace and paste it into the app too)`,
    `token field: ${credentialInstruction(credentialTarget(spec.app))}`,
  ];
}

/** The variables the entry names the service app by, what each holds, and what discover read Okta with. */
function serviceAppVariables(credentials: OktaCredentials, request: DiscoverRequest): string[] {
  if (credentials.type !== 'privateKey' || typeof credentials.clientId === 'string') return [];
  const read = request.oktaClientId !== undefined ? `discover read Okta as ${request.oktaClientId}` : 'discover read Okta as the app it holds now';
  return [
    `$${credentials.clientId.env}: the service app's client id (${read}) — in CI a read-only app (okta.*.read scopes, a read-only admin role) in the environment of plans and drift checks, the write app in okta-write`,
    ...(typeof credentials.privateKeyId === 'object' ? [`$${credentials.privateKeyId.env}: the key id of that app's private key${request.oktaPrivateKeyId !== undefined ? ` (discover used ${request.oktaPrivateKeyId})` : ''}`] : []),
    `$${credentials.privateKey.env ?? '?'}: that app's private key (PEM or JWK)`,
  ];
}

/** Written next to the file and renamed over it: a crash leaves the old file or the new one, never half. */
function writeAtomically(file: string, text: string): void {
  const temp = join(dirname(file), `.${file.split(/[\\/]/).pop()!}.discover-${process.pid}`);
  writeFileSync(temp, text);
  renameSync(temp, file);
}
