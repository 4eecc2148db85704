/**
 * Fetches an image URL for the `cards` function without becoming a proxy into
 * the server's own network: http/https only; every address a host resolves
 * to is checked at connect time (so DNS rebinding cannot slip past), and
 * loopback, private, link-local, metadata and other special ranges are refused
 * unless the host is on the allow-list. A 5 s deadline and the image size cap
 * apply while streaming; up to 3 redirects, each checked the same way.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { DomainError } from '../errors.js';
import { requestSignal } from '../request-signal.js';

/** IPv6's global unicast block: everything else (IPv4-compatible ::a.b.c.d, reserved, …) is not a public host. */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3') as [ipaddr.IPv6, number];

/**
 * Whether an IP address is one the server must not fetch from. The ranges are
 * ipaddr.js's (a maintained table of the special-purpose registries): only
 * plain unicast is allowed, so loopback, private, link-local, carrier NAT,
 * metadata, multicast, reserved, and the IPv6 forms that carry an IPv4
 * address (mapped, translated, 6to4, Teredo, NAT64) are all refused; an
 * IPv4-mapped address is judged as the IPv4 address it carries.
 */
export function isBlockedAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return true;
  const ip = ipaddr.process(address);
  if (ip.range() !== 'unicast') return true;
  return ip instanceof ipaddr.IPv6 && !ip.match(GLOBAL_UNICAST_V6);
}

export interface FetchLimits {
  maxBytes: number;
  timeoutMs: number;
  /** Host names (or IP literals) that may be fetched even if they resolve to blocked addresses. */
  allowHosts: readonly string[];
}

const MAX_REDIRECTS = 3;

export async function fetchImageUrl(raw: string, limits: FetchLimits): Promise<Buffer> {
  const deadline = Date.now() + limits.timeoutMs;
  let url = parseUrl(raw);
  for (let hop = 0; ; hop++) {
    const answer = await get(url, limits, deadline);
    if ('redirect' in answer) {
      if (hop >= MAX_REDIRECTS) throw new DomainError('invalid', 'url_fetch_failed', `too many redirects from ${shortUrl(raw)}`);
      url = parseUrl(new URL(answer.redirect, url).href);
      continue;
    }
    return answer.body;
  }
}

function parseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DomainError('invalid', 'invalid_url', `not a valid URL: ${raw.slice(0, 100)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DomainError('invalid', 'invalid_url', `only http and https URLs can be fetched, not ${url.protocol}`);
  }
  return url;
}

function get(url: URL, limits: FetchLimits, deadline: number): Promise<{ body: Buffer } | { redirect: string }> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const allowed = limits.allowHosts.includes(host.toLowerCase());
  const refuse = (address: string) =>
    new DomainError(
      'forbidden',
      'url_forbidden',
      `refusing to fetch ${shortUrl(url.host)}: it resolves to ${address}, a loopback, private or reserved address`,
    );

  // Checked at connect time, for every address the name resolves to.
  const lookup = (hostname: string, options: object, callback: (...args: unknown[]) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error);
      const bad = allowed ? undefined : addresses.find((a) => isBlockedAddress(a.address));
      if (bad) return callback(refuse(bad.address));
      const wantsAll = (options as { all?: boolean }).all;
      if (wantsAll) callback(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
  if (isIP(host) && !allowed && isBlockedAddress(host)) return Promise.reject(refuse(host));

  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    // The request's own signal too: a fetch for a client that has gone is cut off.
    const signal = requestSignal();
    const request = client.get(url, { lookup: lookup as never, timeout: Math.max(1, deadline - Date.now()), signal }, (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && response.headers.location) {
        response.resume();
        return resolve({ redirect: response.headers.location });
      }
      if (status !== 200) {
        response.resume();
        return reject(new DomainError('invalid', 'url_fetch_failed', `fetching ${shortUrl(url.href)} answered HTTP ${status}`));
      }
      const declared = Number(response.headers['content-length'] ?? 0);
      if (declared > limits.maxBytes) {
        request.destroy();
        return reject(tooLarge(limits.maxBytes));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limits.maxBytes) {
          request.destroy();
          reject(tooLarge(limits.maxBytes));
        } else chunks.push(chunk);
      });
      response.on('end', () => resolve({ body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    const timer = setTimeout(() => request.destroy(timeoutError(url)), Math.max(1, deadline - Date.now()));
    request.on('timeout', () => request.destroy(timeoutError(url)));
    request.on('close', () => clearTimeout(timer));
    request.on('error', (error) => {
      if (signal?.aborted) return reject(signal.reason);
      reject(
        error instanceof DomainError
          ? error
          : new DomainError('invalid', 'url_fetch_failed', `could not fetch ${shortUrl(url.href)}: ${error.message.slice(0, 100)}`),
      );
    });
  });
}

const tooLarge = (max: number) => new DomainError('too_large', 'image_too_large', `the image is over ${max / 1024 / 1024} MB`);
const timeoutError = (url: URL) => new DomainError('invalid', 'url_timeout', `fetching ${shortUrl(url.href)} took too long`);
/** A URL as quoted in a message: its start. */
const shortUrl = (href: string) => (href.length > 100 ? `${href.slice(0, 100)}…` : href);
