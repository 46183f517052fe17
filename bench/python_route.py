#!/usr/bin/env python3
"""The Python route that `wenshu bench` compares itself with.

A technical user without wenshu would loop over records with the official Typst binding
(`pip install typst`). `wenshu bench` exports its own templates, fonts and the very records it
rendered into a folder (see `src/bench/python.rs`) and runs this script once per workload and
mode, so both sides do the same documents:

  compile   per record `typst.compile(...)`: fonts are scanned and the templates parsed each time
  compiler  one reused `typst.Compiler`, records passed as `sys.inputs`
  pool      a process pool with one reused Compiler per core

Prints one JSON object: docs, wall seconds, docs/s, median and p95 ms/doc, peak RSS in MiB.
Run by hand: python3 bench/python_route.py DIR WORKLOAD MODE [--limit N]
"""

import argparse
import json
import os
import resource
import sys
import time
from multiprocessing import Pool

import typst

_compiler = None
_out_dir = None


def _hwm_mib():
    """Peak resident memory of this process (VmHWM). Not ru_maxrss: on Linux that survives
    exec, so it would report the memory of the process that started this script."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _cpu_s():
    """CPU seconds of this process and its finished children."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _init(root, fonts, main, out_dir):
    global _compiler, _out_dir
    _compiler = typst.Compiler(
        os.path.join(root, main), root=root, font_paths=[fonts], ignore_system_fonts=True
    )
    _out_dir = out_dir


def _render(job):
    i, data = job
    t = time.perf_counter()
    pdf = _compiler.compile(format="pdf", sys_inputs={"data": data})
    with open(os.path.join(_out_dir, "py-%d.pdf" % i), "wb") as f:
        f.write(pdf)
    return time.perf_counter() - t, _hwm_mib()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", help="folder exported by `wenshu bench`")
    ap.add_argument("workload")
    ap.add_argument("mode", choices=["compile", "compiler", "pool"])
    ap.add_argument("--limit", type=int, default=0, help="render at most N records")
    ap.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()

    root = os.path.join(args.dir, "root")
    fonts = os.path.join(args.dir, "fonts")
    with open(os.path.join(args.dir, "workloads.json"), encoding="utf-8") as f:
        workload = next(w for w in json.load(f) if w["name"] == args.workload)
    main_typ = workload["main"]
    records = workload["records"]
    if args.limit:
        records = records[: args.limit]
    out_dir = os.path.join(args.dir, "out")
    os.makedirs(out_dir, exist_ok=True)
    jobs = list(enumerate(records))

    if args.mode == "compile":
        latencies = []
        cpu0 = _cpu_s()
        start = time.perf_counter()
        for i, data in jobs:
            t = time.perf_counter()
            pdf = typst.compile(
                os.path.join(root, main_typ),
                root=root,
                font_paths=[fonts],
                ignore_system_fonts=True,
                format="pdf",
                sys_inputs={"data": data},
            )
            with open(os.path.join(out_dir, "py-%d.pdf" % i), "wb") as f:
                f.write(pdf)
            latencies.append(time.perf_counter() - t)
        wall = time.perf_counter() - start
        rss = _hwm_mib()
    elif args.mode == "compiler":
        _init(root, fonts, main_typ, out_dir)
        _render(jobs[0])  # warm-up, as wenshu warms up before timing
        cpu0 = _cpu_s()
        start = time.perf_counter()
        latencies = [_render(j)[0] for j in jobs]
        wall = time.perf_counter() - start
        rss = _hwm_mib()
    else:
        # Workers' CPU time is known once they have exited (warm-up included).
        cpu0 = _cpu_s()
        with Pool(args.processes, initializer=_init, initargs=(root, fonts, main_typ, out_dir)) as pool:
            # Warm every worker's Compiler before timing.
            pool.map(_render, [jobs[0]] * args.processes, chunksize=1)
            start = time.perf_counter()
            results = pool.map(_render, jobs, chunksize=4)
            wall = time.perf_counter() - start
        latencies = [t for t, _ in results]
        # The largest worker (each holds its own fonts and caches).
        rss = max(m for _, m in results)

    latencies.sort()
    pick = lambda q: latencies[round((len(latencies) - 1) * q)] * 1000.0 if latencies else 0.0
    json.dump(
        {
            "workload": args.workload,
            "mode": args.mode,
            "docs": len(latencies),
            "wall_s": wall,
            "docs_per_s": len(latencies) / wall if wall > 0 else 0.0,
            "median_ms": pick(0.5),
            "p95_ms": pick(0.95),
            "peak_rss_mib": rss,
            # CPU seconds over wall seconds: above 1 where Typst itself runs on several cores.
            "cores_used": (_cpu_s() - cpu0) / wall if wall > 0 else 0.0,
        },
        sys.stdout,
    )
    print()


if __name__ == "__main__":
    main()
