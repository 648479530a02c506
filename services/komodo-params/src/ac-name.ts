import { AC_NAME_MAX_LENGTH } from './komodo-limits.js';

// komodod itself only truncates the symbol (assetchain.h) and refuses "KMD"; the name also becomes a
// directory (~/.komodo/NAME), a conf file name, a container name and a shell word in the launch scripts,
// so anything that could escape those is refused here.
const SHELL_META = /[`$&|;<>(){}[\]*?!~'"\\#=%^]/;

/** Why `name` is not an acceptable -ac_name, or undefined when it is. */
export function acNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > AC_NAME_MAX_LENGTH)
    return `is ${name.length} characters; komodod keeps at most ${AC_NAME_MAX_LENGTH} (KOMODO_ASSETCHAIN_MAXLEN 65 with the NUL)`;
  if (name === 'KMD') return "can't have assetchain named KMD";
  if (/[/\\]/.test(name)) return 'must not contain path separators';
  if (name.includes('..') || name === '.') return 'must not contain ".."';
  if (/\s/.test(name)) return 'must not contain whitespace';
  if (SHELL_META.test(name)) return 'must not contain shell metacharacters';
  if (!/^[A-Za-z0-9._-]+$/.test(name)) return 'may only contain A-Z, a-z, 0-9, ".", "_" and "-"';
  if (name.startsWith('-') || name.startsWith('.')) return 'must not start with "-" or "."';
  return undefined;
}
