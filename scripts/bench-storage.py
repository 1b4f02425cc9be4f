#!/usr/bin/python3
"""NBD throughput of one export: sequential and 4 KiB random reads and writes with libnbd.

Usage: bench-storage.py URI SIZE_BYTES [--seq-mib N] [--random-ops N] [--depth D] [--json]

Sequential: N MiB in 1 MiB requests; random: N requests of 4 KiB at 4 KiB-aligned random
offsets; D requests in flight. Every write workload ends with a flush, and its time includes
it, so a server that acknowledges before the data is durable pays for durability there.
"""
import argparse
import json
import os
import random
import time

import nbd  # Debian python3-libnbd (/usr/bin/python3)


def workload(uri, size, block, count, depth, write, sequential):
    h = nbd.NBD()
    h.connect_uri(uri)
    buf = nbd.Buffer.from_bytearray(bytearray(os.urandom(block)))
    slots = size // block
    rng = random.Random(1)
    offsets = [(i % slots) * block for i in range(count)] if sequential else [rng.randrange(slots) * block for _ in range(count)]
    done = [0]

    def completed(err):
        if err.value != 0:
            raise RuntimeError(f"request failed: {err}")
        done[0] += 1
        return 1

    start = time.monotonic()
    i = 0
    while i < count or h.aio_in_flight() > 0:
        while i < count and h.aio_in_flight() < depth:
            if write:
                h.aio_pwrite(buf, offsets[i], completion=completed)
            else:
                h.aio_pread(buf, offsets[i], completion=completed)
            i += 1
        h.poll(-1)
    if write:
        h.flush()
    elapsed = time.monotonic() - start
    h.shutdown()
    assert done[0] == count
    return {"seconds": elapsed, "MiBps": count * block / elapsed / 2**20, "iops": count / elapsed}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("uri")
    p.add_argument("size", type=int)
    p.add_argument("--seq-mib", type=int, default=64)
    p.add_argument("--random-ops", type=int, default=4000)
    p.add_argument("--depth", type=int, default=16)
    args = p.parse_args()
    results = {}
    for name, block, count, write, seq in [
        ("seq-write", 1 << 20, args.seq_mib, True, True),
        ("seq-read", 1 << 20, args.seq_mib, False, True),
        ("rand-write-4k", 4096, args.random_ops, True, False),
        ("rand-read-4k", 4096, args.random_ops, False, False),
    ]:
        results[name] = workload(args.uri, args.size, block, count, args.depth if not seq else 8, write, seq)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
