/**
 * The Graph Send API and Zalo OA doubles in their own process for `bench -- channels`, so the
 * replies the server sends do not compete with the load generator for its event loop (that made
 * the measured acknowledgements slower than the server's). Prints the base URLs as one JSON line;
 * on SIGTERM prints how many sends each received, then exits.
 */
import { startFakeGraphApi } from '../test/support/fake-graph-api.js';
import { startFakeZaloApi } from '../test/support/fake-zalo-api.js';

const [pageToken, zaloAppId, zaloAppSecret, zaloAccess, zaloRefresh] = process.argv.slice(2) as [string, string, string, string, string];
const graph = await startFakeGraphApi({ pageToken });
const zalo = await startFakeZaloApi({ appId: zaloAppId, appSecretKey: zaloAppSecret, accessTokens: [zaloAccess], refreshTokens: [zaloRefresh] });
process.stdout.write(`${JSON.stringify({ graph: graph.baseUrl, zalo: zalo.baseUrl })}\n`);
process.once('SIGTERM', () => {
  process.stdout.write(`${JSON.stringify({ messenger: graph.requests.length, zalo: zalo.sends.length })}\n`);
  void Promise.all([graph.close(), zalo.close()]).finally(() => process.exit(0));
});
