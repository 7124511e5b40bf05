/**
 * `verify --timeout` governs connecting as well as waiting for the answer, and nothing outlives the command.
 *
 * A listener that never accepts: a child process listens with a backlog of 1 and blocks its event loop, and
 * filler connections fill the kernel's accept queue; after that, a SYN gets no answer (Linux drops it), so a
 * client stays in the connect phase until its own timeout. Deterministic, loopback only.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DEFAULT_POLICY, httpGet, HttpError, withConnectionPool } from '../operations/verify/okta-client';
import { runVerify } from '../cli/commands/verify';
import { startScimServer, type ScimServer } from './support/scim-server';
import { SCIM_URL, TEST_TOKEN } from './support/specs';

interface BlackHole {
  readonly url: string;
  close(): void;
}

const LISTEN_AND_BLOCK = `
const server = require('node:net').createServer();
server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
  require('node:fs').writeSync(1, server.address().port + '\\n');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // never accepts: the event loop stops here
});`;

async function startBlackHole(): Promise<BlackHole> {
  const child: ChildProcess = spawn(process.execPath, ['-e', LISTEN_AND_BLOCK], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => resolve(Number(String(chunk).trim())));
    child.once('exit', () => reject(new Error('listener exited')));
  });
  const fillers: Socket[] = [];
  const close = (): void => {
    for (const socket of fillers) socket.destroy();
    child.kill();
  };
  // Fill the accept queue until a connection attempt hangs: from then on, every SYN goes unanswered.
  for (let attempt = 0; attempt < 16; attempt++) {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    fillers.push(socket);
    const connected = await new Promise<boolean>((resolve) => {
      socket.once('connect', () => resolve(true));
      setTimeout(() => resolve(false), 250);
    });
    if (!connected) {
      socket.destroy(); // the queue is full; this one only showed it
      return { url: `http://127.0.0.1:${port}`, close };
    }
  }
  close();
  throw new Error('the accept queue never filled');
}

/** TCP connections of this process still being set up (only those towards the black hole, in these tests). */
const connecting = (): number => process.getActiveResourcesInfo().filter((kind) => kind.endsWith('ConnectWrap')).length;

/** How many are left once destroyed sockets are gone (that takes a tick or two), or after 1 s. */
async function connectingAfterSettling(): Promise<number> {
  for (const deadline = performance.now() + 1_000; connecting() > 0 && performance.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 20));
  return connecting();
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const start = performance.now();
  const result = await work();
  return { result, ms: performance.now() - start };
}

let hole: BlackHole;
let scim: ScimServer;
let dir: string;
let tenantsFile: string;

beforeAll(async () => {
  hole = await startBlackHole();
  scim = await startScimServer(TEST_TOKEN);
  dir = mkdtempSync(join(tmpdir(), 'verify-timeouts-'));
  tenantsFile = join(dir, 'tenants.yaml');
  writeFileSync(tenantsFile, `tenants:\n  - name: acme\n    okta: { orgName: acme }\n    integration:\n      label: Dynatrace SCIM\n      authMode: header\n      scimBaseUrl: ${SCIM_URL}\n      scimToken: { env: ACME_DT_SCIM_TOKEN }\n`);
});

afterAll(async () => {
  hole.close();
  await scim.close();
  rmSync(dir, { recursive: true, force: true });
});

const env = { OKTA_API_TOKEN: '00okta-timeout-test-token', ACME_DT_SCIM_TOKEN: `Bearer ${TEST_TOKEN}` };

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

describe('verify --timeout covers the connect phase', () => {
  // 12 s: undici's own connect timeout (10 s, on timers ticking about once a second) would have fired first.
  it('a listener that never accepts: the timeout given wins over undici\'s own 10 s connect timeout', async () => {
    const stdout = new Capture();
    const { result: code, ms } = await timed(() => runVerify({ tenantsFile, json: false, timeoutMs: 12_000, oktaBaseUrl: hole.url, scimBaseUrl: scim.baseUrl, env, stdout, stderr: new Capture() }));
    expect(stdout.text).toContain('→ okta.api: GET /api/v1/apps?q=Dynatrace%20SCIM&includeNonDeleted=true: no answer within 12000 ms (timeout) — ');
    expect(code).toBe(2);
    expect(ms).toBeGreaterThanOrEqual(11_900);
    expect(ms).toBeLessThan(14_000);
  }, 20_000);

  it('a short timeout ends the connect phase just as promptly, and leaves no socket connecting', async () => {
    const stdout = new Capture();
    const { result: code, ms } = await timed(() => runVerify({ tenantsFile, json: false, timeoutMs: 300, oktaBaseUrl: hole.url, scimBaseUrl: `${hole.url}/scim/v2`, env, stdout, stderr: new Capture() }));
    expect(stdout.text).toContain('GET /api/v1/apps?q=Dynatrace%20SCIM&includeNonDeleted=true: no answer within 300 ms (timeout)');
    expect(stdout.text).toContain('GET /Users?count=1: no answer within 300 ms (timeout)');
    expect(code).toBe(2);
    expect(ms).toBeLessThan(2_000);
    expect(await connectingAfterSettling()).toBe(0);
  });

  it('httpGet without a pool of the caller\'s closes its own connections too', async () => {
    await expect(httpGet(`${hole.url}/x`, {}, { ...DEFAULT_POLICY, timeoutMs: 300 }, 'GET /x')).rejects.toEqual(new HttpError('network', 'GET /x: no answer within 300 ms (timeout)'));
    expect(await connectingAfterSettling()).toBe(0);
    await expect(withConnectionPool({ ...DEFAULT_POLICY, timeoutMs: 300 }, (policy) => httpGet(`${hole.url}/y`, {}, policy, 'GET /y'))).rejects.toThrow('GET /y: no answer within 300 ms (timeout)');
    expect(await connectingAfterSettling()).toBe(0);
  });
});

describe('the process running verify exits right after the report', () => {
  it('no socket left connecting or kept alive holds it open (child process, exit code as the bin sets it)', async () => {
    const script = `require('tsx/cjs');
      require('./cli/commands/verify.ts')
        .runVerify({ tenantsFile: ${JSON.stringify(tenantsFile)}, json: false, timeoutMs: 1000, oktaBaseUrl: ${JSON.stringify(hole.url)}, scimBaseUrl: ${JSON.stringify(scim.baseUrl)} })
        .then((code) => { process.exitCode = code; });`;
    const child = spawn(process.execPath, ['-e', script], { cwd: join(__dirname, '..'), env: { ...process.env, ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let printedAt = 0;
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += String(chunk);
      if (!printedAt && /^verify: .*\(exit 2\)$/m.test(stdout)) printedAt = performance.now();
    });
    child.stderr!.on('data', (chunk: Buffer) => void (stderr += String(chunk)));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const lingered = performance.now() - printedAt;
    expect(stderr).toBe('');
    expect(stdout).toContain('no answer within 1000 ms (timeout)');
    expect(code).toBe(2);
    expect(printedAt).toBeGreaterThan(0);
    // Before the pool was closed, sockets still connecting kept the process alive ~9 s after the report.
    expect(lingered).toBeLessThan(1_500);
  }, 20_000);
});
