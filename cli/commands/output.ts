/** Terminal output: colour and progress only on a TTY, and never when NO_COLOR is set (https://no-color.org). */
import type { Writable } from 'node:stream';
import type { SpecError } from '../../constructs/model/errors';

export interface Io {
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}

export const processIo = (): Io => ({ stdout: process.stdout, stderr: process.stderr, env: process.env });

export interface Style {
  readonly ok: (text: string) => string;
  readonly bad: (text: string) => string;
  readonly warn: (text: string) => string;
  readonly dim: (text: string) => string;
  /** Progress line on stderr (TTY only); a no-op when piped or in CI logs. */
  readonly progress: (text: string) => void;
}

export function styleFor(io: Io): Style {
  const colour = Boolean(io.stdout.isTTY) && io.env.NO_COLOR === undefined && io.env.TERM !== 'dumb';
  const paint = (code: number) => (text: string) => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  const tty = Boolean(io.stderr.isTTY) && io.env.CI === undefined;
  return {
    ok: paint(32),
    bad: paint(31),
    warn: paint(33),
    dim: paint(2),
    progress: (text) => {
      if (tty) io.stderr.write(`${colour ? '\u001b[2m' : ''}${text}${colour ? '\u001b[0m' : ''}\n`);
    },
  };
}

/** Where the CLI says how to see every problem when it lists only the first ones. */
export const ALL_PROBLEMS_HINT = 'add --all-problems to list every one';

/** Invalid input as the CLI prints it: the first problems and a count of the rest, or all with `--all-problems`. */
export function problemsText(error: SpecError, all: boolean): string {
  return error.format({ all, more: ALL_PROBLEMS_HINT });
}
