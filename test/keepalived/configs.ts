// keepalived.conf files written for the tests: each case is the files, the nodes given to
// lint/simulate, and the finding codes it must give. oracle.test.ts runs keepalived -t on every one.
export interface ConfigCase {
  files: Record<string, string>;
  /** lint arguments: FILE or FILE@CONFIG_ID (paths relative to the case's directory). */
  nodes: string[];
  /** Codes that must be reported (others may be too). Empty: lints clean (nothing above info). */
  codes: string[];
  /** Text keepalived -t prints for it (so the oracle test is known not to pass vacuously). */
  oracle?: string;
}

/** One vrrp_instance on eth0 (the oracle gives keepalived a namespace with an eth0). */
export function instance(o: { name?: string; state?: string; prio?: number | null; vrid?: number; extra?: string; vips?: string[]; track?: string[] } = {}): string {
  const lines = [`vrrp_instance ${o.name ?? 'VI_1'} {`];
  if (o.state !== undefined) lines.push(`  state ${o.state}`);
  lines.push('  interface eth0', `  virtual_router_id ${o.vrid ?? 51}`);
  if (o.prio !== null) lines.push(`  priority ${o.prio ?? 100}`);
  if (o.extra) lines.push(...o.extra.split('\n').map((l) => `  ${l}`));
  lines.push('  virtual_ipaddress {', ...(o.vips ?? ['192.0.2.100/24']).map((v) => `    ${v}`), '  }');
  if (o.track) lines.push('  track_script {', ...o.track.map((t) => `    ${t}`), '  }');
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

export const GLOBAL = 'global_defs {\n  enable_script_security\n  script_user root\n}\n';
export const script = (name: string, weight?: number): string => `vrrp_script ${name} {\n  script "/bin/true"\n  interval 1\n${weight === undefined ? '' : `  weight ${weight}\n`}}\n`;

/** The seeds' example: A BACKUP 80 nopreempt, B BACKUP 70, both tracking chk (weight -20). */
export function seeds(nopreempt = true): Record<string, string> {
  const g = (id: string): string => GLOBAL.replace('global_defs {\n', `global_defs {\n  router_id ${id}\n`);
  return {
    'a.conf': g('A') + script('chk', -20) + instance({ state: 'BACKUP', prio: 80, extra: nopreempt ? 'nopreempt' : '', track: ['chk'] }),
    'b.conf': g('B') + script('chk', -20) + instance({ state: 'BACKUP', prio: 70, track: ['chk'] }),
  };
}

const pair = (a: string, b: string, codes: string[]): ConfigCase => ({ files: { 'a.conf': a, 'b.conf': b }, nodes: ['a.conf', 'b.conf'], codes });

export const CASES: Record<string, ConfigCase> = {
  'parse-error': { files: { 'a.conf': `${GLOBAL}${instance()}}\n` }, nodes: ['a.conf'], oracle: "Extra '}' found", codes: ['parse-error'] },
  'bad-value': { files: { 'a.conf': GLOBAL + instance({ prio: 300 }) }, nodes: ['a.conf'], oracle: "Priority not valid", codes: ['bad-value'] },
  'bad-value-state-case': { files: { 'a.conf': GLOBAL + instance({ state: 'Master' }) }, nodes: ['a.conf'], oracle: "unknown state 'Master'", codes: ['bad-value'] },
  'bad-value-advert-round': { files: { 'a.conf': GLOBAL + instance({ extra: 'advert_int 1.6' }) }, nodes: ['a.conf'], oracle: "must be an integer. rounding", codes: ['bad-value'] },
  'extra-tokens': { files: { 'a.conf': GLOBAL + instance({ prio: null, extra: 'priority 150 advert_int 5' }) }, nodes: ['a.conf'], codes: ['extra-tokens'] },
  'unknown-keyword': { files: { 'a.conf': GLOBAL + instance({ extra: 'unicst_peer {\n  192.0.2.1\n}' }) }, nodes: ['a.conf'], oracle: "Unknown keyword 'unicst_peer'", codes: ['unknown-keyword'] },
  'password-truncated': { files: { 'a.conf': GLOBAL + instance({ extra: 'authentication {\n  auth_type PASS\n  auth_pass verylongpassword\n}' }) }, nodes: ['a.conf'], oracle: "Truncating auth_pass to 8 characters", codes: ['password-truncated'] },
  'nopreempt-ignored': { files: { 'a.conf': GLOBAL + instance({ state: 'MASTER', prio: 150, extra: 'nopreempt' }) }, nodes: ['a.conf'], oracle: "nopreempt will not work", codes: ['nopreempt-ignored'] },
  'owner-tracking-ignored': { files: { 'a.conf': GLOBAL + script('chk', -20) + instance({ prio: 255, track: ['chk'] }) }, nodes: ['a.conf'], oracle: "due to address_owner", codes: ['owner-tracking-ignored'] },
  'sync-group-weight-ignored': {
    files: { 'a.conf': `${GLOBAL}${script('chk', -20)}vrrp_sync_group G {\n  group {\n    VI_1\n    VI_2\n  }\n}\n${instance({ track: ['chk'] })}${instance({ name: 'VI_2', vrid: 52, vips: ['192.0.2.101/24'] })}` },
    nodes: ['a.conf'],
    oracle: "due to SYNC group", codes: ['sync-group-weight-ignored'],
  },
  'vrid-reused': { files: { 'a.conf': GLOBAL + instance() + instance({ name: 'VI_2', vips: ['192.0.2.101/24'] }) }, nodes: ['a.conf'], oracle: "both use VRID 51", codes: ['vrid-reused'] },
  'script-undefined': { files: { 'a.conf': GLOBAL + instance({ track: ['chk_later'] }) + script('chk_later', -20) }, nodes: ['a.conf'], oracle: "track script chk_later not found", codes: ['script-undefined', 'script-unused'] },
  'script-unused': { files: { 'a.conf': GLOBAL + script('chk', -20) + instance() }, nodes: ['a.conf'], codes: ['script-unused'] },
  'include-missing': { files: { 'a.conf': `${GLOBAL}include missing.conf\n${instance()}` }, nodes: ['a.conf'], codes: ['include-missing'] },
  'vrid-mismatch': pair(GLOBAL + instance({ vrid: 51, prio: 150 }), GLOBAL + instance({ vrid: 52 }), ['vrid-mismatch']),
  'auth-mismatch': pair(
    GLOBAL + instance({ prio: 150, extra: 'authentication {\n  auth_type PASS\n  auth_pass secret1\n}' }),
    GLOBAL + instance({ extra: 'authentication {\n  auth_type PASS\n  auth_pass secret2\n}' }),
    ['auth-mismatch'],
  ),
  'auth-match-after-truncation': pair(
    GLOBAL + instance({ prio: 150, extra: 'authentication {\n  auth_type PASS\n  auth_pass 12345678abc\n}' }),
    GLOBAL + instance({ extra: 'authentication {\n  auth_type PASS\n  auth_pass 12345678xyz\n}' }),
    ['password-truncated'],
  ),
  'interval-mismatch': pair(GLOBAL + instance({ prio: 150 }), GLOBAL + instance({ extra: 'advert_int 3' }), ['interval-mismatch']),
  'version-mismatch': pair(GLOBAL + instance({ prio: 150, extra: 'version 3' }), GLOBAL + instance(), ['version-mismatch']),
  'vip-mismatch': pair(GLOBAL + instance({ prio: 150, vips: ['192.0.2.100/24', '192.0.2.101/24'] }), GLOBAL + instance(), ['vip-mismatch']),
  'equal-priority': pair(GLOBAL + instance({ extra: 'unicast_src_ip 192.0.2.11\nunicast_peer {\n  192.0.2.12\n}' }), GLOBAL + instance({ extra: 'unicast_src_ip 192.0.2.12\nunicast_peer {\n  192.0.2.11\n}' }), ['equal-priority']),
  'weight-cannot-failover': pair(GLOBAL + script('chk', -5) + instance({ state: 'MASTER', prio: 150, track: ['chk'] }), GLOBAL + instance({ state: 'BACKUP', prio: 100 }), ['weight-cannot-failover']),
  'weight-zero-fault': { files: { 'a.conf': GLOBAL + script('chk') + instance({ track: ['chk'] }) }, nodes: ['a.conf'], codes: ['weight-zero-fault'] },
  'no-vip': { files: { 'a.conf': `${GLOBAL}vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 51\n}\n` }, nodes: ['a.conf'], codes: ['no-vip'] },
  'script-security': { files: { 'a.conf': script('chk', -20) + instance({ track: ['chk'] }) }, nodes: ['a.conf'], codes: ['script-security'] },
  // more of keepalived's readings, for the oracle
  'v3-auth-ignored': { files: { 'a.conf': GLOBAL + instance({ extra: 'version 3\nauthentication {\n  auth_type PASS\n  auth_pass abc\n}' }) }, nodes: ['a.conf'], oracle: 'does not support authentication', codes: ['bad-value'] },
  'unknown-block-closes-parent': {
    files: { 'a.conf': `${GLOBAL}vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 51\n  virtual_ipaddress {\n    192.0.2.1/24\n  }\n  unicst_peer {\n    192.0.2.2\n  }\n  priority 120\n}\n` },
    nodes: ['a.conf'],
    oracle: "Unknown keyword 'priority'",
    codes: ['unknown-keyword', 'parse-error'],
  },
  'sync-group-global-tracking': {
    files: { 'a.conf': `${GLOBAL}${script('chk', -20)}vrrp_sync_group G {\n  group {\n    VI_1\n    VI_2\n  }\n  global_tracking\n}\n${instance({ track: ['chk'] })}${instance({ name: 'VI_2', vrid: 52, vips: ['192.0.2.101/24'] })}` },
    nodes: ['a.conf'],
    oracle: 'global_tracking is deprecated',
    codes: ['deprecated'],
  },
  'state-master-no-priority': { files: { 'a.conf': GLOBAL + instance({ state: 'MASTER', prio: null }) }, nodes: ['a.conf'], codes: ['bad-value'] },
  'vip-options-and-excluded': {
    files: { 'a.conf': GLOBAL + instance({ vips: ['192.0.2.100/24 dev eth0 label eth0:vip scope global', '192.0.2.101'] }).replace('  virtual_ipaddress {', '  virtual_ipaddress_excluded {\n    2001:db8::100/64\n  }\n  virtual_ipaddress {') },
    nodes: ['a.conf'],
    codes: [],
  },
  'unicast-pair': pair(
    GLOBAL + instance({ prio: 150, extra: 'unicast_src_ip 192.0.2.11\nunicast_peer {\n  192.0.2.12\n}' }),
    GLOBAL + instance({ extra: 'unicast_src_ip 192.0.2.12\nunicast_peer {\n  192.0.2.11\n}' }),
    [],
  ),
  'preempt-delay-with-nopreempt': { files: { 'a.conf': GLOBAL + instance({ state: 'BACKUP', extra: 'nopreempt\npreempt_delay 5' }) }, nodes: ['a.conf'], oracle: 'preempt_delay is incompatible with nopreempt', codes: ['bad-value'] },
  'notify-twice': { files: { 'a.conf': GLOBAL + instance({ extra: 'notify_master /bin/true\nnotify_master /bin/false' }) }, nodes: ['a.conf'], oracle: 'notify_master script already specified', codes: ['bad-value'] },
  // The issue's clean case: one file for two nodes by @lb1/@lb2 lines and a $VIP parameter.
  'one-file-two-nodes': {
    files: {
      'cluster.conf': [
        '$VIP=192.0.2.50/24',
        'global_defs {',
        '@lb1 router_id lb1',
        '@lb2 router_id lb2',
        '  enable_script_security',
        '  script_user root',
        '}',
        'vrrp_script chk_app {',
        '  script "/bin/true"',
        '  weight -60',
        '}',
        'vrrp_instance VI_1 {',
        '@lb1 state MASTER',
        '@lb2 state BACKUP',
        '  interface eth0',
        '  virtual_router_id 51',
        '@lb1 priority 150',
        '@lb2 priority 100',
        '  virtual_ipaddress {',
        '    $VIP',
        '  }',
        '  track_script {',
        '    chk_app',
        '  }',
        '}',
        '',
      ].join('\n'),
    },
    nodes: ['cluster.conf@lb1', 'cluster.conf@lb2'],
    codes: [],
  },
  // include with a glob, relative to the including file; ~SEQ for the addresses
  'include-and-seq': {
    files: {
      'main.conf': `${GLOBAL}include conf.d/*.conf\n`,
      'conf.d/vi1.conf': instance({ vips: ['192.0.2.10${X}/24'] }).replace('  virtual_ipaddress {\n', '  virtual_ipaddress {\n~SEQ(X,1,3) 192.0.2.2${X}/24\n'),
    },
    nodes: ['main.conf'],
    codes: [],
  },
};
