/**
 * A Pulumi program under mocks whose lookups return the wrong thing, run as a child process by the tests:
 * like `pulumi up`, it must fail with the check's message before anything that depends on it is created.
 * - default: the SSO app lookup by label returns another app (a prefix match, as the provider does);
 * - `dynatrace-group-missing`: the pushed group is not in Dynatrace yet (the provider's empty id);
 * - `dynatrace-group-null`: the same, answered as the bridged provider does for an all-null object.
 */
import * as pulumi from '@pulumi/pulumi';
import { DynatraceScimIntegration } from '../../constructs/pulumi/scim-integration';
import { ssoSpec } from './specs';

void pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      process.stdout.write(`created ${args.name}\n`);
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => {
      if (args.token === 'okta:app/getApp:getApp') return mode === 'default' ? { id: '0oaOther', name: 'other_app', label: `${String(args.inputs.label)} (old)` } : { id: '0oa1ssoapp', name: 'sso_app', label: 'Dynatrace SSO' };
      if (args.token === 'dynatrace:index/getIamGroup:getIamGroup') return mode === 'dynatrace-group-null' ? { id: null, name: null } : { id: '', name: args.inputs.name };
      return { id: `lookup-${String(args.inputs.name)}`, uuid: `lookup-${String(args.inputs.name)}`, name: args.inputs.name };
    },
  },
  'p',
  's',
  false,
);
const mode = process.argv[2] ?? 'default';
new DynatraceScimIntegration(
  'acme',
  mode !== 'default'
    ? ssoSpec({
        provisioning: { enabled: true },
        groups: [{ name: 'Dynatrace Users', push: true, policies: [{ name: 'Standard User', environment: 'abc12345' }] }],
        dynatrace: { oauthClient: { clientId: { env: 'DT_ID' }, clientSecret: { env: 'DT_SECRET' } } },
      })
    : ssoSpec({ ssoApp: { label: 'Dynatrace SSO' } }),
);
