// `vrrpwatch lint NODE...`: keepalived.conf files read as keepalived 2.2.7 reads them, each node
// alone and the nodes of each virtual router together. Exit 0 (nothing above info), 1 (warnings),
// 2 (errors); 64 for bad usage.
import { Command } from 'commander';
import { fsReader } from '../keepalived-fs.js';
import { lint, lintExitCode, lintJson, lintText } from '../keepalived/lint.js';
import { readNodes } from '../keepalived/node.js';

export function makeLintCommand(): Command {
  return new Command('lint')
    .description('check keepalived.conf files of the nodes of a cluster, alone and against each other')
    .argument('<node...>', 'FILE or FILE@CONFIG_ID (the file as the node with that keepalived -i config-id reads it)')
    .option('--json', 'print {"nodes": [...], "findings": [...]} as JSON')
    .addHelpText('after', '\nExit status: 0 nothing above info, 1 warnings, 2 errors, 64 bad usage.\nExample: vrrpwatch lint lb1.conf lb2.conf   vrrpwatch lint cluster.conf@lb1 cluster.conf@lb2')
    .action((args: string[], opts: { json?: boolean }) => {
      const result = lint(readNodes(args, fsReader));
      process.stdout.write(opts.json ? `${JSON.stringify(lintJson(result))}\n` : lintText(result));
      process.exitCode = lintExitCode(result.findings);
    });
}
