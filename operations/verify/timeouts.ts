/** verify's request timeout: its default and bound, in a module light enough for `--help` to show them. */

/** Per request, connecting included, unless `--timeout` says otherwise. */
export const DEFAULT_TIMEOUT_MS = 15_000;

/** Whole milliseconds Node's timers accept; larger values would fire after 1 ms. */
export const MAX_TIMEOUT_MS = 2_147_483_647;
