/** Imported first by this entry point's index: names a missing Pulumi package before anything loads it. */
import { requireEngine } from '../engines';

requireEngine('pulumi', 'okta-dynatrace-scim/pulumi');
