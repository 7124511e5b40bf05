/**
 * `--engine`, for every command that takes it (review, verify, batch): the value given, else the
 * `OKTA_SCIM_ENGINE` variable CI sets, else terraform. A bad value gets the same message in every command,
 * naming where it came from.
 */
import { SpecError } from '../../constructs/model/errors';
import { type Engine, ENGINES } from '../../constructs/resources/names';
import { quoteValue } from '../../constructs/model/quote';

/** The variable CI sets to the engine it runs (`terraform`, `pulumi` or `both`). */
export const ENGINE_VARIABLE = 'OKTA_SCIM_ENGINE';

export type EngineChoice = Engine | 'both';

/** What a command accepts: review and verify name objects as one engine; batch may run both. */
export const ONE_ENGINE: readonly Engine[] = ENGINES;
export const ONE_OR_BOTH: readonly EngineChoice[] = [...ENGINES, 'both'];

/** `--engine`'s default: `OKTA_SCIM_ENGINE` when set, else terraform (checked by {@link chooseEngine}). */
export function defaultEngine(env: NodeJS.ProcessEnv): string {
  return env[ENGINE_VARIABLE] || 'terraform';
}

/**
 * The engine for a command that accepts `allowed`: `value` is what `--engine` holds, `given` whether the
 * user gave it (else it is {@link defaultEngine}). `both` from the variable means Terraform's names for a
 * command that names objects as one engine (CI plans both, and reports in Terraform's addresses).
 */
export function chooseEngine<T extends EngineChoice>(value: string, given: boolean, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  if (!given && value === 'both') return 'terraform' as T;
  const choices = orList(allowed);
  throw new SpecError([
    given
      ? { path: '--engine', message: `${quoteValue(value)} is not an engine`, fix: `use ${choices}` }
      : { path: ENGINE_VARIABLE, message: `${quoteValue(value)} is not an engine`, fix: `set it to terraform, pulumi or both, or pass --engine ${choices}` },
  ]);
}

/** `terraform or pulumi`, `terraform, pulumi or both`. */
function orList(values: readonly string[]): string {
  return `${values.slice(0, -1).join(', ')} or ${values.at(-1)!}`;
}
