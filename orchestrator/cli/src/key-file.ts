import { readSecretFile, SecretFileError } from '@nn/shared';
import { CliError, EXIT } from './io.js';

/**
 * The API key from a file of mode 600: the key alone on a line, or the API's own keys file
 * (`{ "operator": [...], "viewer": [...] }`), whose first operator key (else viewer key) is used, so the
 * file `nnctl up` writes works for both.
 */
export function readKeyFile(path: string): string {
  let text: string;
  try {
    text = readSecretFile(path);
  } catch (err) {
    if (err instanceof SecretFileError) throw new CliError(err.message, EXIT.usage);
    throw err;
  }
  if (!text.startsWith('{')) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Never quote the text: it is a key file.
    throw new CliError(`key file ${path} starts like JSON but is not JSON`, EXIT.usage);
  }
  const pick = (role: string): string | undefined => {
    const list = (parsed as Record<string, unknown>)[role];
    return Array.isArray(list) && typeof list[0] === 'string' ? list[0] : undefined;
  };
  const key = pick('operator') ?? pick('viewer');
  if (key === undefined) throw new CliError(`key file ${path} holds no operator or viewer key`, EXIT.usage);
  return key;
}
