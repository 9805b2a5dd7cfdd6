/**
 * Fetching one page of a feed: a time limit per request, a size limit, JSON only, and (unless the
 * caller allows it) no addresses on private, loopback or link-local networks, checked again at
 * every redirect, so that a registered feed cannot be used to reach the server's own neighbours.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** A feed request that failed, in words that finish "Page N …". */
export class FeedError extends Error {}

export interface FetchOptions {
  timeoutMs: number;
  allowPrivateAddresses: boolean;
  maxBytes?: number;
}

const MAX_REDIRECTS = 5;
const DEFAULT_MAX_BYTES = 200 * 1024 * 1024;

const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 3],
] as const) PRIVATE.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 127], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) PRIVATE.addSubnet(net, prefix, 'ipv6');

/** Whether an IP address is on a private, loopback, link-local or otherwise non-public network. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1]!, 'ipv4');
  return isIP(address) === 6 ? PRIVATE.check(address, 'ipv6') : PRIVATE.check(address, 'ipv4');
}

async function checkHost(url: URL): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    throw new FeedError(`${url.host} could not be found`);
  }
  if (addresses.some(isPrivateAddress)) throw new FeedError(`${url.host} is on a private or local network, which Linkwell does not fetch from`);
}

/** GETs a URL and parses its JSON body, following up to five redirects. */
export async function fetchJson(start: URL, options: FetchOptions): Promise<unknown> {
  let url = start;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FeedError('only http and https addresses can be fetched');
    if (!options.allowPrivateAddresses) await checkHost(url);
    let response: Response;
    try {
      response = await fetch(url, {
        redirect: 'manual',
        headers: { accept: 'application/json', 'user-agent': 'Linkwell directory import' },
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (err) {
      const e = err as Error & { cause?: Error & { code?: string; errors?: { code?: string }[] } };
      if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new FeedError(`did not answer within ${Math.round(options.timeoutMs / 100) / 10} seconds`);
      throw new FeedError(`could not be reached (${e.cause?.code ?? e.cause?.errors?.[0]?.code ?? e.cause?.message ?? e.message})`);
    }
    if (response.status >= 300 && response.status < 400 && response.headers.get('location')) {
      await response.body?.cancel();
      url = new URL(response.headers.get('location')!, url);
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new FeedError(`answered with HTTP status ${response.status}`);
    }
    const limit = options.maxBytes ?? DEFAULT_MAX_BYTES;
    if (Number(response.headers.get('content-length') ?? 0) > limit) {
      await response.body?.cancel();
      throw new FeedError(`is larger than ${Math.round(limit / 1024 / 1024)} MB`);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (err) {
      const e = err as Error;
      if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new FeedError(`did not finish within ${Math.round(options.timeoutMs / 100) / 10} seconds`);
      throw new FeedError(`broke off while sending (${e.message})`);
    }
    if (text.length > limit) throw new FeedError(`is larger than ${Math.round(limit / 1024 / 1024)} MB`);
    try {
      return JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch {
      throw new FeedError('did not send JSON');
    }
  }
  throw new FeedError(`redirected more than ${MAX_REDIRECTS} times`);
}
