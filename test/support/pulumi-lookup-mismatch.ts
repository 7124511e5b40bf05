/**
 * A Pulumi program under mocks whose app lookup returns another app (a prefix match, as the provider
 * does). Run as a child process by test/pulumi.test.ts: like `pulumi up`, it must fail with the check's
 * message before anything is created.
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
    call: (args) => (args.token === 'okta:app/getApp:getApp' ? { id: '0oaOther', name: 'other_app', label: `${String(args.inputs.label)} (old)` } : { id: '00gUsers', name: args.inputs.name }),
  },
  'p',
  's',
  false,
);
new DynatraceScimIntegration('acme', ssoSpec({ ssoApp: { label: 'Dynatrace SSO' } }));
