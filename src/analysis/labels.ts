// Names of segments and virtual routers, one home for every face: "VRID 51",
// "VRID 61 (IPv6) on eth0 VLAN 10". Pure.
import { escapeControl } from '../format/escape.js';
import type { Family, SegmentId } from './types.js';

/** "eth0 VLAN 10", "" when the capture names neither. `withInterface` false leaves the interface out. */
export function segmentText(s: SegmentId, withInterface = true): string {
  const parts: string[] = [];
  // A pcapng interface name comes from the file: printed escaped.
  if (withInterface && s.interface !== null) parts.push(escapeControl(s.interface));
  if (s.vlans.length > 0) parts.push(`VLAN ${s.vlans.join('.')}`);
  return parts.join(' ');
}

/** "VRID 51", "VRID 61 (IPv6) on eth0 VLAN 10"; "VRRP" when the VRID is unknown. */
export function vridText(seg: SegmentId, family: Family | null, vrid: number | null, withInterface = true): string {
  const where = segmentText(seg, withInterface);
  const what = vrid === null ? 'VRRP' : `VRID ${vrid}`;
  return `${what}${family === 'ipv6' ? ' (IPv6)' : ''}${where === '' ? '' : ` on ${where}`}`;
}

/** One virtual router's key: VRIDs are unique per segment and family. */
export function vridKey(segment: Pick<SegmentId, 'interface' | 'vlans'>, family: Family | null, vrid: number | null): string {
  return `${segment.interface ?? ''}|${segment.vlans.join('.')}|${family ?? ''}|${vrid ?? ''}`;
}
