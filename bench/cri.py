#!/usr/bin/python3
"""bench/cri.py N LABEL=SOCKET...: CRI RunPodSandbox, StopPodSandbox and
RemovePodSandbox on each containerd in turn (the order rotating each cycle),
N cycles after one warm-up cycle each.  Prints one line per LABEL and call:
"LABEL CALL MEDIAN_MS MIN_MS MAX_MS FAILED" (medians of the calls that
succeeded; FAILED counts the others, each error on stderr)."""
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "cri"))
import cri  # noqa: E402


def timed(fn, *args):
    """(seconds, result), or (None, None) when the call failed"""
    t0 = time.monotonic()
    try:
        r = fn(*args)
    except cri.CRIError as e:
        sys.stderr.write("bench/cri.py: %s\n" % e)
        return None, None
    return time.monotonic() - t0, r


def cycle(c, name):
    run, pid = timed(c.runp, name)
    if pid is None:
        return (None, None, None)
    stop, _ = timed(c.stopp, pid)
    rm, _ = timed(c.rmp, pid)
    return (run, stop, rm)


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
            v = [t[j] * 1000 for t in times[label] if t[j] is not None]
            failed = len(times[label]) - len(v)
            if v:
                print("%s %s %.1f %.1f %.1f %d" % (label, call, statistics.median(v), min(v),
                                                   max(v), failed))
            else:
                print("%s %s - - - %d" % (label, call, failed))


if __name__ == "__main__":
    main()
