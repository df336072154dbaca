#!/usr/bin/env python3
"""A service manager's notify socket, for the service test.

notify_listen.py SOCKET IFNAME CONTROL_SOCKET OUT SECONDS: binds the
datagram socket SOCKET (what systemd passes as NOTIFY_SOCKET) and writes one
line to OUT per message received, each assignment of the message followed by
whether, at that moment, the interface IFNAME is up with an IPv4 address and
a route, and the control socket exists:

    READY=1 interface=yes control=yes

Run it in the daemon's namespace (the interface is looked up there). Ends
after STOPPING=1 or SECONDS.
"""
import os
import socket
import subprocess
import sys
import time


def ip(*args):
    return subprocess.run(["ip", "-o", *args], capture_output=True, text=True).stdout


def interface_ready(ifname):
    link = ip("link", "show", "dev", ifname)
    return ("state UP" in link or ",UP" in link) and " inet " in ip("addr", "show", "dev", ifname) \
        and ip("route", "show", "dev", ifname).strip() != ""


def exists(ifname, control):
    iface = interface_ready(ifname)
    return f"interface={'yes' if iface else 'no'} control={'yes' if os.path.exists(control) else 'no'}"


def main():
    path, ifname, control, out, seconds = sys.argv[1:6]
    deadline = time.monotonic() + float(seconds)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    with open(out, "w", buffering=1) as log:
        while time.monotonic() < deadline:
            sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                message = sock.recv(4096).decode(errors="replace")
            except socket.timeout:
                break
            state = exists(ifname, control)
            for assignment in message.split("\n"):
                if assignment:
                    log.write(f"{assignment} {state}\n")
            if "STOPPING=1" in message.split("\n"):
                break


if __name__ == "__main__":
    main()
