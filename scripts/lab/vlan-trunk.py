#!/usr/bin/env python3
"""Emulate an 802.1Q trunk port for the vwt lab (see lib.sh, vwt_lan_create).

The lab kernel has neither the 8021q module nor bridge VLAN filtering, so the
"switch" cannot tag frames itself. This helper runs in the bridge namespace:
every frame that a host sends into its access port (the bridge-side end of its
veth) is copied, with an 802.1Q tag inserted (TPID 0x8100, PCP 0, DEI 0,
VID = --vlan), out of the trunk interface (the observer's bridge-side veth,
which is not a bridge member in this mode). Frames the bridge sends *to* the
hosts are not copied, so each frame appears on the trunk exactly once.

Usage: vlan-trunk.py --vlan VID --trunk IFNAME ACCESS_IF [ACCESS_IF...]
Prints "ready" once all sockets are bound; runs until SIGTERM/SIGINT.
"""
import argparse
import select
import signal
import socket
import struct
import sys

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--vlan", type=int, required=True)
    ap.add_argument("--trunk", required=True)
    ap.add_argument("ports", nargs="+")
    args = ap.parse_args()
    if not 1 <= args.vlan <= 4094:
        print("VLAN id must be 1..4094", file=sys.stderr)
        return 2
    tag = struct.pack("!HH", 0x8100, args.vlan & 0x0FFF)

    trunk = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    trunk.bind((args.trunk, 0))
    socks = []
    for port in args.ports:
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        s.bind((port, ETH_P_ALL))
        s.setblocking(False)
        socks.append(s)

    running = True

    def stop(_sig, _frm):
        nonlocal running
        running = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print("ready", flush=True)
    copied = 0
    while running:
        try:
            readable, _, _ = select.select(socks, [], [], 0.5)
        except InterruptedError:
            continue
        for s in readable:
            while True:
                try:
                    frame, addr = s.recvfrom(65535)
                except BlockingIOError:
                    break
                if addr[2] == PACKET_OUTGOING or len(frame) < 14:
                    continue
                trunk.send(frame[:12] + tag + frame[12:])
                copied += 1
    print(f"stopped after {copied} frames", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
