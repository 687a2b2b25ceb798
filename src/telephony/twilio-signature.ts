import twilio from 'twilio';

/**
 * Twilio's request signature (`X-Twilio-Signature`): HMAC-SHA1 with the Auth Token over the URL
 * Twilio requested plus the sorted POST parameters. The URL is rebuilt from `PUBLIC_BASE_URL`,
 * never from the request's Host header, which a proxy changes and an attacker controls.
 */
export function twilioRequestIsValid(input: {
  authToken: string;
  publicBaseUrl: string;
  /** Path and query exactly as received (`request.url`). */
  pathAndQuery: string;
  signature: string | undefined;
  params: Record<string, string>;
}): boolean {
  if (!input.signature) return false;
  const url = new URL(input.pathAndQuery, input.publicBaseUrl).toString();
  return twilio.validateRequest(input.authToken, input.signature, url, input.params);
}

/**
 * The signature on a WebSocket upgrade (Media Streams, ConversationRelay): over the `wss://` URL
 * with no parameters; validating against `https://` fails (integrations.md §6.2).
 */
export function twilioUpgradeIsValid(input: {
  authToken: string;
  publicBaseUrl: string;
  pathAndQuery: string;
  signature: string | undefined;
}): boolean {
  if (!input.signature) return false;
  const url = new URL(input.pathAndQuery, input.publicBaseUrl);
  url.protocol = url.protocol === 'http:' ? 'ws:' : 'wss:';
  return twilio.validateRequest(input.authToken, input.signature, url.toString(), {});
}

/** The `wss://` (or `ws://`) URL of a socket path under `PUBLIC_BASE_URL`, as TwiML gives it to Twilio. */
export function socketUrl(publicBaseUrl: string, path: string): string {
  const url = new URL(path, publicBaseUrl);
  url.protocol = url.protocol === 'http:' ? 'ws:' : 'wss:';
  return url.toString();
}
