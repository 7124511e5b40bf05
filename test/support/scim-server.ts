/**
 * A small SCIM 2.0 server on 127.0.0.1 that authenticates like Dynatrace: only `Authorization: Bearer <token>`,
 * compared exactly. `GET <basePath>/Users` answers an RFC 7644 ListResponse; anything else with the wrong
 * header is a 401 SCIM Error. The 401 detail deliberately quotes the header it received, so a test can prove
 * verify never echoes a response body (a real server might).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScimServer {
  /** The SCIM base URL, e.g. `http://127.0.0.1:1234/idm/public/scim/<account>/v2`. */
  readonly baseUrl: string;
  /** The token it accepts (as `Bearer <token>`); tests may rotate it. */
  token: string;
  /** What each request presented, as a verdict only. */
  readonly requests: { path: string; accepted: boolean; authorizationStartsWithBearer: boolean }[];
  close(): Promise<void>;
}

export async function startScimServer(token: string, account = '6f0c2a1e-3b7d-4c1e-9a55-2d8e4b7f9c10'): Promise<ScimServer> {
  const basePath = `/idm/public/scim/${account}/v2`;
  const scim: ScimServer = { baseUrl: '', token, requests: [], close: async () => undefined };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const authorization = req.headers.authorization ?? '';
    const accepted = authorization === `Bearer ${scim.token}`;
    scim.requests.push({ path: `${url.pathname}${url.search}`, accepted, authorizationStartsWithBearer: authorization.startsWith('Bearer ') });
    const send = (status: number, body: unknown): void => {
      res.statusCode = status;
      res.setHeader('Content-Type', 'application/scim+json');
      res.end(JSON.stringify(body));
    };
    if (!accepted) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="scim"');
      send(401, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401', detail: `Unauthorized: ${authorization}` });
      return;
    }
    if (req.method === 'GET' && url.pathname === `${basePath}/Users`) {
      const count = Number(url.searchParams.get('count') ?? 100);
      const users = [
        { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], id: 'u-1', userName: 'ada@example.com', name: { givenName: 'Ada', familyName: 'Lovelace' }, active: true },
        { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], id: 'u-2', userName: 'alan@example.com', name: { givenName: 'Alan', familyName: 'Turing' }, active: true },
      ].slice(0, Math.max(0, count));
      send(200, { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 2, startIndex: 1, itemsPerPage: users.length, Resources: users });
      return;
    }
    send(404, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404', detail: 'Resource not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  (scim as { baseUrl: string }).baseUrl = `http://127.0.0.1:${port}${basePath}`;
  scim.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return scim;
}
