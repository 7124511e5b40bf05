/**
 * What a plan does, reduced to counts, engine addresses and actions — never values. Reads the engines'
 * documented machine formats:
 *
 * - Terraform `terraform show -json <planfile>`: developer.hashicorp.com/terraform/internals/json-format
 *   ("Plan Representation", "Change Representation"): `format_version` (reject another major version),
 *   `resource_changes[]` with `address`, `deposed`, `change.actions` ∈ `["no-op"]`, `["create"]`,
 *   `["read"]`, `["update"]`, `["delete","create"]`, `["create","delete"]` (both replace), `["delete"]`,
 *   plus `["forget"]` (Terraform ≥ 1.7 `removed` blocks) and `change.importing` (≥ 1.5 `import` blocks).
 * - Pulumi `pulumi preview --json` / `pulumi destroy --preview-only --json`: the `PreviewDigest` of
 *   pulumi/pulumi `sdk/go/common/display/json.go` (www.pulumi.com/docs/iac/cli/commands/pulumi_preview,
 *   `-j, --json`): `steps[]` of `{ op, urn, … }` with `op` one of the engine's step ops (`same`, `create`,
 *   `update`, `delete`, `replace`, `create-replacement`, `delete-replaced`, `read`, `read-replacement`,
 *   `refresh`, `discard`, `discard-replaced`, `remove-pending-replace`, `import`, `import-replacement`),
 *   and `changeSummary` (count per op).
 *
 * Sensitive values are in plain text in `terraform show -json` (`after_sensitive` only marks them), and
 * Pulumi steps carry old and new inputs: this module reads `address`/`urn` and the actions, nothing else.
 */
import { type Engine, PULUMI_TYPES } from '../../constructs/resources/names';

/** One resource the plan touches, named as the engine names it. */
export interface PlannedChange {
  /** Terraform resource address (`okta_group.viewers`, `data.okta_group.admins`) or Pulumi `<type> <name>`. */
  readonly address: string;
  readonly action: 'create' | 'update' | 'delete' | 'replace' | 'import' | 'forget';
  /** Terraform: also imported by this plan (an `import` block), whatever the action. */
  readonly importing?: boolean;
}

export interface PlanCounts {
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  readonly replace: number;
  readonly import: number;
  readonly forget: number;
}

export interface PlanSummary {
  readonly engine: Engine;
  readonly counts: PlanCounts;
  readonly changes: readonly PlannedChange[];
  /** What the plan could not compare, by object (read-only runs: the SCIM token they never receive). */
  readonly unseen?: readonly { readonly address: string; readonly what: string }[];
}

export interface SummaryOptions {
  /**
   * The run planned without the SCIM token (read-only plans and drift checks of API-path tenants get a
   * stand-in: the token is a write credential). An update of the provisioning connection that differs in
   * the token alone is then no change: it is listed in `unseen` instead.
   */
  readonly withheldToken?: boolean;
}

export const WITHHELD_TOKEN_NOTE = 'the SCIM token: read-only runs never receive it (a write credential), so the connection\'s token is not compared';

export class PlanFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanFormatError';
  }
}

/** `1 to add, 2 to change, 0 to destroy, 1 to replace` (+ import/forget when present), as the comment and issues print it. */
export function countsText(counts: PlanCounts): string {
  const parts = [`${counts.add} to add`, `${counts.change} to change`, `${counts.destroy} to destroy`, `${counts.replace} to replace`];
  if (counts.import) parts.push(`${counts.import} to import`);
  if (counts.forget) parts.push(`${counts.forget} to forget`);
  return parts.join(', ');
}

export function hasChanges(summary: PlanSummary): boolean {
  return Object.values(summary.counts).some((n) => n > 0);
}

const TERRAFORM_ACTIONS: Record<string, PlannedChange['action'] | 'none'> = {
  'no-op': 'none',
  read: 'none',
  create: 'create',
  update: 'update',
  delete: 'delete',
  'delete,create': 'replace',
  'create,delete': 'replace',
  forget: 'forget',
};

/** Summarizes `terraform show -json <planfile>` output (text or parsed). */
export function summarizeTerraformPlan(input: string | unknown, options: SummaryOptions = {}): PlanSummary {
  const plan = parseJson(input, 'terraform show -json') as { format_version?: unknown; resource_changes?: unknown; planned_values?: unknown };
  if (typeof plan !== 'object' || plan === null || typeof plan.format_version !== 'string') {
    throw new PlanFormatError('not Terraform JSON output: no format_version (expected `terraform show -json <planfile>`)');
  }
  if (plan.format_version.split('.')[0] !== '1') {
    throw new PlanFormatError(`unsupported Terraform JSON format_version ${plan.format_version} (this reader knows 1.x)`);
  }
  if (plan.resource_changes === undefined && plan.planned_values === undefined) {
    throw new PlanFormatError('Terraform JSON without resource_changes or planned_values: a state, not a plan');
  }
  const changes: PlannedChange[] = [];
  const unseen: { address: string; what: string }[] = [];
  for (const entry of asArray(plan.resource_changes, 'resource_changes')) {
    const rc = entry as { address?: unknown; type?: unknown; deposed?: unknown; change?: { actions?: unknown; importing?: unknown; before?: unknown; after?: unknown } };
    if (typeof rc.address !== 'string' || !Array.isArray(rc.change?.actions)) throw new PlanFormatError('resource_changes[] entry without address or change.actions');
    const key = rc.change.actions.join(',');
    const action = TERRAFORM_ACTIONS[key];
    if (action === undefined) throw new PlanFormatError(`unknown Terraform change actions [${key}] at ${rc.address}`);
    const importing = rc.change.importing !== undefined && rc.change.importing !== null;
    const address = typeof rc.deposed === 'string' ? `${rc.address} (deposed object)` : rc.address;
    if (options.withheldToken && action === 'update' && rc.type === 'okta_app_connection' && !importing && sameButToken(rc.change.before, rc.change.after)) {
      unseen.push({ address, what: WITHHELD_TOKEN_NOTE });
      continue;
    }
    if (action !== 'none') changes.push({ address, action, ...(importing ? { importing: true } : {}) });
    else if (importing) changes.push({ address, action: 'import', importing: true });
  }
  return { engine: 'terraform', counts: count(changes), changes, ...(unseen.length > 0 ? { unseen } : {}) };
}

/** Whether two `okta_app_connection` values differ in `profile[].token` alone. Values are compared in memory only. */
function sameButToken(before: unknown, after: unknown): boolean {
  const withoutToken = (value: unknown): string => {
    const connection = (value ?? {}) as { profile?: unknown };
    const profile = Array.isArray(connection.profile) ? connection.profile.map((p) => ({ ...(p as object), token: null })) : connection.profile;
    return JSON.stringify({ ...connection, profile });
  };
  return withoutToken(before) === withoutToken(after);
}

const PULUMI_OPS: Record<string, PlannedChange['action'] | 'none'> = {
  same: 'none',
  read: 'none',
  refresh: 'none',
  discard: 'none',
  'remove-pending-replace': 'none',
  create: 'create',
  update: 'update',
  delete: 'delete',
  replace: 'replace',
  'create-replacement': 'replace',
  'delete-replaced': 'replace',
  'read-replacement': 'replace',
  'discard-replaced': 'replace',
  'import-replacement': 'replace',
  import: 'import',
};

/** Summarizes `pulumi preview --json` (or `pulumi destroy --preview-only --json`) output. */
export function summarizePulumiPreview(input: string | unknown, options: SummaryOptions = {}): PlanSummary {
  const digest = parseJson(input, 'pulumi preview --json') as { steps?: unknown; changeSummary?: unknown };
  if (typeof digest !== 'object' || digest === null || (digest.steps === undefined && digest.changeSummary === undefined)) {
    throw new PlanFormatError('not `pulumi preview --json` output: neither steps nor changeSummary');
  }
  // A replacement is several steps on one URN (create-replacement, replace, delete-replaced): count it once.
  const byUrn = new Map<string, PlannedChange>();
  const unseen: { address: string; what: string }[] = [];
  for (const entry of asArray(digest.steps, 'steps')) {
    const step = entry as { op?: unknown; urn?: unknown; diffReasons?: unknown };
    if (typeof step.op !== 'string' || typeof step.urn !== 'string') throw new PlanFormatError('steps[] entry without op or urn');
    const action = PULUMI_OPS[step.op];
    if (action === undefined) throw new PlanFormatError(`unknown Pulumi step op "${step.op}" at ${step.urn}`);
    if (action === 'none') continue;
    // The token is inside `profile`, a secret input: an update for `profile` alone is the stand-in token.
    if (options.withheldToken && action === 'update' && urnAddress(step.urn).startsWith(`${PULUMI_TYPES.okta_app_connection} `) && Array.isArray(step.diffReasons) && step.diffReasons.length > 0 && step.diffReasons.every((reason) => reason === 'profile')) {
      unseen.push({ address: urnAddress(step.urn), what: WITHHELD_TOKEN_NOTE });
      continue;
    }
    const previous = byUrn.get(step.urn);
    if (!previous || action === 'replace') byUrn.set(step.urn, { address: urnAddress(step.urn), action });
  }
  const changes = [...byUrn.values()];
  return { engine: 'pulumi', counts: count(changes), changes, ...(unseen.length > 0 ? { unseen } : {}) };
}

export function summarizePlan(engine: Engine, input: string | unknown, options: SummaryOptions = {}): PlanSummary {
  return engine === 'terraform' ? summarizeTerraformPlan(input, options) : summarizePulumiPreview(input, options);
}

/**
 * `urn:pulumi:<stack>::<project>::<parent$…$type>::<name>` → `<type> <name>`, as `pulumi preview` prints
 * resources. The name may itself contain `::`.
 */
export function urnAddress(urn: string): string {
  const parts = urn.split('::');
  if (!urn.startsWith('urn:pulumi:') || parts.length < 4) return urn;
  const qualifiedType = parts[2];
  const type = qualifiedType.slice(qualifiedType.lastIndexOf('$') + 1);
  return `${type} ${parts.slice(3).join('::')}`;
}

function count(changes: readonly PlannedChange[]): PlanCounts {
  const of = (action: PlannedChange['action']): number => changes.filter((c) => c.action === action).length;
  return { add: of('create'), change: of('update'), destroy: of('delete'), replace: of('replace'), import: changes.filter((c) => c.action === 'import' || c.importing).length, forget: of('forget') };
}

function parseJson(input: string | unknown, what: string): unknown {
  if (typeof input !== 'string') return input;
  try {
    return JSON.parse(input);
  } catch {
    throw new PlanFormatError(`${what} output is not JSON`);
  }
}

function asArray(value: unknown, field: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new PlanFormatError(`${field} is not a list`);
  return value;
}
