// One virtual router's identity as a string: VRIDs are unique only per segment and family.
// (check/verdict.ts and tui/view/packets.ts each still have their own copy on main; the rule-book
// branch moves one into analysis/labels.ts: then this file goes, and its users import that.)
import type { Family, SegmentId } from './types.js';

export function vridKey(segment: Pick<SegmentId, 'interface' | 'vlans'>, family: Family | null, vrid: number | null): string {
  return `${segment.interface ?? ''}|${segment.vlans.join('.')}|${family ?? ''}|${vrid ?? ''}`;
}
