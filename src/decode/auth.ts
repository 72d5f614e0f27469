// VRRPv2 authentication types (RFC 2338 5.3.6, RFC 3768 5.2.6, and Cisco's MD5): one table of
// their values and names for every face. Pure.

export const AuthType = {
  NONE: 0,
  SIMPLE: 1,
  AH: 2,
  /** Cisco IOS "vrrp authentication md5": non-standard, the digest follows the 8 auth bytes. */
  CISCO_MD5: 254,
} as const;

interface AuthTypeNames {
  /** tcpdump's word in "authtype none". */
  tcpdump: string;
  /** A few words for tables and sentences. */
  short: string;
  /** What it is, for the field-by-field view. */
  meaning: string;
}

const NAMES: Readonly<Record<number, AuthTypeNames>> = {
  [AuthType.NONE]: { tcpdump: 'none', short: 'none', meaning: 'none' },
  [AuthType.SIMPLE]: { tcpdump: 'simple', short: 'password', meaning: 'simple text password (RFC 2338; reserved in RFC 3768)' },
  [AuthType.AH]: { tcpdump: 'ah', short: 'IPsec AH', meaning: 'IP Authentication Header (RFC 2338; reserved in RFC 3768)' },
  [AuthType.CISCO_MD5]: { tcpdump: `#${AuthType.CISCO_MD5}`, short: 'Cisco MD5', meaning: 'Cisco MD5, non-standard' },
};

export function isKnownAuthType(t: number): boolean {
  return NAMES[t] !== undefined;
}

/** tcpdump's name ("none", "simple", "ah"), or "#N" as tcpdump prints an unknown one. */
export function authTypeTcpdump(t: number): string {
  return NAMES[t]?.tcpdump ?? `#${t}`;
}

/** "none", "password", "IPsec AH", "Cisco MD5", "type N". */
export function authTypeShort(t: number): string {
  return NAMES[t]?.short ?? `type ${t}`;
}

/** The field-by-field meaning. */
export function authTypeMeaning(t: number): string {
  return NAMES[t]?.meaning ?? 'unknown';
}
