// A word the generated scripts can hold as it is (command names, flags, choices) or in single quotes
// (descriptions, and a command path with its spaces). Anything else is refused: the scripts are sourced
// into an operator's shell, so nothing in them may be read as code.

const PLAIN = /^[A-Za-z0-9_.:=/,+@%-]+$/;

export function shellWord(
  word: string,
  options: { allowEmpty?: boolean; allowSpace?: boolean } = {},
): string {
  if (PLAIN.test(word)) return word;
  if (word === '' && options.allowEmpty) return "''";
  if (options.allowSpace && /^[A-Za-z0-9_.:=/,+@%-]+( [A-Za-z0-9_.:=/,+@%-]+)*$/.test(word))
    return `'${word}'`;
  throw new Error(`completion: "${word}" is not a word a completion script can hold`);
}

/** Any text as one single-quoted shell word (a quote inside becomes '\''). */
export function quoted(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}
