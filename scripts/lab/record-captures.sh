#!/usr/bin/env bash
# scripts/lab/record-captures.sh [SCENARIO...]
#
# Records the project's sample captures with real keepalived instances in a
# throwaway namespace lab (see lib.sh): captures/NAME.pcap plus a sidecar
# captures/NAME.events.json (hosts, keepalived config essentials, timeline of
# the actions taken with ISO timestamps, keepalived's own state-change lines).
# With no argument all scenarios are recorded, in the order below.
#
#   sudo bash scripts/lab/record-captures.sh                 # everything (~6 min)
#   sudo bash scripts/lab/record-captures.sh master-crash    # just one
#   bash scripts/lab/record-captures.sh --list               # scenario names
#   bash scripts/lab/record-captures.sh --configs-only       # only captures/configs/ (no root, no lab)
#
# Each scenario's keepalived.conf files are kept beside its capture, as
# captures/configs/SCENARIO/NODE.conf (see captures/README.md).
#
# Needs root (network namespaces); prints a one-line reason and exits 0
# otherwise. Everything it creates is named vwt*, uses documentation
# addresses only and is removed on exit, also on failure or Ctrl-C.
set -euo pipefail

# shellcheck source=scripts/lab/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SCENARIOS=(steady-pair master-crash graceful-stop v3-ipv6 v3-ipv4 password-mismatch
  interval-mismatch one-way-loss vrid-collision vip-two-vrids track-script nopreempt
  multi-vrid vlan)

VIP=192.0.2.100/24
PASS=vrrplab1   # auth_pass is at most 8 characters

# ---- helpers -------------------------------------------------------------------

# settle_after_master HOST INSTANCE — wait until HOST's second gratuitous-ARP
# burst (keepalived sends one at MASTER and one 5 s later) is over, so that
# captures start in a steady state.
settle_after_master() {
  local h=$1 inst=$2 ep
  ep=$(grep -E "\\($inst\\) Entering MASTER STATE" "$VWT_SC_DIR/$h.log" | tail -1 | cut -d' ' -f1)
  vwt__sleep_until "$(awk -v t="$ep" 'BEGIN { printf "%.6f", t + 5.5 }')"
}

# pair_conf A B VRID [extra instance args...] — the classic pair: A is
# state MASTER prio 150, B state BACKUP prio 100, same VIP.
pair_conf() {
  local a=$1 b=$2 vrid=$3; shift 3
  vwt_ka_instance "$a" VI_1 vrid="$vrid" prio=150 state=MASTER "$@"
  vwt_ka_instance "$b" VI_1 vrid="$vrid" prio=100 state=BACKUP "$@"
}

# start_pair A B — start A, wait for MASTER, start B, wait for BACKUP, settle.
start_pair() {
  local a=$1 b=$2
  vwt_ka_start "$a"; vwt_ka_wait_state "$a" VI_1 MASTER 10
  vwt_ka_start "$b"; vwt_ka_wait_state "$b" VI_1 BACKUP 10
  settle_after_master "$a" VI_1
}

finish() {   # finish EXPECTED_JSON — stop capture, write sidecar and configs, tear down
  vwt_capture_stop
  vwt_events_write "$VWT_CAPTURE_DIR/$VWT_SCENARIO.events.json" "${1:-null}"
  vwt_configs_save
  vwt_lan_destroy
}

# ---- scenarios -------------------------------------------------------------------

sc_steady_pair() {
  vwt_scenario_begin steady-pair "VRRPv2 pair in steady state: vwt-a (prio 150) is master and advertises every 1 s with auth PASS; vwt-b (prio 100) is a silent backup."
  vwt_lan_create 2
  vwt_ka_conf_begin a; vwt_ka_conf_begin b
  pair_conf a b 51 auth=$PASS vips=$VIP
  start_pair a b
  vwt_capture_start steady-pair
  vwt_at 10
  finish '{"vrid":51,"masters":[{"from_s":0,"host":"vwt-a","ip":"192.0.2.11","priority":150}],"adverts_per_s":1,"split_brain":false}'
}

sc_master_crash() {
  vwt_scenario_begin master-crash "VRRPv2 pair; at ~5 s the master's keepalived (vwt-a) is SIGKILLed: no priority-0 advert, vwt-b takes over after Master_Down_Interval = 3*1 + (256-100)/256 = 3.609 s after a's last advert; at ~11 s vwt-a's keepalived is restarted, starts as BACKUP, and preempts back after its own Master_Down_Interval (3.414 s) because vwt-b's priority 100 is lower."
  vwt_lan_create 2
  vwt_ka_conf_begin a; vwt_ka_conf_begin b
  pair_conf a b 51 auth=$PASS vips=$VIP
  start_pair a b
  vwt_capture_start master-crash
  vwt_at 5
  local nb; nb=$(vwt_ka_log_lines b)
  vwt_ka_stop a KILL
  vwt_ka_wait_state b VI_1 MASTER 10 "$nb"
  vwt_at 11
  local na; na=$(vwt_ka_log_lines a)
  vwt_ka_start a
  vwt_ka_wait_state a VI_1 MASTER 10 "$na"
  vwt_at 20
  finish '{"vrid":51,"masters":[{"from_s":0,"host":"vwt-a"},{"from_s":"kill+~3.6","host":"vwt-b"},{"from_s":"restart+~3.4","host":"vwt-a"}],"priority0_adverts":0,"takeover_gap_s":3.609375,"preempt_back_after_restart_s":3.4140625}'
}

sc_graceful_stop() {
  vwt_scenario_begin graceful-stop "VRRPv2 pair; at ~4 s the master's keepalived (vwt-a) gets SIGTERM: it sends one priority-0 advert and removes the VIP; vwt-b takes over after Skew_Time = (256-100)/256 = 0.609 s."
  vwt_lan_create 2
  vwt_ka_conf_begin a; vwt_ka_conf_begin b
  pair_conf a b 51 auth=$PASS vips=$VIP
  start_pair a b
  vwt_capture_start graceful-stop
  vwt_at 4
  local nb; nb=$(vwt_ka_log_lines b)
  vwt_ka_stop a TERM
  vwt_ka_wait_state b VI_1 MASTER 5 "$nb"
  vwt_at 10
  finish '{"vrid":51,"masters":[{"from_s":0,"host":"vwt-a"},{"from_s":"stop+~0.61","host":"vwt-b"}],"priority0_adverts":1,"takeover_gap_s":0.609375}'
}

sc_v3_ipv6() {
  vwt_scenario_begin v3-ipv6 "VRRPv3 over IPv6 (ff02::12, sources are link-local), VIPs fe80::100 (first, link-local as RFC 5798 wants) and 2001:db8::100; at ~5 s the master's keepalived (vwt-a) is SIGKILLed and vwt-b takes over after 3*1 + (256-100)*1/256 = 3.609 s (v3 Skew_Time scales with the interval); at ~11 s vwt-a restarts and preempts back."
  vwt_lan_create 2
  vwt_ka_conf_begin a; vwt_ka_conf_begin b
  pair_conf a b 61 family=6 vips="fe80::100/64,2001:db8::100/64"
  start_pair a b
  vwt_capture_start v3-ipv6
  vwt_at 5
  local nb; nb=$(vwt_ka_log_lines b)
  vwt_ka_stop a KILL
  vwt_ka_wait_state b VI_1 MASTER 10 "$nb"
  vwt_at 11
  local na; na=$(vwt_ka_log_lines a)
  vwt_ka_start a
  vwt_ka_wait_state a VI_1 MASTER 10 "$na"
  vwt_at 17
  finish '{"vrid":61,"family":"ipv6","version":3,"masters":[{"from_s":0,"host":"vwt-a","ip":"fe80::76:77ff:fe74:11"},{"from_s":"kill+~3.6","host":"vwt-b","ip":"fe80::76:77ff:fe74:12"},{"from_s":"restart+~3.4","host":"vwt-a"}],"takeover_gap_s":3.609375}'
}

sc_v3_ipv4() {
  vwt_scenario_begin v3-ipv4 "VRRPv3 over IPv4 pair with advert_int 0.5 s (50 centiseconds): vwt-a (150) master, two adverts per second; keepalived 2.2.7 computes the v3 IPv4 checksum with the pseudo-header."
  vwt_lan_create 2
  vwt_ka_conf_begin a; vwt_ka_conf_begin b
  pair_conf a b 71 version=3 int=0.5 vips=$VIP
  start_pair a b
  vwt_capture_start v3-ipv4
  vwt_at 6
  finish '{"vrid":71,"version":3,"max_advert_int_cs":50,"masters":[{"from_s":0,"host":"vwt-a","priority":150}],"adverts_per_s":2,"backup_master_down_interval_s":1.8046875}'
}

sc_password_mismatch() {
  vwt_scenario_begin password-mismatch "VRRPv2, same VRID 51, auth PASS 'secret1' on vwt-a (150) and 'secret2' on vwt-b (100). The capture starts with vwt-a master alone; at ~0.5 s vwt-b's keepalived starts, discards vwt-a's adverts (bad password) and becomes master after 3.609 s: both advertise (split brain), each discarding the other's adverts ('received an invalid passwd!'). keepalived 2.2.7 re-arms a master's advert timer whenever an advert arrives, even one it discards, so the two masters thin out each other's adverts: vwt-b's come only every ~3 s and vwt-a skips some."
  vwt_lan_create 2
  vwt_ka_conf_begin a; vwt_ka_conf_begin b
  vwt_ka_instance a VI_1 vrid=51 prio=150 state=MASTER auth=secret1 vips=$VIP
  vwt_ka_instance b VI_1 vrid=51 prio=100 state=BACKUP auth=secret2 vips=$VIP
  vwt_ka_start a; vwt_ka_wait_state a VI_1 MASTER 10
  settle_after_master a VI_1
  vwt_capture_start password-mismatch
  vwt_at 0.5
  vwt_ka_start b
  vwt_ka_wait_state b VI_1 MASTER 10 0
  vwt_at 12
  finish '{"vrid":51,"split_brain":true,"masters":[{"from_s":0,"host":"vwt-a","auth":"secret1"},{"from_s":"~4.1","host":"vwt-b","auth":"secret2","also_master":"vwt-a"}]}'
}

sc_interval_mismatch() {
  vwt_scenario_begin interval-mismatch "VRRPv2, same VRID 51 and password, advert_int 1 on vwt-a (150) and 3 on vwt-b (100). The capture starts with vwt-a master alone; at ~0.5 s vwt-b starts, drops vwt-a's adverts (interval mismatch; v2 discards) and becomes master after 3*3 + (256-100)/256 = 9.609 s: split brain. keepalived 2.2.7 re-arms vwt-b's 3 s advert timer on each of vwt-a's 1 s adverts (which it discards), so vwt-b sends its first advert (intvl 3s) and its two GARP bursts and then stays silent while holding the VIP; vwt-a keeps advertising every 1 s."
  vwt_lan_create 2
  vwt_ka_conf_begin a; vwt_ka_conf_begin b
  vwt_ka_instance a VI_1 vrid=51 prio=150 state=MASTER int=1 auth=$PASS vips=$VIP
  vwt_ka_instance b VI_1 vrid=51 prio=100 state=BACKUP int=3 auth=$PASS vips=$VIP
  vwt_ka_start a; vwt_ka_wait_state a VI_1 MASTER 10
  settle_after_master a VI_1
  vwt_capture_start interval-mismatch
  vwt_at 0.5
  vwt_ka_start b
  vwt_ka_wait_state b VI_1 MASTER 15 0
  vwt_at 20
  finish '{"vrid":51,"split_brain":true,"masters":[{"from_s":0,"host":"vwt-a","advert_int":1},{"from_s":"~10.1","host":"vwt-b","advert_int":3,"also_master":"vwt-a","note":"vwt-b sends one advert then goes silent (keepalived timer re-armed by discarded adverts) but keeps the VIP"}]}'
}

sc_one_way_loss() {
  vwt_scenario_begin one-way-loss "VRRPv2 healthy pair; at ~5 s vwt-b is made deaf to multicast (its bridge port stops flooding multicast): it stops hearing vwt-a and becomes master after 3.609 s while vwt-a keeps advertising (split brain; vwt-a hears b's lower-priority adverts and answers each with an extra advert). At ~15 s vwt-b hears again and returns to backup on vwt-a's next advert."
  vwt_lan_create 2
  vwt_ka_conf_begin a; vwt_ka_conf_begin b
  pair_conf a b 51 auth=$PASS vips=$VIP
  start_pair a b
  vwt_capture_start one-way-loss
  vwt_at 5
  local nb; nb=$(vwt_ka_log_lines b)
  vwt_host_deafen b
  vwt_ka_wait_state b VI_1 MASTER 10 "$nb"
  vwt_at 15
  nb=$(vwt_ka_log_lines b)
  vwt_host_undeafen b
  vwt_ka_wait_state b VI_1 BACKUP 5 "$nb"
  vwt_at 20
  finish '{"vrid":51,"split_brain":{"from":"deafen+~3.6","to":"undeafen+<=1"},"masters":[{"from_s":0,"host":"vwt-a"},{"from_s":"deafen+~3.6","host":"vwt-b","also_master":"vwt-a"},{"from_s":"undeafen+<=1","host":"vwt-a"}]}'
}

sc_vrid_collision() {
  vwt_scenario_begin vrid-collision "Two independent clusters on one LAN both use VRID 51 (no auth): cluster 1 = vwt-a (150, master) / vwt-b (100), VIP 192.0.2.100; cluster 2 = vwt-c (140, master) / vwt-d (90), VIP 192.0.2.200. keepalived discards adverts whose VIP list differs from its own, so each cluster elects its own master: two masters for VRID 51 with different addresses. Discarded adverts still re-arm keepalived's timers, so one master can starve the other's adverts (timing-dependent): the starved cluster's backup may time out, advertise once as master and be pushed back (flapping)."
  vwt_lan_create 4
  local h; for h in a b c d; do vwt_ka_conf_begin $h; done
  vwt_ka_instance a VI_1 vrid=51 prio=150 state=MASTER vips=192.0.2.100/24
  vwt_ka_instance b VI_1 vrid=51 prio=100 state=BACKUP vips=192.0.2.100/24
  vwt_ka_instance c VI_1 vrid=51 prio=140 state=MASTER vips=192.0.2.200/24
  vwt_ka_instance d VI_1 vrid=51 prio=90 state=BACKUP vips=192.0.2.200/24
  vwt_ka_start a; vwt_ka_start c
  vwt_ka_wait_state a VI_1 MASTER 10; vwt_ka_wait_state c VI_1 MASTER 10
  vwt_ka_start b; vwt_ka_start d
  vwt_ka_wait_state b VI_1 BACKUP 10; vwt_ka_wait_state d VI_1 BACKUP 10
  settle_after_master c VI_1
  vwt_capture_start vrid-collision
  vwt_at 10
  finish '{"vrid":51,"collision":true,"masters":[{"from_s":0,"host":"vwt-a","ip":"192.0.2.11","priority":150,"vips":["192.0.2.100"]},{"from_s":0,"host":"vwt-c","ip":"192.0.2.13","priority":140,"vips":["192.0.2.200"]}]}'
}

sc_vip_two_vrids() {
  vwt_scenario_begin vip-two-vrids "One VIP, 192.0.2.100, under two VRIDs (a virtual_router_id typo): pair 1 = vwt-a (150, master) / vwt-b (100) on VRID 51; pair 2 = vwt-c (150, master) / vwt-d (100) on VRID 52. Both masters own 192.0.2.100 and send gratuitous ARPs for it (the capture starts right after the masters are elected, so it holds the second 5-GARP burst of each, ~5 s after MASTER, from two different MACs)."
  vwt_lan_create 4
  local h; for h in a b c d; do vwt_ka_conf_begin $h; done
  pair_conf a b 51 auth=$PASS vips=$VIP
  pair_conf c d 52 auth=$PASS vips=$VIP
  vwt_ka_start a; vwt_ka_start c
  vwt_ka_wait_state a VI_1 MASTER 10; vwt_ka_wait_state c VI_1 MASTER 10
  vwt_ka_start b; vwt_ka_start d
  vwt_ka_wait_state b VI_1 BACKUP 10; vwt_ka_wait_state d VI_1 BACKUP 10
  # No settling: the capture holds both masters' second gratuitous-ARP
  # burst (5 s after MASTER), i.e. two MACs claiming 192.0.2.100.
  vwt_capture_start vip-two-vrids
  vwt_at 10
  finish '{"vip":"192.0.2.100","conflict":true,"masters":[{"vrid":51,"host":"vwt-a","ip":"192.0.2.11","mac":"02:76:77:74:00:11"},{"vrid":52,"host":"vwt-c","ip":"192.0.2.13","mac":"02:76:77:74:00:13"}],"garp_bursts_for_vip_from":["02:76:77:74:00:11","02:76:77:74:00:13"]}'
}

sc_track_script() {
  vwt_scenario_begin track-script "VRRPv2 pair 150/100; vwt-a tracks a vrrp_script (test -f FLAG, interval 1, fall 1, rise 1, weight -60). At ~5 s the flag file is removed: within 1 s vwt-a advertises priority 90; vwt-b (100, preempt) takes over after its Master_Down_Interval (3.609 s) and vwt-a yields. At ~13 s the flag is restored: vwt-a goes back to 150 and preempts back after 3.414 s."
  vwt_lan_create 2
  local flag="$VWT_SC_DIR/healthy.flag"
  touch "$flag"
  vwt_ka_conf_begin a; vwt_ka_conf_begin b
  vwt_ka_script a chk_flag script="/usr/bin/test -f $flag" interval=1 weight=-60 fall=1 rise=1
  vwt_ka_instance a VI_1 vrid=51 prio=150 state=MASTER auth=$PASS vips=$VIP track=chk_flag
  vwt_ka_instance b VI_1 vrid=51 prio=100 state=BACKUP auth=$PASS vips=$VIP
  start_pair a b
  vwt_capture_start track-script
  vwt_at 5
  local nb; nb=$(vwt_ka_log_lines b)
  local t=$EPOCHREALTIME; rm -f "$flag"; vwt_event "remove flag file: chk_flag on vwt-a starts failing" a "$t"
  vwt_ka_wait_state b VI_1 MASTER 10 "$nb"
  vwt_at 13
  local na; na=$(vwt_ka_log_lines a)
  t=$EPOCHREALTIME; touch "$flag"; vwt_event "restore flag file: chk_flag on vwt-a succeeds again" a "$t"
  vwt_ka_wait_state a VI_1 MASTER 10 "$na"
  vwt_at 22
  finish '{"vrid":51,"priorities":{"vwt-a":[150,90,150],"vwt-b":[100]},"masters":[{"from_s":0,"host":"vwt-a"},{"from_s":"flag_removed+<=1+~3.6","host":"vwt-b"},{"from_s":"flag_restored+<=1+~3.4","host":"vwt-a"}]}'
}

sc_nopreempt() {
  vwt_scenario_begin nopreempt "VRRPv2, both hosts state BACKUP + nopreempt, vwt-a 150, vwt-b 100. vwt-a is master; at ~4 s it is SIGKILLed, vwt-b takes over after 3.609 s; at ~10 s vwt-a restarts, hears vwt-b's lower-priority adverts and, because of nopreempt, stays BACKUP: vwt-b remains master to the end."
  vwt_lan_create 2
  vwt_ka_conf_begin a; vwt_ka_conf_begin b
  vwt_ka_instance a VI_1 vrid=51 prio=150 state=BACKUP nopreempt=1 auth=$PASS vips=$VIP
  vwt_ka_instance b VI_1 vrid=51 prio=100 state=BACKUP nopreempt=1 auth=$PASS vips=$VIP
  start_pair a b
  vwt_capture_start nopreempt
  vwt_at 4
  local nb; nb=$(vwt_ka_log_lines b)
  vwt_ka_stop a KILL
  vwt_ka_wait_state b VI_1 MASTER 10 "$nb"
  vwt_at 10
  local na; na=$(vwt_ka_log_lines a)
  vwt_ka_start a
  vwt_ka_wait_state a VI_1 BACKUP 5 "$na"
  vwt_at 20
  if vwt__log_has_after a '\(VI_1\) Entering MASTER STATE' "$na"; then
    echo "nopreempt: vwt-a took over again, unexpected" >&2; return 1
  fi
  finish '{"vrid":51,"masters":[{"from_s":0,"host":"vwt-a"},{"from_s":"kill+~3.6","host":"vwt-b"}],"restarted_host_stays_backup":"vwt-a"}'
}

sc_multi_vrid() {
  vwt_scenario_begin multi-vrid "Four VRRPv2 virtual routers on one LAN: VRID 10 (int 1, PASS pw-ten) and VRID 20 (int 2, no auth) on vwt-a/vwt-b; VRID 30 (int 1, PASS pw-30) and VRID 40 (int 3, no auth) on vwt-c/vwt-d. Masters: 10 vwt-a, 20 vwt-b, 30 vwt-c, 40 vwt-d (prio 150 vs 100)."
  vwt_lan_create 4
  local h; for h in a b c d; do vwt_ka_conf_begin $h; done
  vwt_ka_instance a VI_10 vrid=10 prio=150 state=MASTER int=1 auth=pw-ten vips=192.0.2.110/24
  vwt_ka_instance b VI_10 vrid=10 prio=100 state=BACKUP int=1 auth=pw-ten vips=192.0.2.110/24
  vwt_ka_instance a VI_20 vrid=20 prio=100 state=BACKUP int=2 vips=192.0.2.120/24
  vwt_ka_instance b VI_20 vrid=20 prio=150 state=MASTER int=2 vips=192.0.2.120/24
  vwt_ka_instance c VI_30 vrid=30 prio=150 state=MASTER int=1 auth=pw-30 vips=192.0.2.130/24
  vwt_ka_instance d VI_30 vrid=30 prio=100 state=BACKUP int=1 auth=pw-30 vips=192.0.2.130/24
  vwt_ka_instance c VI_40 vrid=40 prio=100 state=BACKUP int=3 vips=192.0.2.140/24
  vwt_ka_instance d VI_40 vrid=40 prio=150 state=MASTER int=3 vips=192.0.2.140/24
  for h in a b c d; do vwt_ka_start $h; done
  vwt_ka_wait_state a VI_10 MASTER 15; vwt_ka_wait_state b VI_20 MASTER 15
  vwt_ka_wait_state c VI_30 MASTER 15; vwt_ka_wait_state d VI_40 MASTER 15
  settle_after_master d VI_40
  vwt_capture_start multi-vrid
  vwt_at 12
  finish '{"masters":[{"vrid":10,"host":"vwt-a","ip":"192.0.2.11","advert_int":1,"auth":"pw-ten"},{"vrid":20,"host":"vwt-b","ip":"192.0.2.12","advert_int":2,"auth":null},{"vrid":30,"host":"vwt-c","ip":"192.0.2.13","advert_int":1,"auth":"pw-30"},{"vrid":40,"host":"vwt-d","ip":"192.0.2.14","advert_int":3,"auth":null}]}'
}

sc_vlan() {
  vwt_scenario_begin vlan "VRRPv2 pair on VLAN 30, seen from a trunk port: every frame carries an 802.1Q tag (VID 30, PCP 0). Steady state with vwt-a (150) master; at ~6 s vwt-a gets SIGTERM (priority 0) and vwt-b takes over after 0.609 s. The hosts send untagged frames on access ports; the trunk copy is tagged by scripts/lab/vlan-trunk.py because the lab kernel lacks 8021q and bridge VLAN filtering."
  vwt_lan_create 2 30
  vwt_ka_conf_begin a; vwt_ka_conf_begin b
  pair_conf a b 51 auth=$PASS vips=$VIP
  start_pair a b
  vwt_capture_start vlan
  vwt_at 6
  local nb; nb=$(vwt_ka_log_lines b)
  vwt_ka_stop a TERM
  vwt_ka_wait_state b VI_1 MASTER 5 "$nb"
  vwt_at 10
  finish '{"vrid":51,"vlan":30,"masters":[{"from_s":0,"host":"vwt-a"},{"from_s":"stop+~0.61","host":"vwt-b"}],"priority0_adverts":1}'
}

# ---- main -------------------------------------------------------------------------

main() {
  if [[ ${1:-} == --list ]]; then printf '%s\n' "${SCENARIOS[@]}"; exit 0; fi
  local configs_only=0
  if [[ ${1:-} == --configs-only ]]; then
    configs_only=1; shift
    vwt_configs_only_mode
    settle_after_master() { :; }
  fi
  local todo=("$@") s
  (( ${#todo[@]} )) || todo=("${SCENARIOS[@]}")
  for s in "${todo[@]}"; do
    declare -F "sc_${s//-/_}" >/dev/null || { echo "unknown scenario '$s' (try --list)" >&2; exit 2; }
  done
  if (( configs_only )); then
    for s in "${todo[@]}"; do "sc_${s//-/_}"; done
    return 0
  fi
  vwt_require_root
  vwt_lab_init "${VWT_MAX_SECONDS:-900}"
  vwt_log "keepalived: $(keepalived --version 2>&1 | sed -n 1p); captures -> $VWT_CAPTURE_DIR"
  local start=$SECONDS
  for s in "${todo[@]}"; do
    "sc_${s//-/_}"
  done
  vwt_log "done: ${#todo[@]} scenario(s) in $((SECONDS - start)) s"
}

main "$@"
