import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { secretsEqual, signMessengerBody, verifyMessengerSignature } from '../../../../src/channels/messenger/messenger-signature.js';

const SECRET = 'app-secret-123';
// As Meta sends it: non-ASCII escaped, so the signed bytes are not JSON.stringify of the parsed body.
const RAW = Buffer.from('{"object":"page","entry":[{"messaging":[{"message":{"text":"\\u0111\\u0103ng k\\u00fd khai sinh"}}]}]}');

describe('verifyMessengerSignature', () => {
  it('accepts the HMAC-SHA256 of the raw bytes with the app secret', () => {
    const header = `sha256=${createHmac('sha256', SECRET).update(RAW).digest('hex')}`;
    expect(signMessengerBody(RAW, SECRET)).toBe(header);
    expect(verifyMessengerSignature(RAW, header, SECRET)).toBe(true);
    expect(verifyMessengerSignature(RAW, header.toUpperCase().replace('SHA256=', 'sha256='), SECRET)).toBe(true);
  });

  it('rejects the signature of the re-serialised body (Vietnamese unescaped)', () => {
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(RAW.toString())));
    expect(reserialised.equals(RAW)).toBe(false);
    expect(verifyMessengerSignature(RAW, signMessengerBody(reserialised, SECRET), SECRET)).toBe(false);
  });

  it('rejects a tampered body', () => {
    const header = signMessengerBody(RAW, SECRET);
    const tampered = Buffer.from(RAW.toString().replace('khai sinh', 'khai tu'));
    expect(verifyMessengerSignature(tampered, header, SECRET)).toBe(false);
  });

  it('rejects a signature made with another secret', () => {
    expect(verifyMessengerSignature(RAW, signMessengerBody(RAW, 'another-secret'), SECRET)).toBe(false);
  });

  it('rejects a missing, malformed or SHA-1-only header', () => {
    expect(verifyMessengerSignature(RAW, undefined, SECRET)).toBe(false);
    expect(verifyMessengerSignature(RAW, '', SECRET)).toBe(false);
    expect(verifyMessengerSignature(RAW, ['a', 'b'], SECRET)).toBe(false);
    expect(verifyMessengerSignature(RAW, 'sha256=', SECRET)).toBe(false);
    expect(verifyMessengerSignature(RAW, 'sha256=zz', SECRET)).toBe(false);
    expect(verifyMessengerSignature(RAW, signMessengerBody(RAW, SECRET).slice(0, -2), SECRET)).toBe(false);
    expect(verifyMessengerSignature(RAW, signMessengerBody(RAW, SECRET).replace('sha256=', ''), SECRET)).toBe(false);
    const sha1 = `sha1=${createHmac('sha1', SECRET).update(RAW).digest('hex')}`;
    expect(verifyMessengerSignature(RAW, sha1, SECRET)).toBe(false);
  });

  it('never accepts anything when the secret is empty', () => {
    expect(verifyMessengerSignature(RAW, signMessengerBody(RAW, ''), '')).toBe(false);
  });
});

describe('secretsEqual', () => {
  it('compares tokens of any length', () => {
    expect(secretsEqual('verify-me', 'verify-me')).toBe(true);
    expect(secretsEqual('verify-m', 'verify-me')).toBe(false);
    expect(secretsEqual('verify-me-too', 'verify-me')).toBe(false);
    expect(secretsEqual('', '')).toBe(false);
  });
});
