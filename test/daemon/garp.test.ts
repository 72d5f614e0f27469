// The gratuitous ARP and unsolicited NA frames of a send-garp effect, against keepalived's own
// frames in the recorded captures (golden bytes from a real peer, not from our encoders).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readCaptureFile } from '../../src/capture/file.js';
import { decodeFrame } from '../../src/decode/frame.js';
import { LinkType } from '../../src/decode/types.js';
import { garpFrame } from '../../src/daemon/garp.js';
import { PROJECT_CAPTURES } from '../support/captures.js';
import { inetChecksum, ip6 } from '../support/vrrp-frames.js';

const KA_MAC = '02:76:77:74:00:12';

async function frameOf(file: string, n: number): Promise<Buffer> {
  let out: Buffer | null = null;
  await readCaptureFile(join(PROJECT_CAPTURES, file), (r) => {
    if (r.frame === n) out = Buffer.from(r.data);
  });
  if (out === null) throw new Error(`${file} has no frame ${n}`);
  return out;
}

describe('gratuitous ARP / unsolicited NA frames', () => {
  it('IPv4: byte for byte keepalived 2.2.7\'s gratuitous ARP (captures/master-crash.pcap frame 7)', async () => {
    const keepalived = await frameOf('master-crash.pcap', 7);
    expect(Buffer.from(garpFrame(4, '192.0.2.100', KA_MAC)).toString('hex')).toBe(keepalived.toString('hex'));
  });

  it('IPv6: keepalived\'s unsolicited NA (captures/v3-ipv6.pcap frame 8) with the Router flag RFC 5798 6.4.2 asks for', async () => {
    const expected = await frameOf('v3-ipv6.pcap', 8);
    // keepalived leaves R clear when the host does not forward; set it and redo the checksum independently.
    const icmp = 14 + 40;
    expected[icmp + 4] = (expected[icmp + 4] as number) | 0x80;
    expected.writeUInt16BE(0, icmp + 2);
    const pseudo = Buffer.alloc(40);
    ip6('2001:db8::100').copy(pseudo, 0);
    ip6('ff02::1').copy(pseudo, 16);
    pseudo.writeUInt32BE(32, 32);
    pseudo[39] = 58;
    expected.writeUInt16BE(inetChecksum(Buffer.concat([pseudo, expected.subarray(icmp)])), icmp + 2);
    expect(Buffer.from(garpFrame(6, '2001:db8::100', KA_MAC)).toString('hex')).toBe(expected.toString('hex'));
  });

  it('decode as what they claim: the address, from the MAC given (the virtual MAC with --vmac)', () => {
    const arp = decodeFrame(LinkType.ETHERNET, garpFrame(4, '198.51.100.7', '00:00:5e:00:01:33'));
    expect(arp.kind === 'arp' && arp.arp).toMatchObject({ operation: 1, senderMac: '00:00:5e:00:01:33', senderIp: '198.51.100.7', gratuitous: true });
    const na = decodeFrame(LinkType.ETHERNET, garpFrame(6, 'fe80::100', '00:00:5e:00:02:33'));
    expect(na.kind === 'neighbor-advert' && na.na).toEqual({ target: 'fe80::100', targetMac: '00:00:5e:00:02:33', router: true, solicited: false, override: true });
    expect(na.kind === 'neighbor-advert' && na.link.srcMac).toBe('00:00:5e:00:02:33');
  });
});
