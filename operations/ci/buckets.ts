/**
 * Batching for any tenant count. GitHub runs at most 256 jobs per matrix, so tenants are grouped into a
 * fixed set of {@link BUCKETS} buckets by a stable hash of their name, one job per non-empty bucket, and
 * a job handles its tenants one after the other.
 *
 * A tenant is always in the same bucket, whatever else changed in the tenants file or the selection, so
 * `concurrency: apply-bucket-<bucket>` serializes every apply of that tenant across workflow runs. Changing
 * {@link BUCKETS} moves tenants between buckets: do it only while no apply run is queued or running.
 */
import { createHash } from 'node:crypto';

/**
 * 64: parallel enough for GitHub's concurrent-job limits (20 to 500 jobs per account), few enough that a
 * full run does not pay 256 times for checkout, `npm ci` and the engine setup.
 */
export const BUCKETS = 64;

/** GitHub Actions: "A matrix will generate a maximum of 256 jobs per workflow run." */
export const GITHUB_MATRIX_LIMIT = 256;

export interface BatchEntry {
  /** Two digits, `00`–`63`: names the job, its artifact and its apply concurrency group. */
  readonly bucket: string;
  /** Tenant names, space-separated, in tenants-file order (validated names only). */
  readonly tenants: string;
  /** Short job name: the first tenant and how many more (`acme +11`); the full list can be long. */
  readonly label: string;
}

export interface BatchMatrix {
  readonly include: readonly BatchEntry[];
}

/** The bucket of a tenant: the first 32 bits of SHA-256 of its name, modulo {@link BUCKETS}. */
export function bucketOf(tenant: string): number {
  return createHash('sha256').update(tenant, 'utf8').digest().readUInt32BE(0) % BUCKETS;
}

export function bucketId(bucket: number): string {
  return String(bucket).padStart(2, '0');
}

/** One entry per non-empty bucket, in bucket order; tenants keep the order they are given in. */
export function batchMatrix(tenants: readonly string[]): BatchMatrix {
  const buckets = new Map<number, string[]>();
  for (const tenant of tenants) {
    const bucket = bucketOf(tenant);
    const names = buckets.get(bucket) ?? [];
    names.push(tenant);
    buckets.set(bucket, names);
  }
  const include = [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([bucket, names]) => ({ bucket: bucketId(bucket), tenants: names.join(' '), label: names.length > 1 ? `${names[0]} +${names.length - 1}` : names[0] }));
  return { include };
}
