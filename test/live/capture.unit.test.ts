// The pure parts of the live edge: records from the binding's packet header, link type names,
// and libpcap's error strings as sentences a person can act on. No binding, no root.
import { describe, expect, it } from 'vitest';
import { Exit } from '../../src/errors.js';
import { DEFAULT_FILTER, linkTypeNumber, liveOpenError, readPacketHeader, recordFromPacket } from '../../src/live/capture.js';

/** The 16 bytes node_pcap copies out of struct pcap_pkthdr, written independently (host order). */
function header(sec: number, usec: number, caplen: number, len: number, le = true): Buffer {
  const h = Buffer.alloc(16);
  const w = (v: number, o: number): number => (le ? h.writeUInt32LE(v, o) : h.writeUInt32BE(v, o));
  w(sec, 0); w(usec, 4); w(caplen, 8); w(len, 12);
  return h;
}

describe('records from the binding', () => {
  it('reads sec, usec, caplen and len in host order (little endian here, as probed)', () => {
    expect(readPacketHeader(header(1_795_339_537, 214_623, 42, 60), true)).toEqual({ tsSec: 1_795_339_537, tsUsec: 214_623, caplen: 42, len: 60 });
    expect(readPacketHeader(header(1_795_339_537, 214_623, 42, 60, false), false)).toEqual({ tsSec: 1_795_339_537, tsUsec: 214_623, caplen: 42, len: 60 });
    // A header that sits inside a larger buffer (the binding's is its own, but a view must work).
    const big = Buffer.concat([Buffer.alloc(5), header(7, 8, 9, 10)]);
    expect(readPacketHeader(big.subarray(5), true)).toEqual({ tsSec: 7, tsUsec: 8, caplen: 9, len: 10 });
  });

  it('builds a CaptureRecord: microseconds to nanoseconds, caplen bytes of the reused buffer', () => {
    const buf = Buffer.alloc(8192, 0xee);
    buf.set([1, 2, 3, 4, 5], 0);
    const rec = recordFromPacket(header(1_795_339_537, 999_999, 5, 1514), buf, 3, 1, 'eth0');
    expect(rec).toEqual({
      frame: 3, tsSec: 1_795_339_537, tsNsec: 999_999_000, linkType: 1, interfaceId: 0, interfaceName: 'eth0',
      originalLength: 1514, data: new Uint8Array([1, 2, 3, 4, 5]),
    });
  });

  it('data is a view (valid during the callback) whose slice() copies, unlike a Buffer', () => {
    const buf = Buffer.alloc(64);
    const rec = recordFromPacket(header(1, 0, 4, 4), buf, 1, 1, 'eth0');
    const kept = rec.data.slice();
    buf[0] = 9;
    expect(rec.data[0]).toBe(9);
    expect(kept[0]).toBe(0);
    expect(Buffer.isBuffer(rec.data)).toBe(false);
  });

  it('never reads past the buffer when caplen claims more', () => {
    expect(recordFromPacket(header(1, 0, 70_000, 70_000), Buffer.alloc(100), 1, 1, 'eth0').data.length).toBe(100);
  });

  it('maps node_pcap link type names to LINKTYPE_ numbers', () => {
    expect(linkTypeNumber('LINKTYPE_ETHERNET')).toBe(1);
    expect(linkTypeNumber('LINKTYPE_LINUX_SLL')).toBe(113);
    expect(linkTypeNumber('LINKTYPE_RAW')).toBe(101);
    expect(linkTypeNumber('LINKTYPE_NULL')).toBe(0);
    expect(linkTypeNumber('Unknown linktype 276')).toBe(276);
    expect(linkTypeNumber('something else')).toBe(-1);
  });
});

describe("libpcap's open errors as sentences", () => {
  const PERMISSION = 'live capture on eth0 needs root or CAP_NET_RAW: run as root or `setcap cap_net_raw,cap_net_admin+eip $(readlink -f $(which node))`';

  it.each([
    // Seen here (libpcap 1.10.3): as user nobody, and variants other versions print.
    ['socket: Operation not permitted', PERMISSION],
    ["eth0: You don't have permission to capture on that device (socket: Operation not permitted)", PERMISSION],
    ['eth0: Permission denied', PERMISSION],
    ['No such device exists', 'no interface named eth0: `vrrpwatch interfaces` lists them'],
    ["eth0: No such device exists (SIOCGIFHWADDR: No such device)", 'no interface named eth0: `vrrpwatch interfaces` lists them'],
    ['That device is not up', 'interface eth0 is down: `ip link set eth0 up`, then try again'],
  ])('%s', (message, sentence) => {
    const e = liveOpenError('eth0', DEFAULT_FILTER, message);
    expect(e.message).toBe(sentence);
    expect(e.exitCode).toBe(Exit.UNAVAILABLE);
  });

  it('a filter libpcap cannot compile: names the filter, usage exit', () => {
    const e = liveOpenError('eth0', 'ip proto 112 and and', "can't parse filter expression: syntax error");
    expect(e.message).toBe("bad capture filter 'ip proto 112 and and': can't parse filter expression: syntax error (see man pcap-filter)");
    expect(e.exitCode).toBe(Exit.USAGE);
    expect(liveOpenError('eth0', 'vrrp and host nosuchhost', "unknown host 'nosuchhost'").message).toBe(
      "bad capture filter 'vrrp and host nosuchhost': unknown host 'nosuchhost' (see man pcap-filter)",
    );
  });

  it('the default filter on a device without Ethernet headers: says which filter to give', () => {
    expect(liveOpenError('tun0', DEFAULT_FILTER, 'no VLAN support for data link type 12').message).toBe(
      "interface tun0 has no Ethernet header, so the default filter cannot look for VLAN tags: give -f 'ip proto 112 or ip6 proto 112 or arp or (icmp6 and ip6[40] == 136)'",
    );
  });

  it('other device errors are not blamed on the filter', () => {
    const e = liveOpenError('eth0', 'vrrp', "can't mmap rx ring: Cannot allocate memory");
    expect(e.message).toBe("live capture on eth0 failed: can't mmap rx ring: Cannot allocate memory");
    expect(e.exitCode).toBe(Exit.UNAVAILABLE);
    expect(liveOpenError('eth0', 'vrrp', 'eth0: SIOCETHTOOL(ETHTOOL_GET_TS_INFO) ioctl failed: Invalid argument').message).toMatch(/^live capture on eth0 failed: /);
    expect(liveOpenError('eth0', '', 'error setting buffer size').message).toBe('live capture on eth0 failed: error setting buffer size');
  });
});
