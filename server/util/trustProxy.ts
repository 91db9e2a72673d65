import { isIP } from 'node:net';

/** Names express (proxy-addr) knows for whole address ranges. */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** TRUST_PROXY names something other than proxy addresses: the server does not start. */
export class TrustProxyError extends Error {}

/**
 * Reads TRUST_PROXY into express's 'trust proxy' setting, or undefined when unset.
 *
 * Only proxy addresses are accepted ("loopback", "10.0.0.5", "10.0.0.0/8", comma-separated), so
 * X-Forwarded-For is read only from a connection that comes from one of them. A hop count ("1")
 * or "true" would trust the header whatever sent it: a client connecting directly could then
 * pick its own address with every request and never reach the sign-in address limit.
 */
export function trustProxySetting(raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const entry of entries) {
    if (/^\d+$/.test(entry) || entry === 'true') {
      throw new TrustProxyError(
        `TRUST_PROXY="${raw}" would trust X-Forwarded-For from any client; name the proxy's address instead (e.g. TRUST_PROXY=loopback or TRUST_PROXY=10.0.0.5)`,
      );
    }
    if (!RANGE_NAMES.has(entry) && !isAddressOrSubnet(entry)) {
      throw new TrustProxyError(
        `TRUST_PROXY: "${entry}" is neither an IP address, a subnet (10.0.0.0/8) nor one of loopback, linklocal, uniquelocal`,
      );
    }
  }
  return entries;
}

function isAddressOrSubnet(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}
