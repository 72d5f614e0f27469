// The sentences of the --config events: the VRID, the router, the node, the file:line and what
// to change. Pure: strings out; text from the wire or a file goes through escapeControl.
import { escapeControl } from '../format/escape.js';
import { list } from '../analysis/messages.js';
import type { InstanceConfig, NodeConfig } from '../keepalived/model.js';
import type { Origin } from '../keepalived/source.js';
import type { MappedBy, TrackingEntry } from './events.js';
import type { FieldMismatch } from './compare.js';

const esc = escapeControl;
export const where = (at: Origin): string => `${esc(at.file)}:${at.line}`;

function show(v: FieldMismatch['wire']): string {
  if (v === null) return 'none';
  if (Array.isArray(v)) return v.length === 0 ? 'no VIP' : esc(v.join(', '));
  return typeof v === 'string' ? esc(v) : String(v);
}

const FIX = 'the running keepalived is not reading this file: reload it (systemctl reload keepalived), or correct the file';

/** "VRID 51: 192.0.2.11 advertises priority 150 but lb-a.conf:10 says 200 (node lb-a)". */
export function mismatchText(v: string, router: string, node: string, m: FieldMismatch): string {
  const at = m.byDefault ? `${where(m.at)} (keepalived's default, nothing set)` : where(m.at);
  const who = `${esc(router)} (node ${esc(node)})`;
  switch (m.field) {
    case 'priority':
      return `${v}: ${who} advertises priority ${show(m.wire)} but ${at} says ${show(m.config)}, and no combination of its tracked weights explains it: ${FIX}.`;
    case 'advertInterval':
      return `${v}: ${who} advertises every ${show(m.wire)} s but ${at} says advert_int ${show(m.config)}: ${FIX}.`;
    case 'version':
      return `${v}: ${who} speaks VRRPv${show(m.wire)} but ${at} says version ${show(m.config)}: ${FIX}.`;
    case 'authType':
      return `${v}: ${who} sends auth type ${show(m.wire)} but ${at} says ${show(m.config)}: ${FIX}.`;
    case 'authData':
      return `${v}: ${who} sends password '${show(m.wire)}' but ${at} says '${show(m.config)}' (keepalived keeps 8 characters): its peers drop its adverts if theirs differ; ${FIX}.`;
    case 'vips': {
      const wire = new Set(m.wire as string[]);
      const conf = new Set(m.config as string[]);
      const extra = [...wire].filter((x) => !conf.has(x));
      const missing = [...conf].filter((x) => !wire.has(x));
      const parts = [extra.length > 0 ? `${esc(extra.join(', '))} not in the file` : '', missing.length > 0 ? `${esc(missing.join(', '))} not advertised` : ''].filter((x) => x !== '');
      return `${v}: ${who} advertises ${show(m.wire)} but ${at} says ${show(m.config)} (${parts.join('; ')}): ${FIX}.`;
    }
  }
}

const BY: Readonly<Record<MappedBy, string>> = {
  address: 'as --config ADDR= says',
  unicast_src_ip: 'its unicast_src_ip',
  'vrid-priority-interval': 'the only configured instance of the VRID whose priority and interval fit',
  'same-address': 'the node this address is in another VRID',
  elimination: 'the one configured instance left for the one router left',
};

export function mappedText(v: string, router: string, node: NodeConfig, inst: InstanceConfig, by: MappedBy): string {
  return `${v}: ${esc(router)} is node ${esc(node.name)} (vrrp_instance ${esc(inst.name)}, ${where(inst.at)}): ${BY[by]}.`;
}

export function unmappedText(v: string, router: string, reason: 'ambiguous' | 'conflict', candidates: readonly string[]): string {
  return reason === 'conflict'
    ? `${v}: ${esc(router)} is given to several nodes (${esc(list(candidates))}) by --config ADDR= or unicast_src_ip: give each address to one node.`
    : `${v}: ${esc(router)} could be node ${esc(candidates.join(' or '))}: not guessed; give --config ${esc(router)}=FILE to say which.`;
}

export function unexpectedText(v: string, router: string, reason: 'no-config' | 'not-mapped'): string {
  return reason === 'no-config'
    ? `${v}: ${esc(router)} advertises it and no given config has this VRID: a node whose config was not given (add --config), a stray router, or a VRID collision.`
    : `${v}: ${esc(router)} advertises it but every configured node of it is another router: a node whose config was not given (add --config), or a VRID collision.`;
}

export function notSeenText(v: string, node: NodeConfig, inst: InstanceConfig): string {
  return `${v}: configured on node ${esc(node.name)} (vrrp_instance ${esc(inst.name)}, ${where(inst.at)}) and nobody advertises it: is keepalived running there, the instance in FAULT, or are its adverts filtered?`;
}

/** "chk_app failing (weight -60, a.conf:4)". */
export function trackingText(es: readonly TrackingEntry[]): string {
  return es
    .map((e) => {
      const state = e.kind === 'interface' ? (e.weight < 0 ? 'down' : 'up') : e.weight < 0 ? 'failing' : 'succeeding';
      return `${e.kind === 'interface' ? 'interface ' : ''}${esc(e.script)} ${state} (weight ${e.weight > 0 ? '+' : ''}${e.weight}, ${esc(e.file)}:${e.line})`;
    })
    .join(' and ');
}

export function priorityExplained(base: string, node: string, tracking: readonly TrackingEntry[] | null, inst: InstanceConfig): string {
  const who = ` [node ${esc(node)}: `;
  if (tracking === null) return `${base}${who}no combination of its tracked weights explains it; ${where(inst.priority.at)} says ${inst.priority.value}]`;
  if (tracking.length === 0) return `${base}${who}its configured priority, ${where(inst.priority.at)}]`;
  return `${base}${who}${trackingText(tracking)}]`;
}

export function unexpectedMasterText(v: string, master: string, node: string | null, expected: string, expectedNode: string, reason: string | null): string {
  const m = `${esc(master)}${node === null ? '' : ` (node ${esc(node)})`}`;
  const e = `${esc(expected)} (node ${esc(expectedNode)})`;
  return reason === null
    ? `${v}: ${m} is master but ${e} advertises a higher priority and preempts by its config: unexplained; does ${esc(expected)} hear ${esc(master)}'s adverts?`
    : `${v}: ${m} is master rather than ${e}: ${reason}.`;
}
