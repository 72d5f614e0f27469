// `vrrpwatch interfaces`: the interfaces live capture can use (libpcap's list), with their
// addresses and state, as a table or one JSON document (--json).
import { Command } from 'commander';
import { Exit } from '../errors.js';
import { Output } from './output.js';
import { listInterfaces, type InterfaceInfo } from '../live/devices.js';

interface InterfacesOptions {
  json?: boolean;
}

export function makeInterfacesCommand(): Command {
  return new Command('interfaces')
    .description('list the interfaces live capture (-i) can use, with their addresses (needs the libpcap binding)')
    .option('--json', 'one JSON document: name, description, up, loopback, addresses')
    .action(async (opts: InterfacesOptions) => {
      process.exitCode = await runInterfaces(opts);
    });
}

function state(i: InterfaceInfo): string {
  const s = i.up === null ? '-' : i.up ? 'up' : 'down';
  return i.loopback ? `${s},loopback` : s;
}

/** Pure: the table a person reads. Pseudo-devices show their description instead of addresses. */
export function interfacesText(list: InterfaceInfo[]): string {
  const rows = list.map((i) => [
    i.name,
    state(i),
    i.addresses.length > 0
      ? i.addresses.map((a) => (a.prefixLength === null ? a.address : `${a.address}/${a.prefixLength}`)).join(' ')
      : (i.description ?? ''),
  ]);
  const header = ['INTERFACE', 'STATE', 'ADDRESSES'];
  const w0 = Math.max(header[0]!.length, ...rows.map((r) => r[0]!.length));
  const w1 = Math.max(header[1]!.length, ...rows.map((r) => r[1]!.length));
  return [header, ...rows].map(([a = '', b = '', c = '']) => `${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`.trimEnd() + '\n').join('');
}

export async function runInterfaces(opts: InterfacesOptions, out = new Output()): Promise<number> {
  const list = await listInterfaces();
  out.write(opts.json ? `${JSON.stringify(list, null, 2)}\n` : interfacesText(list));
  await out.end();
  return Exit.OK;
}
