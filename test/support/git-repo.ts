/**
 * Real temporary git repositories holding a project (tenants file, Pulumi stack files, shared inputs),
 * for the changed-tenant selection tests; and generated tenants files of any size.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';

export type TenantEntry = Record<string, unknown> & { name: string };

/** A small valid tenant; `extra` is merged over the top level. */
export function tenantEntry(name: string, extra: Record<string, unknown> = {}): TenantEntry {
  return {
    name,
    okta: { orgName: name, credentials: { type: 'apiToken', token: { env: `${envName(name)}_OKTA_API_TOKEN` } } },
    integration: {
      label: 'Dynatrace SCIM',
      authMode: 'header',
      scimBaseUrl: 'https://api.sso.dynatrace.com/idm/public/scim/6f0c2a1e-3b7d-4c1e-9a55-2d8e4b7f9c10/v2',
      scimToken: { env: `${envName(name)}_DT_SCIM_TOKEN` },
    },
    ...extra,
  };
}

export function envName(tenant: string): string {
  return tenant.toUpperCase().replace(/-/g, '_');
}

/** `count` tenants named `tenant-0001`…, valid and distinct. */
export function generatedTenants(count: number): TenantEntry[] {
  return Array.from({ length: count }, (_, i) => tenantEntry(`tenant-${String(i + 1).padStart(4, '0')}`));
}

export function tenantsYaml(entries: readonly TenantEntry[]): string {
  return stringify({ tenants: entries });
}

export interface TempRepo {
  readonly dir: string;
  write(path: string, text: string): void;
  remove(path: string): void;
  commit(message?: string): string;
  git(...args: string[]): string;
  cleanup(): void;
}

/** A git repository with a project: package.json, Pulumi.yaml, constructs/, docs/, the tenants file and one stack file per tenant. */
export function projectRepo(tenants: readonly TenantEntry[]): TempRepo {
  const dir = mkdtempSync(join(tmpdir(), 'ci-repo-'));
  const git = (...args: string[]): string =>
    execFileSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GIT_AUTHOR_NAME: 'test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'test', GIT_COMMITTER_EMAIL: 'test@example.com', GIT_CONFIG_NOSYSTEM: '1', HOME: dir },
    });
  const repo: TempRepo = {
    dir,
    write: (path, text) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    },
    remove: (path) => rmSync(join(dir, path)),
    commit: (message = 'change') => {
      git('add', '-A');
      git('commit', '-q', '--allow-empty', '-m', message);
      return git('rev-parse', 'HEAD').trim();
    },
    git,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  git('init', '-q', '-b', 'main');
  repo.write('package.json', '{ "name": "iac", "dependencies": { "@pulumi/okta": "7.0.0" } }\n');
  repo.write('package-lock.json', '{ "lockfileVersion": 3, "packages": { "node_modules/@pulumi/okta": { "version": "7.0.0" } } }\n');
  repo.write('Pulumi.yaml', 'name: okta-dynatrace-scim\nruntime: nodejs\n');
  repo.write('constructs/cdktf/okta-provider.ts', "export const VERSION = '~> 7.0';\n");
  repo.write('docs/day-2.md', '# Day 2\n');
  repo.write('tenants.yaml', tenantsYaml(tenants));
  for (const tenant of tenants) repo.write(`Pulumi.${tenant.name}.yaml`, `config:\n  okta-dynatrace-scim:tenant: ${tenant.name}\n`);
  repo.commit('initial');
  return repo;
}
