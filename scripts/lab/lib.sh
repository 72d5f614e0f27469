# shellcheck shell=bash
# scripts/lab/lib.sh — a throwaway keepalived lab in network namespaces.
#
# Source this file from a bash script that runs with `set -euo pipefail`.
# It builds one Ethernet LAN made of a bridge in its own namespace, N host
# namespaces (each with one veth port on the bridge, running its own
# keepalived) and one silent observer namespace whose port hears every frame
# and can record it with tcpdump.
#
#                  namespace vwt-br
#            +-------- vwtbr0 --------+
#          vwt-a1    vwt-b1   ...    vwt-o1        (bridge ports)
#            |         |               |
#          vwt-a0    vwt-b0          vwt-o0        (lab interfaces)
#        ns vwt-a  ns vwt-b  ...   ns vwt-obs
#
# Conventions (all fixed, so that captures are reproducible):
#   host i (1-based, letters a..h):
#     namespace   ${VWT_PREFIX}-<letter>         e.g. vwt-a
#     interface   ${VWT_PREFIX}-<letter>0        e.g. vwt-a0 (in the host ns)
#     bridge port ${VWT_PREFIX}-<letter>1        e.g. vwt-a1 (in vwt-br)
#     IPv4        192.0.2.(10+i)/24               e.g. 192.0.2.11
#     IPv6        2001:db8::(10+i)/64             e.g. 2001:db8::11
#     MAC         02:76:77:74:00:(10+i)           (hex digits = IPv4 octet)
#   observer: namespace ${VWT_PREFIX}-obs, interface ${VWT_PREFIX}-o0,
#             MAC 02:76:77:74:00:fe, no addresses, IPv6 off (it never sends).
#   bridge:   ${VWT_PREFIX}br0 in namespace ${VWT_PREFIX}-br, no STP,
#             no multicast snooping, ageing 0 (floods unicast like a hub, so
#             the observer also sees unicast ARP/ND replies).
#
# Only documentation prefixes are used (192.0.2.0/24, 198.51.100.0/24,
# 2001:db8::/32). Nothing touches the root namespace's interfaces or routes.
#
# Public functions (all prefixed vwt_):
#   vwt_require_root                  exit 0 with a message when not root
#   vwt_lab_init [MAX_SECONDS]        temp dir, lock, traps, watchdog
#   vwt_lab_cleanup                   idempotent teardown (installed as trap)
#   vwt_scenario_begin NAME [DESC]    reset the per-scenario state/timeline
#   vwt_lan_create N [VLAN_ID]        build the LAN with N hosts (a..)
#   vwt_lan_destroy                   stop everything, delete namespaces
#   vwt_host_ns|vwt_host_if|vwt_host_ip4|vwt_host_ip6|vwt_host_mac|
#   vwt_host_ll6 HOST                 print a host's attribute (HOST = a, b, ..)
#   vwt_ka_conf_begin HOST            start HOST's keepalived.conf
#   vwt_ka_script HOST NAME key=val.. add a vrrp_script block
#   vwt_ka_instance HOST NAME key=val.. add a vrrp_instance block
#   vwt_ka_start HOST                 start keepalived in HOST's namespace
#   vwt_ka_stop HOST [SIGNAL]         TERM (graceful, prio 0) or KILL (crash)
#   vwt_ka_wait_state HOST INST STATE [TIMEOUT] [AFTER_LINE]  wait for a state
#   vwt_ka_wait_log HOST REGEX [TIMEOUT] [AFTER_LINE]  wait for a log line
#   vwt_ka_log_lines HOST             line count of HOST's log (for AFTER_LINE)
#   vwt_host_deafen HOST / vwt_host_undeafen HOST  multicast flood off/on
#   vwt_capture_start NAME [FILTER]   tcpdump on the observer port
#   vwt_capture_stop                  stop it, move the pcap to $VWT_CAPTURE_DIR
#   vwt_at SECONDS                    sleep until capture start + SECONDS
#   vwt_event ACTION [HOST] [EPOCH]   append to the timeline (ISO µs time)
#   vwt_pcap_count FILE               packets in a pcap
#   vwt_events_write FILE [EXPECTED_JSON]  write the scenario's sidecar JSON
#   vwt_configs_save                  copy the scenario's keepalived.conf files to
#                                     $VWT_CAPTURE_DIR/configs/SCENARIO/NODE.conf
#   vwt_configs_only_mode             replace every lab action by a no-op, so a
#                                     scenario only writes its configs (no root)
#   vwt_log MSG                       human-readable progress to stderr
#
# Tunables (environment):
#   VWT_PREFIX       name prefix, must start with "vwt" (default vwt)
#   VWT_CAPTURE_DIR  where finished pcaps go (default: captures/ of the repo)
#   VWT_LOCK_WAIT    seconds to wait for another lab to finish (default 60)
#   VWT_KEEP_LOGS    if set, the temp dir is kept and printed at exit
#   VWT_LOCK         lock path serialising labs (default /run/lock/vwt-lab.lock;
#                    the lock is the directory $VWT_LOCK.d with the owner's pid)

export LC_ALL=C

VWT_PREFIX=${VWT_PREFIX:-vwt}
if [[ ! $VWT_PREFIX =~ ^vwt[a-z0-9]{0,6}$ ]]; then
  echo "VWT_PREFIX must match ^vwt[a-z0-9]{0,6}\$ (got '$VWT_PREFIX')" >&2
  exit 2
fi
VWT_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VWT_REPO_DIR=$(cd "$VWT_LIB_DIR/../.." && pwd)
VWT_CAPTURE_DIR=${VWT_CAPTURE_DIR:-$VWT_REPO_DIR/captures}
VWT_LOCK=${VWT_LOCK:-/run/lock/vwt-lab.lock}

VWT_BR_NS="${VWT_PREFIX}-br"
VWT_BRIDGE="${VWT_PREFIX}br0"
VWT_OBS_NS="${VWT_PREFIX}-obs"
VWT_OBS_IF="${VWT_PREFIX}-o0"
VWT_OBS_PORT="${VWT_PREFIX}-o1"
VWT_OBS_MAC="02:76:77:74:00:fe"
VWT_LETTERS=(a b c d e f g h)
# keepalived log lines kept in the sidecar: state changes, priority changes,
# script results, and the reasons adverts were rejected or acted upon.
# shellcheck disable=SC2016  # the backquotes are literal
VWT_KA_LOG_EVENTS='\([^)]+\) (Entering [A-Z]+ STATE|Receive advertisement timeout|Changing effective priority|received lower priority|Received advert|Master received|Backup received|received an invalid|advertisement interval mismatch|ip address associated|sent 0 priority|Invalid)|Script `[^`]*` now returning|VRRP_Script\(|: Stopping$|: Stopped Keepalived|: Starting Keepalived'
# Default capture filter: VRRP over v4/v6, ARP, ICMPv6 (ND), also when tagged.
VWT_DEFAULT_FILTER='ip proto 112 or ip6 proto 112 or arp or icmp6'

# ---- state (module globals) -------------------------------------------------
VWT_LAB_DIR=""          # temp dir for configs, logs, pid files, timeline
VWT_HOSTS=()            # letters of the hosts of the current LAN
VWT_VLAN=""             # VLAN id of the observer trunk ("" = untagged)
VWT_SCENARIO=""         # current scenario name
VWT_SCENARIO_DESC=""
VWT_CAP_PID=""          # tcpdump pid
VWT_CAP_NAME=""
VWT_CAP_FILTER=""
VWT_AUX_PIDS=()         # helper processes (log stampers, VLAN trunk)
VWT_WATCHDOG_PID=""
VWT_LOCK_HELD=0
VWT_CLEANED=0
VWT_SLEEP_PID=""
VWT_SC_DIR=""
VWT_CAP_T0=""

# ---- small helpers ----------------------------------------------------------

# vwt_log MSG... — progress message on stderr, prefixed with the time.
vwt_log() { printf '[lab %s] %s\n' "$(date -u +%H:%M:%S.%3N)" "$*" >&2; }

# vwt__iso EPOCH — "1732270803.123456" -> "2024-11-22T10:20:03.123456Z"
vwt__iso() {
  local s=${1%.*} u=${1#*.}
  [[ $1 == *.* ]] || u=0
  u=$(printf '%-6s' "$u"); u=${u// /0}
  printf '%s.%sZ' "$(date -u -d "@$s" +%Y-%m-%dT%H:%M:%S)" "${u:0:6}"
}

# vwt__index HOST — 1-based index of a host letter.
vwt__index() {
  local i
  for i in "${!VWT_LETTERS[@]}"; do
    [[ ${VWT_LETTERS[$i]} == "$1" ]] && { echo $((i + 1)); return 0; }
  done
  echo "unknown host '$1'" >&2; return 1
}

# Host attributes. HOST is the letter (a, b, ...).
vwt_host_ns()   { echo "${VWT_PREFIX}-$1"; }
vwt_host_if()   { echo "${VWT_PREFIX}-${1}0"; }
vwt_host_port() { echo "${VWT_PREFIX}-${1}1"; }
vwt_host_ip4()  { echo "192.0.2.$((10 + $(vwt__index "$1")))"; }
vwt_host_ip6()  { echo "2001:db8::$((10 + $(vwt__index "$1")))"; }
vwt_host_mac()  { printf '02:76:77:74:00:%02d\n' $((10 + $(vwt__index "$1"))); }
# vwt_host_ll6 HOST — the IPv6 link-local address the kernel gave the host.
vwt_host_ll6() {
  ip -n "$(vwt_host_ns "$1")" -j -6 addr show dev "$(vwt_host_if "$1")" scope link \
    | jq -r '[.[0].addr_info[]? | select(.scope == "link") | .local][0] // empty'
}

# vwt__ns_exists NS
vwt__ns_exists() { ip netns list | awk -v n="$1" '$1 == n { f = 1 } END { exit !f }'; }

# vwt__ns_kill_all NS — SIGKILL every process living in one of OUR lab
# namespaces (they were all started by this library), by pid.
vwt__ns_kill_all() {
  local pids
  vwt__ns_exists "$1" || return 0
  pids=$(ip netns pids "$1" 2>/dev/null || true)
  if [[ -n $pids ]]; then
    # shellcheck disable=SC2086  # one pid per word
    kill -9 $pids 2>/dev/null || true
  fi
}

# vwt__ns_delete NS — kill its processes and delete it (its veths go too).
vwt__ns_delete() {
  vwt__ns_exists "$1" || return 0
  vwt__ns_kill_all "$1"
  ip netns delete "$1" 2>/dev/null || true
}

# vwt__wait_until TIMEOUT_S CMD... — poll CMD every 50 ms until it succeeds.
vwt__wait_until() {
  local timeout=$1; shift
  local deadline=$(( ${EPOCHREALTIME/./} + ${timeout%.*} * 1000000 ))
  while ! "$@"; do
    (( ${EPOCHREALTIME/./} < deadline )) || return 1
    sleep 0.05
  done
}

# vwt__sleep_until EPOCH — sleep until an absolute wall-clock time.
vwt__sleep_until() {
  local now=${EPOCHREALTIME/./} target=${1/./}
  (( target > now )) || return 0
  vwt__sleep "$(printf '%d.%06d' $(( (target - now) / 1000000 )) $(( (target - now) % 1000000 )))"
}

# vwt__sleep SECONDS — an interruptible sleep: a signal trap runs at once
# instead of after the sleep (cleanup stays prompt on Ctrl-C / watchdog).
vwt__sleep() {
  sleep "$1" &
  VWT_SLEEP_PID=$!
  wait "$VWT_SLEEP_PID" || true
  VWT_SLEEP_PID=""
}

# ---- lab lifecycle ------------------------------------------------------------

# vwt_require_root — the lab needs CAP_NET_ADMIN + CAP_SYS_ADMIN (netns).
# Prints a one-line reason and exits 0 (a skip, not a failure) when not root.
vwt_require_root() {
  if [[ $(id -u) -ne 0 ]]; then
    echo "skipping: the lab needs root to create network namespaces"
    exit 0
  fi
  local t
  for t in ip bridge keepalived tcpdump jq stdbuf awk; do
    command -v "$t" >/dev/null || { echo "skipping: '$t' is not installed"; exit 0; }
  done
}

# vwt_lab_init [MAX_SECONDS] — create the temp dir, take the lab lock (one lab
# at a time on this machine, waits up to 60 s), install the cleanup trap and a
# watchdog that TERMs this script after MAX_SECONDS (default 900), and remove
# leftovers (vwt namespaces) of an earlier run that was SIGKILLed.
vwt_lab_init() {
  local max=${1:-900}
  VWT_LAB_DIR=$(mktemp -d /tmp/vwt-lab.XXXXXX)
  echo $$ > "$VWT_LAB_DIR/owner"
  trap 'vwt__on_exit' EXIT
  trap 'vwt__on_signal INT 130' INT
  trap 'vwt__on_signal TERM 143' TERM
  trap 'exec >/dev/null 2>&1; vwt__on_signal PIPE 141' PIPE
  vwt__lock_take "${VWT_LOCK_WAIT:-60}" || { echo "another vwt lab holds $VWT_LOCK; giving up" >&2; exit 1; }
  # Watchdog: bounded run time no matter what. It polls once a second and
  # exits by itself if this script is gone (e.g. SIGKILLed).
  local main=$$
  (
    end=$(( SECONDS + max ))
    while (( SECONDS < end )); do
      kill -0 "$main" 2>/dev/null || exit 0
      sleep 1
    done
    echo "[lab] watchdog: ${max}s elapsed, stopping" >&2
    kill -TERM "$main" 2>/dev/null
  ) &
  VWT_WATCHDOG_PID=$!
  # Remove leftovers of an earlier, killed run (we hold the lock, so they are
  # not in use by another lab).
  vwt__remove_stale
}

# The lab lock is a directory holding the owner's pid ($VWT_LOCK.d/pid), not
# a flock: a flock fd would be inherited by keepalived & co and outlive a
# SIGKILLed script. A lock whose owner is dead is taken over.
vwt__lock_take() {
  local timeout=$1 d="$VWT_LOCK.d" owner deadline=$(( SECONDS + $1 ))
  mkdir -p "$(dirname "$VWT_LOCK")"
  while :; do
    if mkdir "$d" 2>/dev/null; then
      echo $$ > "$d/pid"; VWT_LOCK_HELD=1; return 0
    fi
    owner=$(cat "$d/pid" 2>/dev/null || true)
    if [[ -n $owner ]] && ! kill -0 "$owner" 2>/dev/null; then
      vwt_log "taking over the lock of dead lab process $owner"
      rm -rf -- "$d"; continue
    fi
    (( SECONDS < deadline )) || return 1
    sleep 0.5
  done
}
vwt__lock_release() {
  (( VWT_LOCK_HELD )) || return 0
  [[ $(cat "$VWT_LOCK.d/pid" 2>/dev/null) == "$$" ]] && rm -rf -- "$VWT_LOCK.d"
  VWT_LOCK_HELD=0
}

vwt__remove_stale() {
  (( VWT_LOCK_HELD )) || return 0   # never touch namespaces we do not own
  local ns d owner
  for d in /tmp/vwt-lab.*; do       # temp dirs of SIGKILLed runs
    [[ -d $d && $d != "$VWT_LAB_DIR" && -f $d/owner ]] || continue
    owner=$(cat "$d/owner" 2>/dev/null || true)
    [[ -n $owner ]] && kill -0 "$owner" 2>/dev/null && continue
    rm -rf -- "$d"
  done
  for ns in $(ip netns list | awk '{print $1}'); do
    case $ns in
      "${VWT_PREFIX}-"[a-h]|"$VWT_OBS_NS"|"$VWT_BR_NS")
        vwt_log "removing stale namespace $ns"; vwt__ns_delete "$ns" ;;
    esac
  done
}

vwt__on_signal() {
  vwt_log "caught SIG$1, cleaning up"
  [[ -n ${VWT_SLEEP_PID:-} ]] && kill "$VWT_SLEEP_PID" 2>/dev/null
  trap - INT TERM PIPE
  exit "${2:-130}"
}

vwt__on_exit() {
  local rc=$?
  if (( rc != 0 )) && [[ -n ${VWT_SC_DIR:-} && -d ${VWT_SC_DIR:-/nonexistent} ]]; then
    vwt_log "failed (exit $rc) in scenario '$VWT_SCENARIO'; keepalived logs follow"
    local h
    for h in "${VWT_HOSTS[@]}"; do vwt__dump_log "$h"; done
  fi
  vwt_lab_cleanup
  exit "$rc"
}

# vwt_lab_cleanup — stop captures, keepalived and helpers, delete namespaces,
# the temp dir (unless VWT_KEEP_LOGS is set), the watchdog. Idempotent.
vwt_lab_cleanup() {
  (( VWT_CLEANED )) && return 0
  VWT_CLEANED=1
  local -
  set +e
  (( VWT_LOCK_HELD )) && vwt_lan_destroy
  if [[ -n $VWT_WATCHDOG_PID ]]; then
    kill -TERM "$VWT_WATCHDOG_PID" 2>/dev/null
    wait "$VWT_WATCHDOG_PID" 2>/dev/null || true
    VWT_WATCHDOG_PID=""
  fi
  if [[ -n $VWT_LAB_DIR && -d $VWT_LAB_DIR ]]; then
    if [[ -n ${VWT_KEEP_LOGS:-} ]]; then
      vwt_log "kept lab files in $VWT_LAB_DIR"
    else
      rm -rf -- "$VWT_LAB_DIR"
    fi
  fi
  vwt__lock_release
  return 0
}

# vwt_scenario_begin NAME [DESCRIPTION] — start a fresh timeline and a fresh
# per-scenario directory ($VWT_SC_DIR) for configs, logs and pid files.
vwt_scenario_begin() {
  VWT_SCENARIO=$1
  VWT_SCENARIO_DESC=${2:-}
  VWT_SC_DIR="$VWT_LAB_DIR/$1"
  rm -rf -- "$VWT_SC_DIR"
  mkdir -p "$VWT_SC_DIR"
  : > "$VWT_SC_DIR/timeline.jsonl"
  vwt_log "=== scenario $1"
}

# vwt_event ACTION [HOST] [EPOCH] — append {"time","action"[,"host"]} to the
# timeline. EPOCH (bash $EPOCHREALTIME format) defaults to now; pass the
# moment taken right before the action for best accuracy.
vwt_event() {
  local action=$1 host=${2:-} t=${3:-$EPOCHREALTIME}
  local iso; iso=$(vwt__iso "$t")
  jq -cn --arg time "$iso" --arg epoch "$t" --arg action "$action" \
     --arg host "${host:+$(vwt_host_ns "$host")}" \
     '{time:$time, epoch:($epoch|tonumber), action:$action} + (if $host=="" then {} else {host:$host} end)' \
     >> "$VWT_SC_DIR/timeline.jsonl"
  vwt_log "event: $action"
}

# ---- the LAN ---------------------------------------------------------------------

# vwt_lan_create N [VLAN_ID] — build the bridge, N hosts (a, b, ...) and the
# observer. With VLAN_ID the hosts sit on "access ports" of that VLAN and the
# observer port is a trunk: every frame a host sends is copied to the
# observer with an 802.1Q tag (VLAN_ID, PCP 0) by scripts/lab/vlan-trunk.py,
# because this kernel has neither the 8021q module nor bridge VLAN filtering.
vwt_lan_create() {
  local n=$1 vlan=${2:-}
  (( n >= 1 && n <= ${#VWT_LETTERS[@]} )) || { echo "1..8 hosts" >&2; return 1; }
  VWT_HOSTS=("${VWT_LETTERS[@]:0:n}")
  VWT_VLAN=$vlan
  vwt__remove_stale

  # Bridge namespace: silent (no IPv6, no addresses).
  ip netns add "$VWT_BR_NS"
  ip netns exec "$VWT_BR_NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  ip -n "$VWT_BR_NS" link set lo up
  ip -n "$VWT_BR_NS" link add "$VWT_BRIDGE" type bridge stp_state 0 forward_delay 0 \
     ageing_time 0 mcast_snooping 0
  ip -n "$VWT_BR_NS" link set "$VWT_BRIDGE" up

  # Observer namespace: a silent listener.
  ip netns add "$VWT_OBS_NS"
  ip netns exec "$VWT_OBS_NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  ip -n "$VWT_OBS_NS" link set lo up
  ip -n "$VWT_BR_NS" link add "$VWT_OBS_PORT" type veth peer name "$VWT_OBS_IF" netns "$VWT_OBS_NS"
  ip -n "$VWT_OBS_NS" link set "$VWT_OBS_IF" address "$VWT_OBS_MAC" arp off up
  if [[ -z $vlan ]]; then
    ip -n "$VWT_BR_NS" link set "$VWT_OBS_PORT" master "$VWT_BRIDGE"
  fi
  ip -n "$VWT_BR_NS" link set "$VWT_OBS_PORT" up

  local h ns ifc port
  for h in "${VWT_HOSTS[@]}"; do
    ns=$(vwt_host_ns "$h"); ifc=$(vwt_host_if "$h"); port=$(vwt_host_port "$h")
    ip netns add "$ns"
    # No DAD (addresses usable at once), no router solicitations (less noise).
    ip netns exec "$ns" sysctl -qw \
      net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
      net.ipv6.conf.default.dad_transmits=0 net.ipv6.conf.default.router_solicitations=0 \
      net.ipv6.conf.all.router_solicitations=0
    ip -n "$ns" link set lo up
    ip -n "$VWT_BR_NS" link add "$port" type veth peer name "$ifc" netns "$ns"
    ip -n "$ns" link set "$ifc" address "$(vwt_host_mac "$h")"
    ip -n "$VWT_BR_NS" link set "$port" master "$VWT_BRIDGE" up
    ip -n "$ns" addr add "$(vwt_host_ip4 "$h")/24" dev "$ifc"
    ip -n "$ns" addr add "$(vwt_host_ip6 "$h")/64" dev "$ifc" nodad
    ip -n "$ns" link set "$ifc" up
  done

  if [[ -n $vlan ]]; then
    local ports=()
    for h in "${VWT_HOSTS[@]}"; do ports+=("$(vwt_host_port "$h")"); done
    ip netns exec "$VWT_BR_NS" python3 "$VWT_LIB_DIR/vlan-trunk.py" \
      --vlan "$vlan" --trunk "$VWT_OBS_PORT" "${ports[@]}" \
      > "$VWT_SC_DIR/vlan-trunk.log" 2>&1 &
    VWT_AUX_PIDS+=($!)
    vwt__wait_until 5 grep -qs '^ready' "$VWT_SC_DIR/vlan-trunk.log" \
      || { cat "$VWT_SC_DIR/vlan-trunk.log" >&2; return 1; }
  fi
  # Wait for the IPv6 link-local addresses (used by keepalived for IPv6).
  for h in "${VWT_HOSTS[@]}"; do
    vwt__wait_until 5 vwt__has_ll6 "$h" || { echo "no link-local on $h" >&2; return 1; }
  done
  vwt_log "LAN up: ${#VWT_HOSTS[@]} hosts${vlan:+, observer trunk tagged VLAN $vlan}"
}

vwt__has_ll6() { [[ -n $(vwt_host_ll6 "$1") ]]; }

# vwt_lan_destroy — stop the capture (if any), kill keepalived on every host,
# stop helpers and delete all lab namespaces (this also deletes the bridge
# and every veth). Safe to call when nothing exists.
vwt_lan_destroy() {
  local -   # shell options (set +e below) are restored on return
  set +e
  [[ -n $VWT_CAP_PID ]] && vwt__capture_kill
  local h
  for h in "${VWT_HOSTS[@]}"; do vwt__ka_kill_quiet "$h"; done
  local p
  for p in "${VWT_AUX_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${VWT_AUX_PIDS[@]}"; do vwt__wait_pid "$p" 3 || kill -9 "$p" 2>/dev/null; done
  VWT_AUX_PIDS=()
  for h in "${VWT_HOSTS[@]}"; do vwt__ns_delete "$(vwt_host_ns "$h")"; done
  vwt__ns_delete "$VWT_OBS_NS"
  vwt__ns_delete "$VWT_BR_NS"
  vwt__remove_stale
  VWT_HOSTS=()
  VWT_VLAN=""
  return 0
}

# vwt__wait_pid PID TIMEOUT_S — wait for a child (or any process) to exit.
vwt__wait_pid() {
  local pid=$1 timeout=${2:-5}
  vwt__wait_until "$timeout" vwt__pid_gone "$pid" || return 1
  wait "$pid" 2>/dev/null
  return 0
}
vwt__pid_gone() { ! kill -0 "$1" 2>/dev/null; }

# vwt_host_deafen HOST — stop the bridge from flooding multicast to HOST's
# port: HOST no longer hears VRRP adverts (224.0.0.18 / ff02::12) but still
# sends, and still hears broadcast and unicast. vwt_host_undeafen HOST undoes it.
vwt_host_deafen() {
  local t=$EPOCHREALTIME
  ip netns exec "$VWT_BR_NS" bridge link set dev "$(vwt_host_port "$1")" mcast_flood off
  vwt_event "deafen $(vwt_host_ns "$1"): bridge port $(vwt_host_port "$1") mcast_flood off" "$1" "$t"
}
vwt_host_undeafen() {
  local t=$EPOCHREALTIME
  ip netns exec "$VWT_BR_NS" bridge link set dev "$(vwt_host_port "$1")" mcast_flood on
  vwt_event "undeafen $(vwt_host_ns "$1"): bridge port $(vwt_host_port "$1") mcast_flood on" "$1" "$t"
}

# ---- keepalived configuration -------------------------------------------------------------

# vwt_ka_conf_begin HOST — (re)start HOST's config with a global_defs block:
# router_id = the namespace name, script security on (scripts run as root),
# nothing that would reach for dbus, snmp or syslog.
vwt_ka_conf_begin() {
  local h=$1 f="$VWT_SC_DIR/$1.conf"
  : > "$VWT_SC_DIR/$h.instances.jsonl"
  : > "$VWT_SC_DIR/$h.scripts.jsonl"
  cat > "$f" <<EOF
# generated by scripts/lab/lib.sh for scenario $VWT_SCENARIO, host $(vwt_host_ns "$h")
global_defs {
  router_id $(vwt_host_ns "$h")
  enable_script_security
  script_user root
}
EOF
}

# vwt_ka_script HOST NAME script=CMD [interval=1] [weight=0] [fall=1] [rise=1]
# — add a vrrp_script block. CMD is a command line (quoted in the config).
vwt_ka_script() {
  local h=$1 name=$2; shift 2
  local script="" interval=1 weight=0 fall=1 rise=1 kv
  for kv in "$@"; do
    case $kv in
      script=*) script=${kv#*=} ;; interval=*) interval=${kv#*=} ;;
      weight=*) weight=${kv#*=} ;; fall=*) fall=${kv#*=} ;; rise=*) rise=${kv#*=} ;;
      *) echo "vwt_ka_script: unknown '$kv'" >&2; return 1 ;;
    esac
  done
  cat >> "$VWT_SC_DIR/$h.conf" <<EOF
vrrp_script $name {
  script "$script"
  interval $interval
  weight $weight
  fall $fall
  rise $rise
}
EOF
  jq -cn --arg name "$name" --arg script "$script" --argjson interval "$interval" \
     --argjson weight "$weight" --argjson fall "$fall" --argjson rise "$rise" \
     '{name:$name, script:$script, interval:$interval, weight:$weight, fall:$fall, rise:$rise}' \
     >> "$VWT_SC_DIR/$h.scripts.jsonl"
}

# vwt_ka_instance HOST NAME key=value... — add a vrrp_instance block on the
# host's lab interface. Keys:
#   vrid=N (required)  prio=N (100)  int=SECS (1)  version=2|3 (2)
#   family=4|6 (4; 6 implies version 3)  state=MASTER|BACKUP (BACKUP)
#   auth=PASSWORD (v2 auth_type PASS; empty = none)  nopreempt=0|1 (0)
#   vips="ADDR/LEN[,ADDR/LEN...]" (required)  track="SCRIPT[,SCRIPT...]"
#   garp_delay=SECS (keepalived default 5)
# Records the essentials for the events sidecar, including the RFC timers:
#   skew_time = (256-prio)*int/256 for v3, (256-prio)/256 for v2 (RFC 3768);
#   master_down_interval = 3*int + skew_time.
vwt_ka_instance() {
  local h=$1 name=$2; shift 2
  local vrid="" prio=100 int=1 version=2 family=4 state=BACKUP auth="" nopreempt=0 vips="" track="" garp_delay="" kv
  for kv in "$@"; do
    case $kv in
      vrid=*) vrid=${kv#*=} ;; prio=*) prio=${kv#*=} ;; int=*) int=${kv#*=} ;;
      version=*) version=${kv#*=} ;; family=*) family=${kv#*=} ;; state=*) state=${kv#*=} ;;
      auth=*) auth=${kv#*=} ;; nopreempt=*) nopreempt=${kv#*=} ;; vips=*) vips=${kv#*=} ;;
      track=*) track=${kv#*=} ;; garp_delay=*) garp_delay=${kv#*=} ;;
      *) echo "vwt_ka_instance: unknown '$kv'" >&2; return 1 ;;
    esac
  done
  [[ -n $vrid && -n $vips ]] || { echo "vwt_ka_instance: vrid= and vips= are required" >&2; return 1; }
  [[ $family == 6 ]] && version=3
  local f="$VWT_SC_DIR/$h.conf" v
  {
    echo "vrrp_instance $name {"
    echo "  state $state"
    echo "  interface $(vwt_host_if "$h")"
    echo "  virtual_router_id $vrid"
    echo "  priority $prio"
    echo "  advert_int $int"
    echo "  version $version"
    [[ $nopreempt == 1 ]] && echo "  nopreempt"
    [[ -n $garp_delay ]] && echo "  garp_master_delay $garp_delay"
    if [[ -n $auth ]]; then
      echo "  authentication {"
      echo "    auth_type PASS"
      echo "    auth_pass $auth"
      echo "  }"
    fi
    echo "  virtual_ipaddress {"
    for v in ${vips//,/ }; do echo "    $v"; done
    echo "  }"
    if [[ -n $track ]]; then
      echo "  track_script {"
      for v in ${track//,/ }; do echo "    $v"; done
      echo "  }"
    fi
    echo "}"
  } >> "$f"
  jq -cn --arg name "$name" --argjson vrid "$vrid" --argjson prio "$prio" \
     --argjson int "$int" --argjson version "$version" --argjson family "$family" \
     --arg state "$state" --arg auth "$auth" --argjson nopreempt "$nopreempt" \
     --arg vips "$vips" --arg track "$track" --arg garp "$garp_delay" '
     (if $version == 3 then ((256 - $prio) * $int / 256) else ((256 - $prio) / 256) end) as $skew
     | {name:$name, vrid:$vrid, priority:$prio, advert_int:$int, version:$version,
        family:(if $family == 6 then "ipv6" else "ipv4" end), initial_state:$state,
        auth:(if $auth == "" then {type:"none"} else {type:"PASS", password:$auth} end),
        vips:($vips | split(",")), nopreempt:($nopreempt == 1),
        track_scripts:(if $track == "" then [] else ($track | split(",")) end),
        skew_time_s:$skew, master_down_interval_s:(3 * $int + $skew)}
     + (if $garp == "" then {} else {garp_master_delay:($garp|tonumber)} end)' \
     >> "$VWT_SC_DIR/$h.instances.jsonl"
}

# ---- keepalived processes ------------------------------------------------------------------

# vwt_ka_start HOST — start keepalived (VRRP only, no fork, console log,
# detailed log, no syslog) in HOST's namespace with $VWT_SC_DIR/HOST.conf.
# Its output goes, each line prefixed with $EPOCHREALTIME, to
# $VWT_SC_DIR/HOST.log (appended, so a restart keeps the earlier lines).
vwt_ka_start() {
  local h=$1 ns; ns=$(vwt_host_ns "$h")
  local d=$VWT_SC_DIR
  rm -f "$d/$h.pid" "$d/$h-vrrp.pid"
  if ! ip netns exec "$ns" keepalived -t -f "$d/$h.conf" > "$d/$h.conftest" 2>&1; then
    cat "$d/$h.conftest" >&2; echo "config test failed for $h" >&2; return 1
  fi
  local t=$EPOCHREALTIME
  # A subshell, so that bash never reports the SIGKILLed pipeline; it ends
  # when keepalived does (the stamper sees EOF).
  ( ip netns exec "$ns" stdbuf -oL -eL keepalived -n -l -D -G -P -R \
      -f "$d/$h.conf" -p "$d/$h.pid" -r "$d/$h-vrrp.pid" 2>&1 \
    | vwt__stamp >> "$d/$h.log" ) 2>/dev/null &
  VWT_AUX_PIDS+=($!)
  vwt_event "start keepalived on $ns" "$h" "$t"
  vwt__wait_until 10 test -s "$d/$h-vrrp.pid" \
    || { vwt__dump_log "$h"; echo "keepalived did not start on $h" >&2; return 1; }
}

# vwt__stamp — prefix each stdin line with "$EPOCHREALTIME ".
vwt__stamp() {
  local line
  while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done
}

# vwt_ka_stop HOST [SIGNAL] — SIGNAL TERM (default): graceful stop, the VRRP
# child sends a priority-0 advert and drops its VIPs. KILL: a crash — the
# VRRP child (the process that talks VRRP) and the parent are SIGKILLed in
# one kill(1) call (we also run keepalived with -R, so a parent that lived a
# moment longer would not respawn the child); the VIPs stay configured on the
# dead host's interface, like after a real crash. The timeline gets an entry
# stamped just before the signal is sent.
vwt_ka_stop() {
  local h=$1 sig=${2:-TERM} d=$VWT_SC_DIR ns; ns=$(vwt_host_ns "$h")
  local parent child t
  parent=$(cat "$d/$h.pid" 2>/dev/null || true)
  child=$(cat "$d/$h-vrrp.pid" 2>/dev/null || true)
  [[ -n $parent ]] || { echo "keepalived not running on $h" >&2; return 1; }
  t=$EPOCHREALTIME
  if [[ $sig == KILL ]]; then
    kill -KILL ${child:+"$child"} "$parent" 2>/dev/null || true
    vwt_event "kill -9 keepalived on $ns (vrrp child ${child:-?}, parent $parent)" "$h" "$t"
  else
    kill "-$sig" "$parent"
    vwt_event "kill -$sig keepalived on $ns (parent $parent)" "$h" "$t"
  fi
  vwt__wait_until 10 vwt__pid_gone "$parent" || { kill -9 "$parent" 2>/dev/null || true; }
  [[ -n $child ]] && { vwt__wait_until 5 vwt__pid_gone "$child" || kill -9 "$child" 2>/dev/null || true; }
  rm -f "$d/$h.pid" "$d/$h-vrrp.pid"
}

# vwt__ka_kill_quiet HOST — cleanup path: SIGKILL without timeline entries.
vwt__ka_kill_quiet() {
  local h=$1 f p
  [[ -n $VWT_SC_DIR ]] || return 0
  for f in "$VWT_SC_DIR/$h-vrrp.pid" "$VWT_SC_DIR/$h.pid"; do
    p=$(cat "$f" 2>/dev/null || true)
    [[ -n $p ]] && kill -9 "$p" 2>/dev/null
    rm -f "$f"
  done
  return 0
}

# vwt_ka_wait_log HOST REGEX [TIMEOUT] [AFTER_LINE] — wait until HOST's
# keepalived log has a line matching the extended REGEX after line number
# AFTER_LINE (default 0: anywhere; the log spans restarts, so pass
# $(vwt_ka_log_lines HOST) taken before an action to see only what follows).
# Returns 1 on timeout.
vwt_ka_wait_log() {
  local h=$1 re=$2 timeout=${3:-10} after=${4:-0}
  vwt__wait_until "$timeout" vwt__log_has_after "$h" "$re" "$after"
}

# vwt_ka_wait_state HOST INSTANCE STATE [TIMEOUT] [AFTER_LINE]
# — wait for "(INSTANCE) Entering STATE STATE" in HOST's log, counting only
# lines after line number AFTER_LINE (default 0; see vwt_ka_log_lines).
# On timeout, prints the log and returns 1.
vwt_ka_wait_state() {
  local h=$1 inst=$2 state=$3 timeout=${4:-10} after=${5:-0}
  if ! vwt__wait_until "$timeout" vwt__log_has_after "$h" "\\($inst\\) Entering $state STATE" "$after"; then
    vwt__dump_log "$h"
    echo "timeout: $h/$inst did not enter $state within ${timeout}s" >&2
    return 1
  fi
}
# (awk, not tail | grep -q: with pipefail an early grep exit fails the pipe)
vwt__log_has_after() {
  awk -v n="$3" -v re="$2" 'NR > n && $0 ~ re { f = 1 } END { exit !f }' "$VWT_SC_DIR/$1.log" 2>/dev/null
}

# vwt_ka_log_lines HOST — current number of lines in HOST's keepalived log.
vwt_ka_log_lines() { wc -l < "$VWT_SC_DIR/$1.log" 2>/dev/null || echo 0; }

vwt__dump_log() {
  echo "---- keepalived log of $(vwt_host_ns "$1") ----" >&2
  tail -n 60 "$VWT_SC_DIR/$1.log" >&2 2>/dev/null || true
  echo "----" >&2
}

# ---- capture --------------------------------------------------------------------------------

# vwt_capture_start NAME [FILTER] — run tcpdump (pcap, packet-buffered) on
# the observer interface, writing $VWT_SC_DIR/NAME.pcap. FILTER defaults to
# VRRP + ARP + ICMPv6; it is also applied to 802.1Q-tagged frames.
vwt_capture_start() {
  local name=$1 filter=${2:-$VWT_DEFAULT_FILTER}
  VWT_CAP_NAME=$name
  VWT_CAP_FILTER="($filter) or (vlan and ($filter))"
  # t0 = the moment tcpdump is launched: every captured packet is later.
  local t=$EPOCHREALTIME
  ip netns exec "$VWT_OBS_NS" tcpdump -i "$VWT_OBS_IF" -nn -U -Z root -s 0 \
     -w "$VWT_SC_DIR/$name.pcap" "$VWT_CAP_FILTER" > "$VWT_SC_DIR/tcpdump.log" 2>&1 &
  VWT_CAP_PID=$!
  if ! vwt__wait_until 5 grep -qs 'listening on' "$VWT_SC_DIR/tcpdump.log"; then
    cat "$VWT_SC_DIR/tcpdump.log" >&2; echo "tcpdump did not start" >&2; return 1
  fi
  VWT_CAP_T0=$t
  vwt_event "capture started on $VWT_OBS_NS/$VWT_OBS_IF" "" "$t"
}

# vwt_capture_stop — stop tcpdump (SIGINT, it flushes) and copy the pcap to
# $VWT_CAPTURE_DIR/NAME.pcap (only finished captures land there). Logs the
# packet count.
vwt_capture_stop() {
  local t=$EPOCHREALTIME
  vwt_event "capture stopped" "" "$t"
  vwt__capture_kill
  mkdir -p "$VWT_CAPTURE_DIR"
  cp -f "$VWT_SC_DIR/$VWT_CAP_NAME.pcap" "$VWT_CAPTURE_DIR/$VWT_CAP_NAME.pcap"
  chmod 0644 "$VWT_CAPTURE_DIR/$VWT_CAP_NAME.pcap"
  vwt_log "wrote $VWT_CAPTURE_DIR/$VWT_CAP_NAME.pcap ($(vwt_pcap_count "$VWT_CAPTURE_DIR/$VWT_CAP_NAME.pcap") packets)"
}

vwt__capture_kill() {
  [[ -n $VWT_CAP_PID ]] || return 0
  kill -INT "$VWT_CAP_PID" 2>/dev/null
  vwt__wait_pid "$VWT_CAP_PID" 5 || { kill -9 "$VWT_CAP_PID" 2>/dev/null; wait "$VWT_CAP_PID" 2>/dev/null; }
  VWT_CAP_PID=""
  return 0
}

# vwt_at SECONDS — sleep until SECONDS (decimal) after the capture started.
vwt_at() {
  local us; us=$(awk -v t="$VWT_CAP_T0" -v s="$1" 'BEGIN { printf "%.6f", t + s }')
  vwt__sleep_until "$us"
}

# vwt_pcap_count FILE — number of packets in a pcap.
vwt_pcap_count() { tcpdump -nn -r "$1" 2>/dev/null | wc -l; }

# ---- the sidecar --------------------------------------------------------------------------------

# vwt_events_write FILE [EXPECTED_JSON] — write the scenario's sidecar:
# scenario, description, capture file, keepalived version, LAN, hosts (name,
# interface, IPv4/IPv6/link-local, MAC, router_id, keepalived instances and
# scripts), the action timeline and the keepalived log lines that mark state
# or priority changes (observed, with the time the line was read).
# EXPECTED_JSON (optional) is stored verbatim under "expected".
vwt_events_write() {
  local out=$1 expected=${2:-null}
  local h hosts="$VWT_SC_DIR/hosts.jsonl" kalog="$VWT_SC_DIR/kalog.jsonl"
  : > "$hosts"; : > "$kalog"
  for h in "${VWT_HOSTS[@]}"; do
    jq -cn --arg name "$(vwt_host_ns "$h")" --arg ifname "$(vwt_host_if "$h")" \
       --arg ip4 "$(vwt_host_ip4 "$h")" --arg ip6 "$(vwt_host_ip6 "$h")" \
       --arg ll6 "$(vwt_host_ll6 "$h")" \
       --arg mac "$(ip -n "$(vwt_host_ns "$h")" -j link show dev "$(vwt_host_if "$h")" | jq -r '.[0].address')" \
       --slurpfile inst "$VWT_SC_DIR/$h.instances.jsonl" \
       --slurpfile scr "$VWT_SC_DIR/$h.scripts.jsonl" \
       '{name:$name, interface:$ifname, ipv4:$ip4, ipv6:$ip6, ipv6_link_local:$ll6, mac:$mac,
         keepalived: {router_id:$name, instances:$inst, scripts:$scr}}' >> "$hosts"
    if [[ -f $VWT_SC_DIR/$h.log ]]; then
      { grep -E "$VWT_KA_LOG_EVENTS" "$VWT_SC_DIR/$h.log" 2>/dev/null || true; } \
      | while read -r ep line; do
          jq -cn --arg time "$(vwt__iso "$ep")" --arg epoch "$ep" --arg host "$(vwt_host_ns "$h")" --arg line "$line" \
             '{time:$time, epoch:($epoch|tonumber), host:$host, line:$line}'
        done >> "$kalog"
    fi
  done
  local kv; kv=$(keepalived --version 2>&1 | sed -n 1p)
  jq -n --arg scenario "$VWT_SCENARIO" --arg desc "$VWT_SCENARIO_DESC" \
     --arg capture "$VWT_SCENARIO.pcap" --arg kv "$kv" --arg filter "$VWT_CAP_FILTER" \
     --arg vlan "$VWT_VLAN" --arg obs "$VWT_OBS_NS" --arg obsif "$VWT_OBS_IF" \
     --arg obsmac "$VWT_OBS_MAC" --arg t0 "$VWT_CAP_T0" --arg bridge "$VWT_BRIDGE" \
     --slurpfile hosts "$hosts" --slurpfile tl "$VWT_SC_DIR/timeline.jsonl" \
     --slurpfile kalog "$kalog" --argjson expected "$expected" '
     ($t0 | tonumber) as $t0
     | {scenario:$scenario, description:$desc, capture:$capture, keepalived_version:$kv,
        lan:{ipv4:"192.0.2.0/24", ipv6:"2001:db8::/64",
             bridge:($bridge + " (no STP, no multicast snooping, ageing 0: floods like a hub)"),
             vlan:(if $vlan == "" then null else ($vlan|tonumber) end),
             observer:{name:$obs, interface:$obsif, mac:$obsmac, silent:true},
             capture_filter:$filter},
        hosts:$hosts,
        timeline:[ $tl[] | . + {t_rel_s: (((.epoch - $t0) * 1000000 | round) / 1000000)} | del(.epoch) ],
        keepalived_log:[ $kalog[] | . + {t_rel_s: (((.epoch - $t0) * 1000000 | round) / 1000000)} | del(.epoch) ],
        expected:$expected}' > "$out"
  vwt_log "wrote $out"
}

# ---- the configs beside the captures ------------------------------------------------

# The lab's temp dir appears in configs (a track script's flag file); shipped
# configs show it as this fixed path, the only change from what keepalived read.
VWT_CONFIGS_LAB_DIR=/tmp/vwt-lab

# vwt_configs_save — copy each host's keepalived.conf of the current scenario
# to $VWT_CAPTURE_DIR/configs/SCENARIO/NODE.conf (NODE = the namespace name,
# which is also the config's router_id), the lab's temp dir written as
# $VWT_CONFIGS_LAB_DIR. issue 12's --config tests read them with the captures.
vwt_configs_save() {
  local h out="$VWT_CAPTURE_DIR/configs/$VWT_SCENARIO"
  rm -rf -- "$out"
  mkdir -p "$out"
  for h in "${VWT_HOSTS[@]}"; do
    [[ -f $VWT_SC_DIR/$h.conf ]] || continue
    sed "s|$VWT_LAB_DIR|$VWT_CONFIGS_LAB_DIR|g" "$VWT_SC_DIR/$h.conf" > "$out/$(vwt_host_ns "$h").conf"
  done
  vwt_log "wrote $out"
}

# vwt_configs_only_mode — redefine every function that touches namespaces,
# processes or time as a no-op, so a scenario function writes exactly the
# configs it would write in the lab, and nothing else. Needs no root.
vwt_configs_only_mode() {
  VWT_LAB_DIR=$(mktemp -d /tmp/vwt-configs.XXXXXX)
  trap 'rm -rf -- "$VWT_LAB_DIR"' EXIT
  vwt_require_root() { :; }
  vwt_lab_init() { :; }
  vwt_lan_create() { VWT_HOSTS=("${VWT_LETTERS[@]:0:$1}"); VWT_VLAN=${2:-}; }
  vwt_lan_destroy() { VWT_HOSTS=(); }
  vwt_ka_start() { :; }
  vwt_ka_stop() { :; }
  vwt_ka_wait_state() { :; }
  vwt_ka_wait_log() { :; }
  vwt_ka_log_lines() { echo 0; }
  vwt__log_has_after() { return 1; }
  vwt_host_deafen() { :; }
  vwt_host_undeafen() { :; }
  vwt_capture_start() { :; }
  vwt_capture_stop() { :; }
  vwt_at() { :; }
  vwt_event() { :; }
  vwt_events_write() { :; }
  vwt__sleep_until() { :; }
}
