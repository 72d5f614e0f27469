// One virtual router's identity as a string: VRIDs are unique only per segment and family.
// Every face that groups by virtual router (check, the TUI, the report's timeline) uses this.
import type { Family, SegmentId } from './types.js';

export function vridKey(segment: Pick<SegmentId, 'interface' | 'vlans'>, family: Family | null, vrid: number | null): string {
  return `${segment.interface ?? ''}|${segment.vlans.join('.')}|${family ?? ''}|${vrid ?? ''}`;
}
