import { describe, expect, it } from 'vitest';
import { canonicalRequest, sha256Hex, signRequest, verifySignature, type SignatureParts } from '../../../../src/channels/mini-app/miniapp-signature.js';

const SECRET = 'test-secret-0123456789';
const parts: SignatureParts = {
  method: 'post',
  path: '/api/v1/miniapp/chat',
  timestamp: '1700000000000',
  nonce: 'nonce-0123456789abcdef',
  body: '{"message":"xin chao"}',
};

describe('mini-app request signature', () => {
  it('builds the canonical string: METHOD, path with query, timestamp, nonce, sha256 of the body', () => {
    expect(canonicalRequest(parts)).toBe(
      'POST\n/api/v1/miniapp/chat\n1700000000000\nnonce-0123456789abcdef\nc5e732102a23aa63c7c85743a6655b335ba4ac6fb98ba9128d37ea0b52b857bb',
    );
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('matches a vector computed independently (openssl dgst -sha256 -hmac)', () => {
    expect(signRequest(SECRET, parts)).toBe('ffa227a42748b21b59947798f23092a2fd6fedba5b4a34610c85564ed7a61271');
  });

  it('signs the raw bytes: a Buffer and the same string agree', () => {
    expect(signRequest(SECRET, { ...parts, body: Buffer.from(parts.body as string) })).toBe(signRequest(SECRET, parts));
  });

  it('verifies a good signature, in either hex case', () => {
    const sig = signRequest(SECRET, parts);
    expect(verifySignature(SECRET, parts, sig)).toBe(true);
    expect(verifySignature(SECRET, parts, sig.toUpperCase())).toBe(true);
  });

  it.each([
    ['a tampered body', { body: '{"message":"xin chao!"}' }],
    ['another path', { path: '/api/v1/miniapp/rating' }],
    ['a changed query', { path: '/api/v1/miniapp/chat?x=1' }],
    ['another method', { method: 'GET' }],
    ['another timestamp', { timestamp: '1700000000001' }],
    ['another nonce', { nonce: 'nonce-0123456789abcdeF' }],
  ])('rejects %s', (_what, change) => {
    const sig = signRequest(SECRET, parts);
    expect(verifySignature(SECRET, { ...parts, ...change }, sig)).toBe(false);
  });

  it('rejects a wrong key, a truncated or non-hex signature without throwing', () => {
    const sig = signRequest(SECRET, parts);
    expect(verifySignature('another-secret-0123456', parts, sig)).toBe(false);
    expect(verifySignature(SECRET, parts, sig.slice(0, 62))).toBe(false);
    expect(verifySignature(SECRET, parts, `${sig}00`)).toBe(false);
    expect(verifySignature(SECRET, parts, 'z'.repeat(64))).toBe(false);
    expect(verifySignature(SECRET, parts, '')).toBe(false);
  });
});
