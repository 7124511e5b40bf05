/** Whether a terraform CLI is on PATH: tests that run `terraform plan` (no provider needed) skip without it. */
import { execFileSync } from 'node:child_process';

export function terraformAvailable(): boolean {
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore', timeout: 10000 });
    return true;
  } catch {
    return false;
  }
}
