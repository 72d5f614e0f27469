// The events `--config` adds (issue 12): what the nodes' keepalived.conf files say against what
// the wire shows. The names and fields are contracts other tools read. Pure data.

/** A tracked script or interface whose weight is part of an explanation, with its line. */
export interface TrackingEntry {
  script: string;
  kind: 'script' | 'interface';
  weight: number;
  file: string;
  line: number;
}

export const MISMATCH_FIELDS = ['priority', 'advertInterval', 'authType', 'authData', 'vips', 'version'] as const;
export type MismatchField = (typeof MISMATCH_FIELDS)[number];

/** How a router was tied to a node's config. */
export type MappedBy = 'address' | 'unicast_src_ip' | 'vrid-priority-interval' | 'same-address' | 'elimination';

export type IntentFields =
  | { type: 'router-mapped'; router: string; node: string; by: MappedBy; instance: string; file: string; line: number }
  | { type: 'router-unmapped'; router: string; reason: 'ambiguous' | 'conflict'; candidates: string[] }
  | {
      type: 'config-mismatch';
      router: string;
      node: string;
      field: MismatchField;
      wire: number | string | string[] | null;
      config: number | string | string[] | null;
      file: string;
      line: number;
    }
  | { type: 'unexpected-router'; router: string; reason: 'no-config' | 'not-mapped' }
  | { type: 'configured-not-seen'; node: string; instance: string; file: string; line: number }
  | { type: 'unexpected-master'; router: string; node: string | null; expected: string; expectedNode: string; reason: string | null; file: string | null; line: number | null };

export type IntentType = IntentFields['type'];
