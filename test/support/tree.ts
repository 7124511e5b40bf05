/**
 * Snapshots of a folder tree (never following symbolic links), to prove that code which writes or
 * deletes files touched only what it may: every entry's type, and for files the content hash, size and
 * modification time, for links the target.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

export type TreeEntry = { type: 'dir' } | { type: 'file'; sha256: string; size: number; mtimeMs: number } | { type: 'link'; target: string };
export type Tree = ReadonlyMap<string, TreeEntry>;

/** Every entry under `root`, by path relative to it. */
export function snapshot(root: string): Tree {
  const tree = new Map<string, TreeEntry>();
  const walk = (relative: string) => {
    for (const name of readdirSync(join(root, relative)).sort()) {
      const path = relative ? `${relative}/${name}` : name;
      const stats = lstatSync(join(root, path));
      if (stats.isSymbolicLink()) tree.set(path, { type: 'link', target: readlinkSync(join(root, path)) });
      else if (stats.isDirectory()) {
        tree.set(path, { type: 'dir' });
        walk(path);
      } else tree.set(path, { type: 'file', sha256: createHash('sha256').update(readFileSync(join(root, path))).digest('hex'), size: stats.size, mtimeMs: stats.mtimeMs });
    }
  };
  walk('');
  return tree;
}

/** Paths added, removed or changed between two snapshots, sorted. */
export function changedPaths(before: Tree, after: Tree): string[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((path) => JSON.stringify(before.get(path)) !== JSON.stringify(after.get(path))).sort();
}
