// IP addresses as text, one home for every face: parsing any spelling, the one canonical spelling
// (glibc's inet_ntop, as tcpdump and tshark print it: bytes.ts ipv4At/ipv6At), and the order people
// expect (numeric; IPv4 before IPv6). Pure.
import { hexByte, hexWord, ipv4At, ipv6At, u32, writeIpv4, writeIpv6 } from './bytes.js';

export type AddressFamily = 'ipv4' | 'ipv6';

export interface ParsedAddress {
  family: AddressFamily;
  /** 4 or 16 bytes. */
  bytes: Uint8Array;
}

/** Any spelling of an IPv4 or IPv6 address ("192.0.2.1", "2001:DB8::1", "::ffff:192.0.2.1"), or null. */
export function parseAddress(text: string): ParsedAddress | null {
  const b = new Uint8Array(16);
  if (writeIpv4(text, b, 0)) return { family: 'ipv4', bytes: b.subarray(0, 4) };
  if (text.includes(':') && writeIpv6(text, b, 0)) return { family: 'ipv6', bytes: b };
  return null;
}

/** The decoder's spelling of an address typed by a person, so it compares as a string; or null. */
export function canonicalAddress(text: string): { family: AddressFamily; address: string } | null {
  const p = parseAddress(text);
  if (p === null) return null;
  return { family: p.family, address: p.family === 'ipv4' ? ipv4At(p.bytes, 0) : ipv6At(p.bytes, 0) };
}

/**
 * A key whose string order is the addresses' numeric order, IPv4 (as ::a.b.c.d would sort, first)
 * before IPv6; text that is no address sorts after every address, as text.
 */
export function addressRank(address: string): string {
  // parseAddress's reading, into one scratch buffer: the analyzer ranks every router it compares.
  const b = rankBytes;
  if (writeIpv4(address, b, 0)) return `4${hexWord(u32(b, 0))}`;
  if (!address.includes(':') || !writeIpv6(address, b, 0)) return `~${address}`;
  let s = '6';
  for (const x of b) s += hexByte(x);
  return s;
}

const rankBytes = new Uint8Array(16);

/**
 * A dotted quad as the 32-bit unsigned integer it spells (what bytes.ts u32 reads from a frame),
 * or -1 for anything else: how a router's IPv4 address compares without its text.
 */
export function ipv4Word(text: string): number {
  return writeIpv4(text, rankBytes, 0) ? u32(rankBytes, 0) : -1;
}

/** For sort(): numeric address order (see addressRank). */
export function compareAddresses(a: string, b: string): number {
  const x = addressRank(a);
  const y = addressRank(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
