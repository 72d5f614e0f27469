// `vrrpwatch simulate NODE... [--step STEP]...`: the election over the nodes' keepalived.conf
// files on an ideal LAN, with the daemon's own state machine. Exit 0; 2 when a file cannot be
// read; 64 for bad usage (a step naming no node, script or interface).
import { Command } from 'commander';
import { CliError, Exit } from '../errors.js';
import { fsReader } from '../keepalived-fs.js';
import { readNodes } from '../keepalived/node.js';
import { parseStep, simulate, simulationJson, simulationText, type Step } from '../keepalived/simulate.js';

export function makeSimulateCommand(): Command {
  return new Command('simulate')
    .description('run the VRRP election over keepalived.conf files on an ideal LAN, step by step or for every failure')
    .argument('<node...>', 'FILE or FILE@CONFIG_ID')
    .option('--step <step>', 'NODE:SCRIPT=fail|ok, NODE:INTERFACE=down|up or NODE:down|up (keepalived killed), in order; repeatable', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--json', 'print {"instances": [{"name", "vrid", "steps": [{"step", "priorities", "master"}]}]}')
    .addHelpText('after', '\nWithout --step: every single failure and every pair, each from the steady state.\nExample: vrrpwatch simulate a.conf b.conf --step a:chk_app=fail --step b:chk_app=fail')
    .action((args: string[], opts: { step: string[]; json?: boolean }) => {
      const nodes = readNodes(args, fsReader);
      const unreadable = nodes.filter((n) => n.files.length === 0);
      if (unreadable.length > 0) throw new CliError(unreadable.map((n) => n.findings[0]?.message ?? `cannot read ${n.file}`).join('; '), Exit.INPUT);
      const steps: Step[] = [];
      for (const s of opts.step) {
        const st = parseStep(s, nodes);
        if (typeof st === 'string') throw new CliError(`${st}\nUsage: vrrpwatch simulate NODE... [--step STEP]... (see vrrpwatch simulate --help)`, Exit.USAGE);
        steps.push(st);
      }
      const r = simulate(nodes, steps);
      process.stdout.write(opts.json ? `${JSON.stringify(simulationJson(r))}\n` : simulationText(r));
    });
}
