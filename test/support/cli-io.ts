/** The CLI run in-process with its output captured: `run(argv, capture().io)`. */
import { Writable } from 'node:stream';
import type { Io } from '../../cli/commands/output';

export function capture(env: NodeJS.ProcessEnv = {}, tty = false): { io: Io; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const stdout = Object.assign(new Writable({ write(c, _e, d) { out += String(c); d(); } }), { isTTY: tty });
  const stderr = Object.assign(new Writable({ write(c, _e, d) { err += String(c); d(); } }), { isTTY: tty });
  return { io: { stdout, stderr, env }, out: () => out, err: () => err };
}
