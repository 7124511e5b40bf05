/**
 * Where each tenant's state lives, per engine. Local state is the zero-config default; remote backends
 * are named in the tenants file (`backend:`), validated here and mapped to engine arguments by pure
 * functions, so the CDKTF and Pulumi entry points only construct what these functions return.
 * Nothing here imports CDKTF or Pulumi.
 */
import type { SpecIssue } from './errors';
import { quoteValue } from './quote';

/** Terraform state for the tenant's CDKTF stack. */
export type TerraformBackendSpec =
  | {
      /** A local state file. */
      readonly type: 'local';
      /**
       * State file path. Keep it outside the synth output (synth owns the files it writes there), so a
       * relative path is resolved against the directory synth runs from (as CDKTF's default is), not
       * against the stack folder.
       * @default CDKTF's default: `<directory synth runs from>/terraform.<tenant>.tfstate`
       */
      readonly path?: string;
    }
  | {
      /** Amazon S3. */
      readonly type: 's3';
      /** Bucket name. */
      readonly bucket: string;
      /** @default `okta-dynatrace-scim/<tenant>/terraform.tfstate` */
      readonly key?: string;
      /** Bucket region, e.g. `eu-central-1`. */
      readonly region: string;
      /** DynamoDB table for state locking (the pre-Terraform-1.10 way). @default none */
      readonly dynamodbTable?: string;
      /**
       * S3-native state locking (Terraform ≥ 1.10, `use_lockfile`).
       * @default true when `dynamodbTable` is not given, so state is always locked
       */
      readonly useLockfile?: boolean;
      /** Server-side encryption of the state object. @default true */
      readonly encrypt?: boolean;
    }
  | {
      /** Google Cloud Storage. */
      readonly type: 'gcs';
      /** Bucket name. */
      readonly bucket: string;
      /** @default `okta-dynatrace-scim/<tenant>` */
      readonly prefix?: string;
    }
  | {
      /** HCP Terraform / Terraform Enterprise (`terraform { cloud { … } }`). */
      readonly type: 'cloud';
      /** HCP Terraform organization. */
      readonly organization: string;
      /** @default `okta-dynatrace-<tenant>` */
      readonly workspace?: string;
      /** @default 'app.terraform.io' */
      readonly hostname?: string;
    };

/** Pulumi backend of the tenant's stack (the stack itself is always named after the tenant). */
export interface PulumiBackendSpec {
  /**
   * Backend URL for `pulumi login`: `https://api.pulumi.com` (Pulumi Cloud), `s3://bucket/prefix`,
   * `gs://bucket/prefix`, `azblob://container`, `file://path`.
   * @default whatever the runner is logged in to (`pulumi login`; `PULUMI_BACKEND_URL`)
   */
  readonly url?: string;
  /** Pulumi Cloud organization owning the stack (`<org>/okta-dynatrace-scim/<tenant>`). Pulumi Cloud only. @default the logged-in user's default org */
  readonly organization?: string;
  /**
   * Secrets provider of the stack's config (`pulumi stack init --secrets-provider`): `passphrase`,
   * `awskms://…`, `gcpkms://…`, `azurekeyvault://…`, `hashivault://…`. Self-managed backends need one.
   * @default the backend's default (Pulumi Cloud: its own; self-managed: `passphrase`)
   */
  readonly secretsProvider?: string;
}

export interface BackendSpec {
  /** @default { type: 'local' } */
  readonly terraform?: TerraformBackendSpec;
  /** @default {} (the logged-in backend) */
  readonly pulumi?: PulumiBackendSpec;
}

export type ResolvedTerraformBackend =
  | { readonly type: 'local'; readonly path?: string }
  | { readonly type: 's3'; readonly bucket: string; readonly key: string; readonly region: string; readonly dynamodbTable?: string; readonly useLockfile?: boolean; readonly encrypt: boolean }
  | { readonly type: 'gcs'; readonly bucket: string; readonly prefix: string }
  | { readonly type: 'cloud'; readonly organization: string; readonly workspace: string; readonly hostname: string };

export interface ResolvedPulumiBackend {
  readonly url?: string;
  readonly organization?: string;
  readonly secretsProvider?: string;
}

export interface ResolvedBackend {
  readonly terraform: ResolvedTerraformBackend;
  readonly pulumi: ResolvedPulumiBackend;
}

export const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
export const GCS_BUCKET = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;
export const AWS_REGION = /^[a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\d$/;
export const TFC_NAME = /^[A-Za-z0-9_-]{1,90}$/;
export const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
export const PULUMI_ORG = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
export const PULUMI_SCHEMES = ['https:', 'http:', 's3:', 'gs:', 'azblob:', 'file:'];
export const SECRETS_PROVIDERS = /^(passphrase|default|(awskms|gcpkms|azurekeyvault|hashivault):\/\/.+)$/;
/** What a Terraform backend value may not hold: a template sequence, a control character. */
export const TERRAFORM_TEMPLATE = /\$\{|%\{/;
export const BACKEND_CONTROL = /[\u0000-\u001f\u007f]/;
/** An S3 key may neither start nor end with `/`. */
export const S3_KEY_EDGE_SLASH = /^\/|\/$/;

/** Applies defaults and checks what the schema cannot; issues are pushed with paths under `backend.`. */
export function resolveBackend(spec: BackendSpec | undefined, tenant: string, issues: SpecIssue[]): ResolvedBackend {
  checkNoTemplates(spec?.terraform, issues);
  return { terraform: resolveTerraform(spec?.terraform, tenant, issues), pulumi: resolvePulumi(spec?.pulumi, issues) };
}

/**
 * Terraform reads every JSON string as a template, but a backend block may hold no expression at all, so
 * template characters there cannot be escaped away: they are refused, with control characters.
 */
function checkNoTemplates(spec: TerraformBackendSpec | undefined, issues: SpecIssue[]): void {
  for (const [field, value] of Object.entries(spec ?? {})) {
    if (typeof value === 'string' && (TERRAFORM_TEMPLATE.test(value) || BACKEND_CONTROL.test(value))) {
      issues.push({ path: `backend.terraform.${field}`, message: 'must not contain "${", "%{" or control characters (a Terraform backend takes literal values only)', fix: 'use a plain value' });
    }
  }
}

function resolveTerraform(spec: TerraformBackendSpec | undefined, tenant: string, issues: SpecIssue[]): ResolvedTerraformBackend {
  const at = (field: string): string => `backend.terraform.${field}`;
  if (!spec) return { type: 'local' };
  switch (spec.type) {
    case 'local':
      return spec.path ? { type: 'local', path: spec.path } : { type: 'local' };
    case 's3': {
      if (!S3_BUCKET.test(spec.bucket)) issues.push({ path: at('bucket'), message: `${quoteValue(spec.bucket)} is not an S3 bucket name`, fix: 'use the bucket name only (3-63 lowercase letters, digits, dots, dashes), not an ARN or s3:// URL' });
      if (!AWS_REGION.test(spec.region)) issues.push({ path: at('region'), message: `${quoteValue(spec.region)} is not an AWS region`, fix: 'use a region code such as eu-central-1' });
      const key = spec.key ?? `okta-dynatrace-scim/${tenant}/terraform.tfstate`;
      if (S3_KEY_EDGE_SLASH.test(key)) issues.push({ path: at('key'), message: 'must not start or end with "/"', fix: `e.g. okta-dynatrace-scim/${tenant}/terraform.tfstate` });
      if (spec.useLockfile === false && !spec.dynamodbTable) {
        issues.push({ path: at('useLockfile'), message: 'turning off S3 locking without a dynamodbTable leaves the state unlocked', fix: 'remove `useLockfile: false`, or give `dynamodbTable`' });
      }
      const useLockfile = spec.useLockfile ?? (spec.dynamodbTable ? undefined : true);
      return {
        type: 's3',
        bucket: spec.bucket,
        key,
        region: spec.region,
        ...(spec.dynamodbTable ? { dynamodbTable: spec.dynamodbTable } : {}),
        ...(useLockfile !== undefined ? { useLockfile } : {}),
        encrypt: spec.encrypt ?? true,
      };
    }
    case 'gcs': {
      if (!GCS_BUCKET.test(spec.bucket)) issues.push({ path: at('bucket'), message: `${quoteValue(spec.bucket)} is not a GCS bucket name`, fix: 'use the bucket name only, not a gs:// URL' });
      const prefix = spec.prefix ?? `okta-dynatrace-scim/${tenant}`;
      return { type: 'gcs', bucket: spec.bucket, prefix };
    }
    case 'cloud': {
      if (!TFC_NAME.test(spec.organization)) issues.push({ path: at('organization'), message: `${quoteValue(spec.organization)} is not an HCP Terraform organization name`, fix: 'letters, digits, "_" and "-" as shown in the organization settings' });
      const workspace = spec.workspace ?? `okta-dynatrace-${tenant}`;
      if (!TFC_NAME.test(workspace)) issues.push({ path: at('workspace'), message: `${quoteValue(workspace)} is not a workspace name`, fix: 'at most 90 letters, digits, "_" and "-"' });
      const hostname = spec.hostname ?? 'app.terraform.io';
      if (!HOSTNAME.test(hostname)) issues.push({ path: at('hostname'), message: `${quoteValue(hostname)} is not a host name`, fix: 'the host only, without https://, e.g. app.terraform.io or tfe.example.com' });
      return { type: 'cloud', organization: spec.organization, workspace, hostname };
    }
  }
}

function resolvePulumi(spec: PulumiBackendSpec | undefined, issues: SpecIssue[]): ResolvedPulumiBackend {
  if (!spec) return {};
  const at = (field: string): string => `backend.pulumi.${field}`;
  let url: string | undefined;
  if (spec.url !== undefined) {
    url = spec.url.trim();
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      issues.push({ path: at('url'), message: `${quoteValue(url)} is not a URL`, fix: 'e.g. https://api.pulumi.com, s3://my-bucket/pulumi, gs://my-bucket, file://./state' });
    }
    if (parsed) {
      if (!PULUMI_SCHEMES.includes(parsed.protocol)) {
        issues.push({ path: at('url'), message: `unsupported scheme ${quoteValue(parsed.protocol)}`, fix: `use one of ${PULUMI_SCHEMES.map((s) => `${s}//`).join(', ')}` });
      } else if (parsed.username || parsed.password) {
        // Never echo it: it carries a credential.
        issues.push({ path: at('url'), message: 'must not contain credentials', fix: 'authenticate with PULUMI_ACCESS_TOKEN or the cloud provider\'s environment instead' });
      } else if (parsed.protocol === 'http:') {
        issues.push({ path: at('url'), message: 'must use https, not http', fix: 'use https://' });
      }
    }
  }
  const cloud = url === undefined || /^https:\/\//.test(url);
  if (spec.organization !== undefined) {
    if (!PULUMI_ORG.test(spec.organization)) issues.push({ path: at('organization'), message: `${quoteValue(spec.organization)} is not a Pulumi organization name`, fix: 'letters, digits, "_", "." and "-"' });
    else if (!cloud) issues.push({ path: at('organization'), message: 'only Pulumi Cloud has organizations', fix: 'remove `organization` or use https://api.pulumi.com' });
  }
  if (spec.secretsProvider !== undefined && !SECRETS_PROVIDERS.test(spec.secretsProvider)) {
    issues.push({ path: at('secretsProvider'), message: `${quoteValue(spec.secretsProvider)} is not a Pulumi secrets provider`, fix: 'passphrase, awskms://…, gcpkms://…, azurekeyvault://… or hashivault://…' });
  }
  return {
    ...(url !== undefined ? { url } : {}),
    ...(spec.organization !== undefined ? { organization: spec.organization } : {}),
    ...(spec.secretsProvider !== undefined ? { secretsProvider: spec.secretsProvider } : {}),
  };
}

/**
 * CDKTF backend constructor arguments (camelCase, as cdktf's `*BackendConfig` interfaces spell them):
 * - `local` → `new LocalBackend(stack, config)`
 * - `s3` → `new S3Backend(stack, config as S3BackendConfig)`: cdktf 0.21 has no `useLockfile` field but
 *   snake-cases every key it gets, so it synthesizes `use_lockfile` as Terraform ≥ 1.10 expects
 * - `gcs` → `new GcsBackend(stack, config)`
 * - `cloud` → `new CloudBackend(stack, { organization, hostname, workspaces: new NamedCloudWorkspace(workspace) })`
 */
export type TerraformBackendArgs =
  | { readonly type: 'local'; readonly config: { readonly path?: string } }
  | {
      readonly type: 's3';
      readonly config: { readonly bucket: string; readonly key: string; readonly region: string; readonly encrypt: boolean; readonly dynamodbTable?: string; readonly useLockfile?: boolean };
    }
  | { readonly type: 'gcs'; readonly config: { readonly bucket: string; readonly prefix: string } }
  | { readonly type: 'cloud'; readonly config: { readonly organization: string; readonly hostname: string; readonly workspace: string } };

export function terraformBackendFor(tenant: { readonly backend: ResolvedBackend }): TerraformBackendArgs {
  const backend = tenant.backend.terraform;
  switch (backend.type) {
    case 'local':
      return { type: 'local', config: backend.path ? { path: backend.path } : {} };
    case 's3': {
      const { type: _type, ...config } = backend;
      return { type: 's3', config };
    }
    case 'gcs':
      return { type: 'gcs', config: { bucket: backend.bucket, prefix: backend.prefix } };
    case 'cloud':
      return { type: 'cloud', config: { organization: backend.organization, hostname: backend.hostname, workspace: backend.workspace } };
  }
}

/** Pulumi project name; must equal `name` in Pulumi.yaml. */
export const PULUMI_PROJECT = 'okta-dynatrace-scim';

export interface PulumiStackRef {
  /** Short stack name: the tenant name. Names `Pulumi.<stack>.yaml`. */
  readonly stack: string;
  /** What to pass to `--stack`: `<org>/<project>/<tenant>` when an organization is set, else the tenant name. */
  readonly qualifiedName: string;
  /** What to `pulumi login` to first; undefined = keep the runner's login. */
  readonly backendUrl?: string;
  readonly secretsProvider?: string;
}

export function pulumiStackFor(tenant: { readonly name: string; readonly backend: ResolvedBackend }): PulumiStackRef {
  const { url, organization, secretsProvider } = tenant.backend.pulumi;
  return {
    stack: tenant.name,
    qualifiedName: organization ? `${organization}/${PULUMI_PROJECT}/${tenant.name}` : tenant.name,
    ...(url ? { backendUrl: url } : {}),
    ...(secretsProvider ? { secretsProvider } : {}),
  };
}
