/**
 * The Terraform dependency lock file (`.terraform.lock.hcl`): the exact version of every provider the
 * stacks use and the hashes of its packages, committed next to the tenants file. synth copies it into
 * every stack folder and CI runs `terraform init -lockfile=readonly`, so a plan or apply installs exactly
 * the providers a reviewed commit pinned: a new release, a changed registry answer or a substituted
 * package makes init fail instead of running with secrets.
 *
 * A maintainer writes it once, and again on each provider upgrade, with `okta-dynatrace-scim
 * providers-lock` (`terraform providers lock` for the platforms CI and developers use: it needs the
 * Terraform registry). The file is reviewed like code: it is a shared input (operations/ci/inputs.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PROVIDER_LOCK_FILE = '.terraform.lock.hcl';

/** Platforms the lock file holds hashes for: CI runners and developers' machines. */
export const LOCK_PLATFORMS = ['linux_amd64', 'linux_arm64', 'darwin_amd64', 'darwin_arm64', 'windows_amd64'] as const;

export interface ProviderRequirement {
  /** `okta/okta`, `dynatrace-oss/dynatrace`. */
  readonly source: string;
  readonly version: string;
}

/** A configuration requiring every provider a stack may use, for `terraform providers lock`. */
export function lockConfiguration(providers: Readonly<Record<string, ProviderRequirement>>): string {
  return `${JSON.stringify({ terraform: { required_providers: providers } }, null, 2)}\n`;
}

/** The lock file next to the tenants file, when there is one. */
export function readProviderLock(dir: string): string | undefined {
  const file = join(dir, PROVIDER_LOCK_FILE);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** `provider "registry.terraform.io/okta/okta" { version = "7.0.0" … }` → source and version, in file order. */
export function lockedProviders(text: string): { source: string; version: string; hashes: number }[] {
  return [...text.matchAll(/^provider\s+"([^"]+)"\s*\{([\s\S]*?)^\}/gm)].map((block) => ({
    source: block[1].replace(/^registry\.terraform\.io\//, ''),
    version: /^\s*version\s*=\s*"([^"]+)"/m.exec(block[2])?.[1] ?? '',
    hashes: [...block[2].matchAll(/"(?:h1|zh):[^"]+"/g)].length,
  }));
}
