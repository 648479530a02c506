import { Argument, type Command } from 'commander';
import { bashCompletion } from '../completion/bash-completion.js';
import { commandTree } from '../completion/command-tree.js';
import { zshCompletion } from '../completion/zsh-completion.js';
import type { CliIo } from '../io.js';

// `nnctl completion bash|zsh`: the script is generated from the program at the time it runs, so it
// completes exactly the commands and options this nnctl has.

export function registerCompletionCommand(program: Command, io: CliIo): void {
  program
    .command('completion')
    .description('print the shell completion script for bash or zsh')
    .addArgument(new Argument('<shell>', 'bash or zsh').choices(['bash', 'zsh']))
    .addHelpText(
      'after',
      [
        '',
        'Load it in this shell:  source <(nnctl completion bash)   (zsh: after compinit)',
        'For every shell:        nnctl completion bash > ~/.local/share/bash-completion/completions/nnctl',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: zsh's $fpath, printed as it is
        '                        nnctl completion zsh > "${fpath[1]}/_nnctl"',
      ].join('\n'),
    )
    .action((shell: 'bash' | 'zsh') => {
      const nodes = commandTree(program);
      io.stdout.write(shell === 'bash' ? bashCompletion(nodes) : zshCompletion(nodes));
    });
}
