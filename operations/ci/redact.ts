/**
 * Last line of defence for text CI keeps (plan transcripts, results): every known secret value is
 * replaced before anything is written. Terraform, for one, prints a sensitive variable's value in
 * validation diagnostics (../shared/FACTS.md), and a transcript goes into artifacts and the PR comment.
 */
import { withoutScheme } from '../../constructs/model/credential';

export const REDACTED = '[redacted]';

/** Variants of each secret that may appear: as given, trimmed, without a `Bearer ` scheme, and each line of a multi-line value (PEM keys). */
export function secretVariants(secrets: Iterable<string>): string[] {
  const variants = new Set<string>();
  for (const secret of secrets) {
    const bare = withoutScheme(secret).trim();
    for (const variant of [secret, secret.trim(), bare, ...secret.split(/\r?\n/).map((line) => line.trim())]) {
      // Short fragments (a PEM's "-----END…" line aside) would shred ordinary text without protecting anything.
      if (variant.length >= 8 && !/^-----(BEGIN|END) /.test(variant)) variants.add(variant);
    }
  }
  // Longest first, so a value is never half-replaced through one of its own parts.
  return [...variants].sort((a, b) => b.length - a.length);
}

export function redactSecrets(text: string, variants: readonly string[]): string {
  let out = text;
  for (const variant of variants) out = out.split(variant).join(REDACTED);
  return out;
}
