/**
 * Okta API service app keys for the tests, made when a test file loads (no key material in the repository),
 * in every form verify accepts, and the checks that none of it reaches an output.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { OAuthClientRegistration } from './okta-oauth';

export interface ServiceAppKey {
  readonly publicKey: KeyObject;
  /** PKCS#8 PEM (`BEGIN PRIVATE KEY`). */
  readonly pkcs8: string;
  /** PKCS#1 (`BEGIN RSA PRIVATE KEY`) for RSA, SEC1 (`BEGIN EC PRIVATE KEY`) for EC. */
  readonly traditional: string;
  /** The private JWK, with a `kid`, as Okta shows a key it generated. */
  readonly jwk: string;
  /** Every line and member of the private key that must never be printed. */
  readonly secrets: readonly string[];
}

export function serviceAppKey(type: 'rsa' | 'ec', kid = `kid-${type}`, modulusLength = 2048): ServiceAppKey {
  const { privateKey, publicKey } = type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const traditional = privateKey.export({ type: type === 'rsa' ? 'pkcs1' : 'sec1', format: 'pem' }).toString();
  const jwkObject = { ...privateKey.export({ format: 'jwk' }), kid };
  const pemBodies = [pkcs8, traditional].flatMap((pem) => pem.split('\n').filter((line) => line.length > 0 && !line.startsWith('-----')));
  const members = ['d', 'p', 'q', 'dp', 'dq', 'qi'].map((m) => (jwkObject as Record<string, unknown>)[m]).filter((v): v is string => typeof v === 'string');
  return { publicKey, pkcs8, traditional, jwk: JSON.stringify(jwkObject), secrets: [...pemBodies, ...members] };
}

/** An API service app as Okta registers it: DPoP required (the default since February 2024), verify's read scopes granted. */
export function serviceApp(key: ServiceAppKey, overrides: Partial<OAuthClientRegistration> = {}): OAuthClientRegistration {
  return { publicKey: key.publicKey, dpop: true, scopes: ['okta.apps.read', 'okta.groups.read'], ...overrides };
}

/** A compact JWS (three base64url parts, the first a JSON header): what an assertion, a proof or an Okta token looks like. */
export const JWT_SHAPED = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/;
