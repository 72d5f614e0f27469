// How an advert's authentication is shown to a person: the one place a password from the wire is
// quoted, so every face escapes it the same way. Pure.
import { AuthType, authTypeShort } from '../decode/auth.js';
import { escapeControl } from './escape.js';

/** A password from the wire in double quotes: backslash and quote escaped, control bytes as \xHH. */
export function quotedPassword(s: string): string {
  // Most passwords need nothing: one test, no copies (decode prints one per packet).
  if (!NEEDS_QUOTING.test(s)) return `"${s}"`;
  return `"${escapeControl(s.replace(/[\\"]/g, '\\$&'))}"`;
}

/** A backslash, a quote, or a character escapeControl rewrites. */
const NEEDS_QUOTING = /[\\"\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** "none (v3)", "none", `password "secret"`, "IPsec AH", "Cisco MD5", "type N". */
export function authText(authType: number | null, authData: string | null): string {
  if (authType === null) return 'none (v3)';
  if (authType === AuthType.SIMPLE) return `password ${quotedPassword(authData ?? '')}`;
  return authTypeShort(authType);
}
