import { execFileSync } from 'node:child_process';

/** Whether a terraform CLI is on PATH: tests that need one run only then (CI's clean clone may lack it). */
export function terraformAvailable(): boolean {
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore', timeout: 10000 });
    return true;
  } catch {
    return false;
  }
}
