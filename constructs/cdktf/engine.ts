/** Imported first by this entry point's index: names a missing CDKTF package before anything loads it. */
import { requireEngine } from '../engines';

requireEngine('terraform', 'okta-dynatrace-scim/cdktf');
