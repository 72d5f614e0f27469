// Which instances of different nodes are one virtual router on the wire. The files do not say
// which interfaces share a segment, so: interfaces of the same name are one segment, and so are
// interfaces whose instances share a virtual address or a virtual address's subnet (its prefix
// length, when shorter than a host route). A virtual router is (segment, family, VRID); virtual
// routers sharing an address form a cluster (two VRIDs there is `vrid-mismatch`).
import type { InstanceConfig, NodeConfig, VirtualAddress } from './model.js';
import { addressBytes } from './numbers.js';

export interface Member {
  node: NodeConfig;
  instance: InstanceConfig;
}

export interface VirtualRouter {
  /** A name for people: the instance name when the members agree, else "VRID n". */
  name: string;
  vrid: number;
  family: 4 | 6;
  segment: string;
  /** At most one instance per node (a node's second one there is `vrid-reused`). */
  members: Member[];
}

export interface Clusters {
  routers: VirtualRouter[];
  /** Virtual routers that share a virtual address, with more than one VRID among them. */
  sharedAddress: { address: string; routers: VirtualRouter[] }[];
}

class UnionFind {
  readonly #parent = new Map<string, string>();
  find(x: string): string {
    let p = this.#parent.get(x) ?? x;
    if (p !== x) {
      p = this.find(p);
      this.#parent.set(x, p);
    }
    return p;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.#parent.set(ra, rb);
  }
}

export function groupRouters(nodes: readonly NodeConfig[]): Clusters {
  const uf = new UnionFind();
  const ifKey = (n: number, i: InstanceConfig): string => `${n}\u0000${i.interface?.value ?? ''}`;
  const byIfName = new Map<string, string>();
  const byVip = new Map<string, string>();
  nodes.forEach((node, n) => {
    for (const i of node.instances) {
      const k = ifKey(n, i);
      const name = `if\u0000${i.interface?.value ?? ''}`;
      const prev = byIfName.get(name);
      if (prev === undefined) byIfName.set(name, k);
      else uf.union(prev, k);
      for (const v of i.vips) {
        for (const key of [v.address, subnetOf(v)]) {
          if (key === null) continue;
          const p = byVip.get(key);
          if (p === undefined) byVip.set(key, k);
          else uf.union(p, k);
        }
      }
    }
  });
  const routers = new Map<string, VirtualRouter>();
  nodes.forEach((node, n) => {
    for (const instance of node.instances) {
      if (instance.vrid === null) continue;
      const segment = uf.find(ifKey(n, instance));
      const key = `${segment}\u0000${instance.family}\u0000${instance.vrid.value}`;
      let r = routers.get(key);
      if (r === undefined) {
        r = { name: instance.name, vrid: instance.vrid.value, family: instance.family, segment, members: [] };
        routers.set(key, r);
      }
      if (r.members.some((m) => m.node === node)) continue;
      if (r.members.length > 0 && r.name !== instance.name) r.name = `VRID ${r.vrid}`;
      r.members.push({ node, instance });
    }
  });
  const list = [...routers.values()];
  const sharedAddress: Clusters['sharedAddress'] = [];
  const holders = new Map<string, VirtualRouter[]>();
  for (const r of list) {
    for (const m of r.members) {
      for (const v of m.instance.vips) {
        const h = holders.get(v.address) ?? [];
        if (!h.includes(r)) h.push(r);
        holders.set(v.address, h);
      }
    }
  }
  for (const [address, rs] of holders) if (new Set(rs.map((r) => r.vrid)).size > 1) sharedAddress.push({ address, routers: rs });
  return { routers: list, sharedAddress };
}

/** "net/len" of a virtual address's subnet, or null for a host route (/32, /128). */
function subnetOf(v: VirtualAddress): string | null {
  const bits = v.family === 4 ? 32 : 128;
  if (v.prefixLength >= bits) return null;
  const bytes = addressBytes(v.address, v.family);
  if (bytes === null) return null;
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, v.prefixLength - i * 8));
    bytes[i] = (bytes[i] as number) & ((0xff << (8 - keep)) & 0xff);
  }
  return `net:${v.family}:${bytes.join('.')}/${v.prefixLength}`;
}
