/**
 * Tolerant parsing: an invalid object is checked field by field against its zod shape, so one bad field
 * never hides another's problem, and the fields that are valid still reach the cross-field checks. Every
 * problem of a file is then reported in one run. A valid object takes one pass.
 */
import type * as z from '../zod';
import { joinPath, type SpecIssue } from './errors';
import { SECRET_LOOKING_KEYS } from './schema';

type Shape = Record<string, z.ZodType>;

export interface ParsedFields<S extends Shape> {
  /** The fields that match their schema (absent optional fields stay absent). */
  readonly fields: { -readonly [K in keyof S]?: z.output<S[K]> };
  /** Fields that were given but did not match: cross-field checks skip them instead of calling them missing. */
  readonly failed: ReadonlySet<keyof S>;
}

/** `failed` of an object whose every field is valid. */
export const NO_FAILED_FIELDS: ReadonlySet<never> = new Set();

/**
 * The fields of `input` that match their schema; issues for the others (and for unknown keys) are
 * pushed under `path`. `undefined` (with an issue) when `input` is not an object at all. `whereToFind`
 * tells, for a required field that is missing, where its value comes from (the fix, instead of "add it").
 *
 * A valid object (the usual case) is parsed in one pass by the strict object schema, which checks the same
 * fields with the same schemas and refuses unknown keys as well; only an invalid one is parsed again field by
 * field, to report every problem and keep the valid fields. `jitless`: zod's eval-compiled fast path for objects
 * costs more to generate than it saves over the few thousand objects of a tenants file (measured: 5–10 %
 * less time per tenant without it), and needs no code generation from strings.
 */
export function parseFields<S extends Shape>(schema: z.ZodObject<S, z.core.$strict>, input: unknown, issues: SpecIssue[], path: string, whereToFind: Partial<Record<keyof S, string>> = {}): ParsedFields<S> | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    issues.push(input === undefined || input === null ? { path, message: 'is required', fix: 'add it' } : { path, message: 'must be an object (a map of fields)' });
    return undefined;
  }
  const whole = schema.safeParse(input, { jitless: true });
  if (whole.success) return { fields: definedFields(whole.data as Record<string, unknown>) as ParsedFields<S>['fields'], failed: NO_FAILED_FIELDS };
  const shape = schema.shape;
  const record = input as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  const failed = new Set<keyof S>();
  for (const key of Object.keys(record)) {
    if (!(key in shape)) issues.push(unknownKey(joinPath(path, key), key));
  }
  for (const [key, field] of Object.entries(shape)) {
    const result = field.safeParse(record[key], { reportInput: true });
    if (result.success) {
      if (result.data !== undefined) fields[key] = result.data;
    } else {
      if (record[key] !== undefined) failed.add(key);
      const fix = record[key] === undefined ? whereToFind[key as keyof S] : undefined;
      issues.push(...(fix ? [{ path: joinPath(path, key), message: 'is required', fix }] : zodIssues(result.error, joinPath(path, key))));
    }
  }
  return { fields: fields as ParsedFields<S>['fields'], failed };
}

/** `data` without the keys whose value is `undefined` (an object schema keeps a key given as `undefined`; absent fields stay absent). */
function definedFields(data: Record<string, unknown>): Record<string, unknown> {
  for (const key in data) {
    if (data[key] === undefined) return Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined));
  }
  return data;
}

/** Maps zod's issues to ours, with a fix for the mistakes people actually make. Never echoes a value. */
export function zodIssues(error: z.ZodError, prefix = ''): SpecIssue[] {
  return specIssues(error.issues, prefix);
}

function specIssues(issues: readonly z.core.$ZodIssue[], prefix: string): SpecIssue[] {
  return issues.flatMap((issue): SpecIssue[] => {
    const path = joinPath(prefix, formatPath(issue.path));
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => unknownKey(joinPath(path, key), key));
    // A record key that failed its own schema: that schema's problems, at the key's path.
    if (issue.code === 'invalid_key') return specIssues(issue.issues, path);
    if (issue.code === 'invalid_value') {
      const allowed = issue.values.map((v) => JSON.stringify(v)).join(', ');
      return [{ path, message: `must be one of ${allowed}`, fix: `use one of ${allowed}` }];
    }
    if (issue.code === 'invalid_type') {
      const missing = issue.input === undefined;
      if (!missing && issue.expected === 'object' && /token|secret|credential|privateKey/i.test(path)) {
        return [{ path, message: 'secrets cannot be written into configuration', fix: 'name the environment variable (`env`) or Pulumi secret (`pulumiConfig`) that holds it' }];
      }
      return [{ path, message: missing ? 'is required' : `must be ${article(issue.expected)}`, ...(missing ? { fix: 'add it' } : {}) }];
    }
    if (issue.code === 'invalid_union') return [{ path, message: 'has an unexpected form', fix: 'see the field\'s documentation in the README' }];
    const fix = issue.code === 'custom' ? (issue.params as { fix?: unknown } | undefined)?.fix : undefined;
    return [{ path, message: issue.message.replace(/\.$/, ''), ...(typeof fix === 'string' ? { fix } : {}) }];
  });
}

function unknownKey(path: string, key: string): SpecIssue {
  return SECRET_LOOKING_KEYS.includes(key)
    ? { path, message: 'secrets cannot be written into configuration', fix: 'remove it and name the environment variable (`env`) or Pulumi secret (`pulumiConfig`) that holds it' }
    : { path, message: 'is not a known field', fix: 'remove it or check its spelling' };
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : joinPath(acc, String(part))), '');
}
