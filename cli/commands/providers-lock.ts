/**
 * `providers-lock`: a maintainer writes the Terraform dependency lock file once, and again on each
 * provider upgrade (operations/synth/provider-lock.ts). It runs `terraform providers lock` for every
 * platform of LOCK_PLATFORMS on a configuration requiring the providers the stacks use, at the versions
 * the library pins, and puts `.terraform.lock.hcl` next to the tenants file, to be committed and
 * reviewed. It needs the Terraform registry (and the maintainer's terraform); CI never runs it: CI runs
 * `terraform init -lockfile=readonly` against the committed file.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { LOCK_PLATFORMS, lockConfiguration, lockedProviders, PROVIDER_LOCK_FILE, readProviderLock } from '../../operations/synth/provider-lock';
import { SpecError } from '../../constructs/model/errors';
import type { Io } from './output';

export interface ProvidersLockOptions {
  readonly tenants: string;
}

export function runProvidersLock(options: ProvidersLockOptions, io: Io): number {
  // The renderers own the provider pins; loaded here only (they bring cdktf).
  const { OKTA_PROVIDER } = require('../../constructs/cdktf/okta-provider') as typeof import('../../constructs/cdktf/okta-provider');
  const { DYNATRACE_PROVIDER } = require('../../constructs/cdktf/dynatrace-provider') as typeof import('../../constructs/cdktf/dynatrace-provider');
  const providers = {
    okta: { source: OKTA_PROVIDER.source, version: OKTA_PROVIDER.versionConstraint },
    dynatrace: { source: DYNATRACE_PROVIDER.source, version: DYNATRACE_PROVIDER.versionConstraint },
  };
  const target = join(dirname(resolve(options.tenants)), PROVIDER_LOCK_FILE);
  const work = mkdtempSync(join(tmpdir(), 'okta-dynatrace-scim-lock-'));
  try {
    writeFileSync(join(work, 'providers.tf.json'), lockConfiguration(providers));
    const args = ['providers', 'lock', ...LOCK_PLATFORMS.map((platform) => `-platform=${platform}`)];
    io.stderr.write(`terraform ${args.join(' ')} (needs the Terraform registry)\n`);
    const run = spawnSync('terraform', args, { cwd: work, env: { ...io.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (run.error || run.status !== 0) {
      io.stderr.write(`${run.stdout ?? ''}${run.stderr ?? ''}`);
      throw new SpecError([{ path: 'terraform providers lock', message: run.error ? `terraform could not run (${(run.error as NodeJS.ErrnoException).code ?? run.error.message})` : `failed with exit ${run.status}`, fix: 'run it where terraform (1.11) is on PATH and registry.terraform.io is reachable' }]);
    }
    copyFileSync(join(work, PROVIDER_LOCK_FILE), target);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const locked = lockedProviders(readProviderLock(dirname(target)) ?? '');
  io.stdout.write(`${target}: ${locked.map((p) => `${p.source} ${p.version} (${p.hashes} hashes)`).join(', ')}\nCommit it: CI installs exactly these providers (terraform init -lockfile=readonly).\n`);
  return 0;
}
