/**
 * The one reader of a secret the tenants file names by its source (`SecretSource`) inside a Pulumi
 * program: the SCIM token, the Dynatrace OAuth client.
 */
import * as pulumi from '@pulumi/pulumi';
import type { SecretSource } from '../model/spec';

/**
 * The stack's secret config key (`pulumiConfig`) first, else the environment variable (`env`), as a
 * Pulumi secret either way; undefined when neither holds a value (an empty variable, which is what a CI
 * job maps for a secret it was not given, counts as unset).
 */
export function readSecret(source: SecretSource): pulumi.Output<string> | undefined {
  const fromConfig = source.pulumiConfig ? new pulumi.Config().getSecret(source.pulumiConfig) : undefined;
  if (fromConfig) return fromConfig;
  const fromEnv = source.env ? process.env[source.env] : undefined;
  return fromEnv ? pulumi.secret(fromEnv) : undefined;
}
