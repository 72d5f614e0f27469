// Rules across the nodes of one virtual router: what each pair must agree on for the election
// to happen at all (VRID, authentication, interval, version, addresses), and priority ties.
import type { Clusters, Member, VirtualRouter } from './cluster.js';
import { finding, type FindingCode, type LintFinding } from './findings.js';
import type { Auth, Value } from './model.js';
import { ALL_OK, effectivePriority } from './priority.js';
import type { Origin } from './source.js';

const where = (at: Origin): string => `${at.file}:${at.line}`;

/** Where a value comes from, for a sentence: its line, or that nothing set it. */
function place(v: Value<unknown>): string {
  return v.from === 'default' ? `keepalived's default, nothing set in the block at ${where(v.at)}` : where(v.at);
}

function pairFinding(code: FindingCode, a: Member, at: Origin, b: Member, bAt: Origin, message: string): LintFinding {
  return finding(code, at, message, { node: a.node.name, instance: a.instance.name, related: [{ node: b.node.name, file: bAt.file, line: bAt.line }] });
}

function authText(a: Auth): string {
  return a.type === 'none' ? 'no authentication' : a.type === 'AH' ? 'auth_type AH' : `auth_type PASS '${a.password}'`;
}

function sameAuth(a: Auth, b: Auth): boolean {
  return a.type === b.type && (a.type !== 'PASS' || b.type !== 'PASS' || a.password === b.password);
}

export function mismatchRules(c: Clusters): LintFinding[] {
  const out: LintFinding[] = [];
  for (const r of c.routers) {
    const [first, ...rest] = r.members;
    if (first === undefined) continue;
    const vr = `VRID ${r.vrid} (${r.name})`;
    for (const b of rest) {
      const a = first;
      const ia = a.instance;
      const ib = b.instance;
      if (ia.version.value !== ib.version.value) {
        out.push(pairFinding('version-mismatch', b, ib.version.at, a, ia.version.at, `${vr}: ${b.node.name} speaks VRRPv${ib.version.value}, ${a.node.name} VRRPv${ia.version.value} (${place(ia.version)}): each drops the other's adverts ("wrong version"), so both become master. Set the same version (or vrrp_version) on every node`));
        continue;
      }
      if (!sameAuth(ia.auth.value, ib.auth.value)) {
        const aa = ia.auth.value;
        const ba = ib.auth.value;
        const note = aa.type === 'PASS' && ba.type === 'PASS' && (aa.written !== aa.password || ba.written !== ba.password) ? ' (after keepalived keeps 8 characters)' : '';
        out.push(pairFinding('auth-mismatch', b, ib.auth.at, a, ia.auth.at, `${vr}: ${b.node.name} uses ${authText(ba)}, ${a.node.name} ${authText(aa)}${note} (${place(ia.auth)}): each drops the other's adverts ("received an invalid passwd!"), so both become master. Use the same authentication on every node`));
      }
      if (ia.advertIntervalCs.value !== ib.advertIntervalCs.value) {
        const s = (cs: number): string => `${cs / 100} s`;
        const v2 = ia.version.value === 2;
        out.push(pairFinding('interval-mismatch', b, ib.advertIntervalCs.at, a, ia.advertIntervalCs.at, `${vr}: ${b.node.name} advertises every ${s(ib.advertIntervalCs.value)}, ${a.node.name} every ${s(ia.advertIntervalCs.value)} (${place(ia.advertIntervalCs)}): ${v2 ? 'VRRPv2 drops adverts with another interval ("advertisement interval mismatch"), so both become master' : 'a VRRPv3 backup follows the master\'s interval, so failover times depend on who is master'}. Use the same advert_int everywhere`));
      }
      const va = new Set(ia.vips.map((v) => v.address));
      const vb = new Set(ib.vips.map((v) => v.address));
      const onlyA = [...va].filter((x) => !vb.has(x));
      const onlyB = [...vb].filter((x) => !va.has(x));
      if (onlyA.length + onlyB.length > 0) {
        const bAt = ib.vips[0]?.at ?? ib.at;
        const aAt = ia.vips[0]?.at ?? ia.at;
        const parts = [onlyB.length > 0 ? `only ${b.node.name} has ${onlyB.join(', ')}` : '', onlyA.length > 0 ? `only ${a.node.name} has ${onlyA.join(', ')} (${where(aAt)})` : ''].filter((x) => x !== '');
        out.push(pairFinding('vip-mismatch', b, bAt, a, aAt, `${vr}: the nodes' virtual_ipaddress lists differ: ${parts.join('; ')}. keepalived 2.2.7 drops adverts whose address list differs from its own, so both become master; a failover would also move different addresses. Make the lists equal, or, if these are two clusters on one segment, give one of them another virtual_router_id`));
      }
    }
    out.push(...equalPriority(r));
  }
  for (const s of c.sharedAddress) {
    const [r0, ...others] = s.routers;
    const m0 = r0?.members[0];
    if (r0 === undefined || m0 === undefined) continue;
    for (const r of others) {
      const m = r.members[0];
      if (m === undefined) continue;
      const at = m.instance.vrid?.at ?? m.instance.at;
      const at0 = m0.instance.vrid?.at ?? m0.instance.at;
      out.push(pairFinding('vrid-mismatch', m, at, m0, at0, `${s.address} is served by VRID ${r.vrid} on ${r.members.map((x) => x.node.name).join(', ')} and by VRID ${r0.vrid} on ${r0.members.map((x) => x.node.name).join(', ')} (${where(at0)}): two virtual routers, each with its own master, both answer ARP for ${s.address}. Use one virtual_router_id for it on every node`));
    }
  }
  return out;
}

/** Two nodes with the same priority: keepalived breaks the tie by the higher primary address. */
function equalPriority(r: VirtualRouter): LintFinding[] {
  const out: LintFinding[] = [];
  const ms = r.members.map((m) => ({ m, p: effectivePriority(m.instance, ALL_OK).priority }));
  for (let i = 0; i < ms.length; i++) {
    for (let j = i + 1; j < ms.length; j++) {
      const a = ms[i] as (typeof ms)[number];
      const b = ms[j] as (typeof ms)[number];
      if (a.p !== b.p) continue;
      const sa = a.m.instance.unicastSrcIp?.value;
      const sb = b.m.instance.unicastSrcIp?.value;
      let winner = `the node with the higher address on the segment wins (set unicast_src_ip to see which)`;
      if (sa !== undefined && sb !== undefined) winner = `${compareAddresses(sa, sb) > 0 ? a.m.node.name : b.m.node.name} wins (${compareAddresses(sa, sb) > 0 ? sa : sb} is the higher address)`;
      out.push(pairFinding('equal-priority', b.m, b.m.instance.priority.at, a.m, a.m.instance.priority.at, `VRID ${r.vrid} (${r.name}): ${b.m.node.name} and ${a.m.node.name} both have priority ${a.p} (${place(a.m.instance.priority)}): ${winner}, and whoever became master first stays master. Give each node its own priority`));
    }
  }
  return out;
}

/** Unsigned comparison in network byte order (RFC 9568 6.4.3); both addresses canonical, one family. */
export function compareAddresses(a: string, b: string): number {
  const key = (x: string): string => (x.includes(':') ? expand6(x) : x.split('.').map((o) => o.padStart(3, '0')).join('.'));
  const ka = key(a);
  const kb = key(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function expand6(x: string): string {
  const [head = '', tail] = x.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? [] : Array(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => g.padStart(4, '0')).join(':');
}
