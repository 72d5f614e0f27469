// keepalived 2.2.7's keyword tables (install_keyword calls in keepalived/core/global_parser.c,
// keepalived/vrrp/vrrp_parser.c and the root keywords of every parser): which words are keywords
// where, which open a block of keywords, which read a block of values (alloc_value_block), and how
// many words a keyword's handler reads (the rest keepalived drops without a word: `extra-tokens`).
// Keywords keepalived knows and vrrpwatch does not use are here too, so they stay quiet.

export type KeywordSpec =
  /** One line; `args`: how many words after the keyword the handler reads (undefined: not checked). */
  | { kind: 'leaf'; args?: number }
  /** A block of values (virtual_ipaddress { ... }), one entry per line, read raw up to `}`. */
  | { kind: 'values'; args?: number }
  /** A block of keywords of its own table (authentication { ... }, vrrp_instance NAME { ... }). */
  | { kind: 'block'; table: KeywordTable; args?: number }
  /** A root block keepalived parses in another process or vrrpwatch does not model (virtual_server): skipped whole. */
  | { kind: 'skip' };

export type KeywordTable = ReadonlyMap<string, KeywordSpec>;

const leaf = (args?: number): KeywordSpec => (args === undefined ? { kind: 'leaf' } : { kind: 'leaf', args });
const values = (args = 0): KeywordSpec => ({ kind: 'values', args });

function table(known: Record<string, KeywordSpec>, unchecked: readonly string[] = []): KeywordTable {
  const m = new Map<string, KeywordSpec>(Object.entries(known));
  for (const k of unchecked) if (!m.has(k)) m.set(k, leaf());
  return m;
}

const SCRIPT_ARGS = 3; // notify_* SCRIPT [USER [GROUP]] (keepalived.conf(5))

export const AUTHENTICATION = table({ auth_type: leaf(1), auth_pass: leaf(1) });

export const INSTANCE = table(
  {
    state: leaf(1),
    interface: leaf(1),
    virtual_router_id: leaf(1),
    priority: leaf(1),
    advert_int: leaf(1),
    version: leaf(1),
    nopreempt: leaf(0),
    preempt: leaf(0),
    preempt_delay: leaf(1),
    mcast_src_ip: leaf(1),
    unicast_src_ip: leaf(1),
    unicast_peer: values(),
    use_vmac: leaf(2),
    dont_track_primary: leaf(0),
    track_interface: values(),
    track_script: values(),
    track_file: values(),
    track_process: values(),
    track_bfd: values(),
    virtual_ipaddress: values(),
    virtual_ipaddress_excluded: values(),
    virtual_routes: values(),
    virtual_rules: values(),
    authentication: { kind: 'block', table: AUTHENTICATION, args: 0 },
    notify_master: leaf(SCRIPT_ARGS),
    notify_backup: leaf(SCRIPT_ARGS),
    notify_fault: leaf(SCRIPT_ARGS),
    notify_stop: leaf(SCRIPT_ARGS),
    notify_deleted: leaf(SCRIPT_ARGS),
    notify_master_rx_lower_pri: leaf(SCRIPT_ARGS),
    notify: leaf(SCRIPT_ARGS),
    garp_master_delay: leaf(1),
    garp_master_repeat: leaf(1),
    garp_master_refresh: leaf(1),
    garp_master_refresh_repeat: leaf(1),
    garp_lower_prio_delay: leaf(1),
    garp_lower_prio_repeat: leaf(1),
    down_timer_adverts: leaf(1),
    accept: leaf(0),
    no_accept: leaf(0),
    promote_secondaries: leaf(0),
    native_ipv6: leaf(0),
    track_src_ip: leaf(0),
    unicast_fault_no_peer: leaf(0),
    unicast_ttl: leaf(1),
    check_unicast_src: leaf(0),
    vmac_xmit_base: leaf(0),
    use_vmac_addr: leaf(0),
  },
  [
    'use_ipvlan', 'old_unicast_checksum', 'vrf', 'mcast_dst_ip', 'linkbeat_use_polling', 'skip_check_adv_addr',
    'strict_mode', 'debug', 'smtp_alert', 'notify_priority_changes', 'lvs_sync_daemon_interface', 'garp_extra_if',
    'vmac_garp_intvl', 'lower_prio_no_advert', 'higher_prio_send_advert', 'kernel_rx_buf_size',
  ],
);

export const SCRIPT = table(
  { script: leaf(), interval: leaf(1), timeout: leaf(1), weight: leaf(2), rise: leaf(1), fall: leaf(1), user: leaf(2), init_fail: leaf(0) },
);

export const SYNC_GROUP = table(
  {
    group: values(),
    track_interface: values(),
    track_script: values(),
    track_file: values(),
    track_process: values(),
    track_bfd: values(),
    notify_master: leaf(SCRIPT_ARGS),
    notify_backup: leaf(SCRIPT_ARGS),
    notify_fault: leaf(SCRIPT_ARGS),
    notify_stop: leaf(SCRIPT_ARGS),
    notify: leaf(SCRIPT_ARGS),
    global_tracking: leaf(0),
    sync_group_tracking_weight: leaf(0),
  },
  ['smtp_alert', 'notify_priority_changes'],
);

export const GLOBAL_DEFS = table(
  {
    router_id: leaf(1),
    vrrp_version: leaf(1),
    vrrp_garp_master_delay: leaf(1),
    vrrp_garp_master_repeat: leaf(1),
    vrrp_garp_master_refresh: leaf(1),
    vrrp_garp_master_refresh_repeat: leaf(1),
    vrrp_garp_lower_prio_delay: leaf(1),
    vrrp_garp_lower_prio_repeat: leaf(1),
    vrrp_down_timer_adverts: leaf(1),
    vrrp_strict: leaf(0),
    script_user: leaf(2),
    enable_script_security: leaf(0),
    notification_email: values(),
  },
  // global_parser.c v2.2.7: known, not used by vrrpwatch
  `process_names process_name vrrp_process_name checker_process_name lvs_process_name bfd_process_name
   notification_email_from smtp_server smtp_helo_name smtp_connect_timeout smtp_alert startup_script
   startup_script_timeout shutdown_script shutdown_script_timeout max_auto_priority min_auto_priority_delay
   smtp_alert_vrrp smtp_alert_checker checker_log_all_failures dynamic_interfaces no_email_faults
   default_interface disable_local_igmp lvs_timeouts lvs_flush lvs_flush_on_stop lvs_flush_onstop
   lvs_sync_daemon vrrp_mcast_group4 vrrp_mcast_group6 vrrp_garp_interval vrrp_gna_interval vrrp_min_garp
   vrrp_garp_extra_if vrrp_vmac_garp_intvl vrrp_lower_prio_no_advert vrrp_higher_prio_send_advert
   vrrp_iptables vrrp_ipsets nftables nftables_priority nftables_ifindex nftables_ipvs nftables_ipvs_priority
   nftables_ipvs_start_fwmark nftables_counters vrrp_check_unicast_src vrrp_skip_check_adv_addr vrrp_priority
   vrrp_no_swap vrrp_rt_priority vrrp_cpu_affinity vrrp_rlimit_rttime vrrp_rlimit_rtime notify_fifo
   notify_fifo_script vrrp_notify_fifo vrrp_notify_fifo_script vrrp_notify_priority_changes
   fifo_write_vrrp_states_on_reload lvs_notify_fifo lvs_notify_fifo_script checker_priority checker_no_swap
   checker_rt_priority checker_cpu_affinity checker_rlimit_rttime checker_rlimit_rtime bfd_priority
   bfd_no_swap bfd_rt_priority bfd_cpu_affinity bfd_rlimit_rttime bfd_rlimit_rtime snmp_socket enable_traps
   enable_snmp_vrrp enable_snmp_keepalived enable_snmp_rfc enable_snmp_rfcv2 enable_snmp_rfcv3
   enable_snmp_checker enable_dbus dbus_service_name vrrp_netlink_cmd_rcv_bufs vrrp_netlink_cmd_rcv_bufs_force
   vrrp_netlink_monitor_rcv_bufs vrrp_netlink_monitor_rcv_bufs_force process_monitor_rcv_bufs
   process_monitor_rcv_bufs_force lvs_netlink_cmd_rcv_bufs lvs_netlink_cmd_rcv_bufs_force
   lvs_netlink_monitor_rcv_bufs lvs_netlink_monitor_rcv_bufs_force rs_init_notifies no_checker_emails
   vrrp_rx_bufs_policy vrrp_rx_bufs_multiplier vrrp_startup_delay log_unknown_vrids vmac_prefix
   vmac_addr_prefix umask random_seed reload_check_config reload_time_file reload_repeat reload_file
   include_check config_save_dir tmp_config_directory data_use_instance`.split(/\s+/),
);

const skip: KeywordSpec = { kind: 'skip' };

/** The root: every install_keyword_root of keepalived 2.2.7. */
export const ROOT = table({
  global_defs: { kind: 'block', table: GLOBAL_DEFS, args: 0 },
  vrrp_instance: { kind: 'block', table: INSTANCE, args: 1 },
  vrrp_script: { kind: 'block', table: SCRIPT, args: 1 },
  vrrp_sync_group: { kind: 'block', table: SYNC_GROUP, args: 1 },
  ...Object.fromEntries(
    `bfd_instance child_wait_time garp_group instance interface_up_down_delays linkbeat_interfaces linkbeat_use_polling
     namespace_with_ipsets net_namespace net_namespace_ipvs static_ipaddress static_routes static_rules track_file
     track_group use_pid_dir virtual_server virtual_server_group vrrp_track_file vrrp_track_process`
      .split(/\s+/)
      .map((k) => [k, skip]),
  ),
});
