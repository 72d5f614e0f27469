// Where the sample captures are, and the project's own decoding of them, for oracle tests.
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readCaptureFile } from '../../src/capture/file.js';
import { decodeFrame } from '../../src/decode/frame.js';
import { validateVrrp } from '../../src/decode/validate.js';
import { PacketFormatter, tcpdumpVrrpText, type VrrpPacketJson } from '../../src/format/packet.js';
import { isCutVrrp, type DecodedFrame } from '../../src/decode/types.js';

export const PROJECT_CAPTURES = join(import.meta.dirname, '../../captures');
export const PUBLIC_CAPTURES = join(import.meta.dirname, '../../../shared/captures/public');
export const HAVE_PUBLIC = existsSync(PUBLIC_CAPTURES);

export function captureFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...captureFiles(p));
    else if (/\.(pcap|pcapng)$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

export function allCaptures(): { name: string; path: string }[] {
  return [
    ...captureFiles(PROJECT_CAPTURES).map((p) => ({ name: `captures/${relative(PROJECT_CAPTURES, p)}`, path: p })),
    ...captureFiles(PUBLIC_CAPTURES).map((p) => ({ name: `public/${relative(PUBLIC_CAPTURES, p)}`, path: p })),
  ];
}

export { hasTool } from './tools.js';

export interface OurFrame {
  frame: number;
  decoded: DecodedFrame;
  json: VrrpPacketJson | null;
  text: string | null;
}

/** Our decoding of every frame of a capture (frames after damage are simply absent). */
export async function decodeCapture(path: string): Promise<Map<number, OurFrame>> {
  const fmt = new PacketFormatter();
  const out = new Map<number, OurFrame>();
  await readCaptureFile(path, (rec) => {
    const decoded = decodeFrame(rec.linkType, rec.data);
    if (decoded.kind === 'vrrp' || isCutVrrp(decoded)) {
      out.set(rec.frame, { frame: rec.frame, decoded, json: fmt.json(rec, decoded, validateVrrp(decoded)), text: tcpdumpVrrpText(decoded) });
    } else out.set(rec.frame, { frame: rec.frame, decoded, json: null, text: null });
  }).catch(() => undefined);
  return out;
}
