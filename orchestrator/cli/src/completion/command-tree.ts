import type { Command, Option } from 'commander';

// nnctl's commands and options as plain data, read from the commander program itself, so the completion
// scripts generated from it list exactly what the CLI parses. Hidden options are left out, as in --help.

export interface OptionNode {
  /** Every spelling: `--json`, `-V`. */
  readonly flags: readonly string[];
  /** Whether the next word is its value. */
  readonly takesValue: boolean;
  /** The values it accepts, when commander knows them. */
  readonly choices: readonly string[];
  /** Whether its value is a file (its placeholder says path, file or .json: `--key-file <path>`). */
  readonly takesFile: boolean;
  readonly description: string;
}

export interface CommandNode {
  /** The words after `nnctl` that lead here ([] for nnctl itself). */
  readonly path: readonly string[];
  readonly description: string;
  /** Its own options and those of every command above it (commander parses both after it). */
  readonly options: readonly OptionNode[];
  readonly subcommands: readonly { readonly name: string; readonly description: string }[];
  /** The values of its first argument, when commander knows them. */
  readonly argumentChoices: readonly string[];
}

function optionNode(option: Option): OptionNode {
  const flags = [option.long, option.short].filter((f): f is string => typeof f === 'string');
  return {
    flags,
    takesValue: option.required || option.optional,
    choices: option.argChoices ?? [],
    takesFile: /<[^>]*(path|file|\.json)[^>]*>|\[[^\]]*(path|file|\.json)[^\]]*\]/.test(option.flags),
    description: option.description,
  };
}

/** Every command of the program, parents first. */
export function commandTree(program: Command): CommandNode[] {
  const out: CommandNode[] = [];
  const walk = (cmd: Command, path: string[], inherited: OptionNode[]) => {
    const own = cmd.options.filter((o) => !o.hidden).map(optionNode);
    // commander keeps --help out of `options`; every command has it.
    const options = [...inherited, ...own, HELP];
    const subs = cmd.commands;
    out.push({
      path,
      description: cmd.description(),
      options,
      subcommands: subs.map((c) => ({ name: c.name(), description: c.description() })),
      argumentChoices: cmd.registeredArguments[0]?.argChoices ?? [],
    });
    for (const sub of subs) walk(sub, [...path, sub.name()], [...inherited, ...own]);
  };
  walk(program, [], []);
  return out;
}

const HELP: OptionNode = {
  flags: ['--help', '-h'],
  takesValue: false,
  choices: [],
  takesFile: false,
  description: 'show help',
};

/**
 * What completes an option's value in the scripts: its choices, or a marker the scripts read: __files__
 * (complete file names), __any__ (a value nothing can guess: a URL, a count, a chain id).
 */
export function valueWords(option: OptionNode): readonly string[] {
  if (option.choices.length > 0) return option.choices;
  return [option.takesFile ? '__files__' : '__any__'];
}
