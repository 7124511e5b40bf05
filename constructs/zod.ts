/**
 * The part of zod this package uses, in one module that every other module imports as `z`
 * (`import * as z from '…/zod'`).
 *
 * Why: zod as published is 95 modules (60 of them locales) and took ~40 ms of CPU to load, two thirds of
 * what loading the model cost. The build (`scripts/bundle-zod.ts`, run by `npm run build`) replaces this
 * module's compiled output in `dist/` with zod itself, bundled down to what is exported here (one file,
 * ~7 ms to load; docs/benchmark.md). In the repository (tests, `tsx`) it re-exports the installed zod,
 * the same version. A zod function this package starts to use must be added here: the compiler refuses
 * `z.<anything else>`.
 */
export {
  array,
  boolean,
  discriminatedUnion,
  enum,
  literal,
  looseObject,
  number,
  object,
  record,
  strictObject,
  string,
  toJSONSchema,
  union,
  unknown,
} from 'zod';
export type { core, infer, output, ZodError, ZodObject, ZodString, ZodType } from 'zod';
