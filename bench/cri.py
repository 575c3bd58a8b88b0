#!/usr/bin/python3
"""bench/cri.py N LABEL=SOCKET...: CRI RunPodSandbox, StopPodSandbox and
RemovePodSandbox on each containerd in turn (the order rotating each cycle),
N cycles after one warm-up cycle each.  Prints one line per LABEL and call:
"LABEL CALL MEDIAN_MS MIN_MS MAX_MS"."""
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "cri"))
import cri  # noqa: E402


def cycle(c, name):
    t0 = time.monotonic()
    pid = c.runp(name)
    t1 = time.monotonic()
    c.stopp(pid)
    t2 = time.monotonic()
    c.rmp(pid)
    t3 = time.monotonic()
    return (t1 - t0, t2 - t1, t3 - t2)


def main():
    n = int(sys.argv[1])
    engines = [a.split("=", 1) for a in sys.argv[2:]]
    clients = {label: cri.Client(sock) for label, sock in engines}
    times = {label: [] for label, _ in engines}
    for label, _ in engines:
        cycle(clients[label], "warm-" + label)
    for i in range(n):
        k = i % len(engines)
        for label, _ in engines[k:] + engines[:k]:
            times[label].append(cycle(clients[label], "b%d-%s" % (i, label)))
    for label, _ in engines:
        for j, call in enumerate(("RunPodSandbox", "StopPodSandbox", "RemovePodSandbox")):
            v = [t[j] * 1000 for t in times[label]]
            print("%s %s %.1f %.1f %.1f" % (label, call, statistics.median(v), min(v), max(v)))


if __name__ == "__main__":
    main()
