/**
 * Terraform reads every string of a `*.tf.json` file as a template. Literal text (labels, names,
 * messages, Okta expressions such as `${source.email}`) must therefore be escaped before it is written,
 * or Terraform evaluates it. Both CDKTF renderers (Okta and Dynatrace) escape through these functions.
 */

/** `${` and `%{` start Terraform template sequences; doubled, they are literal. */
export function escapeTemplate(text: string): string {
  if (!text.includes('{')) return text; // most text: nothing to escape, no need to scan it twice
  // Replacer functions: in a replacement string `$$` would collapse to `$`.
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** A quoted HCL string literal for use inside a `${…}` expression (itself a template, so escaped too). */
export function hclQuote(text: string): string {
  return `"${escapeTemplate(text).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

/**
 * The condition that a data source found something: its `attribute` is neither null nor "". Providers built
 * on terraform-plugin-sdk v2 that answer "nothing" with `SetId("")` (the Dynatrace IAM lookups) return an
 * object whose attributes are all null, and `null != ""` is true in Terraform: testing for "" alone lets
 * that through.
 */
export function foundCondition(attribute: string): string {
  return `self.${attribute} != null && self.${attribute} != ""`;
}
