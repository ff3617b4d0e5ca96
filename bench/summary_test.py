#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit test of bench/summary.py on made-up board output (TAP). Installed
by the Makefile as build/unit/bench_summary_test, so `make test` runs it.
"""
import contextlib
import io
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
import summary  # noqa: E402

N = 0
FAILED = 0


def check(desc, expected, actual):
    global N, FAILED
    N += 1
    if expected == actual:
        print("ok %d - %s" % (N, desc))
    else:
        FAILED += 1
        print("not ok %d - %s" % (N, desc))
        print("# expected %r, got %r" % (expected, actual))


def bench(boot, cfg, run, name, med, mn=None, p99=None, samples=256,
          batch=64):
    mn = med if mn is None else mn
    p99 = med if p99 is None else p99
    return ("boot=%s BENCH cfg=%s run=%d device=x name=%s samples=%d "
            "batch=%d cntfrq=62500000 min_ps=%d median_ps=%d mean_ps=%d "
            "p99_ps=%d" % (boot, cfg, run, name, samples, batch, mn * 1000,
                           med * 1000, med * 1000, p99 * 1000))


def boot_meta(bid, view, hyp, mode, short, cfgs):
    column = "split-a57" if hyp == "splitvisor" else "kvm-nvhe-a57"
    return {"id": bid, "view": view, "column": column,
            "board": "b", "cpu": "cortex-a57", "gic": "3",
            "hypervisor": hyp, "mode": mode, "short": short,
            "label": short, "cfgs": cfgs, "table_cfgs": cfgs,
            "append": "-", "kernel": "6.1"}


def main():
    raw = [
        "boot=icount-sv BENCHCFG cfg=vgic device=splitvisor unavailable "
        "reason=splitvm: KVM_CREATE_DEVICE: Invalid argument",
        "boot=icount-sv BENCHCFG cfg=novgic device=splitvisor gic=v3",
        "boot=icount-sv START kernel=6.1.0-1-arm64 cpus=1",
        "boot=icount-sv EXITS cfg=novgic run=0 device=x name=_baseline "
        "ec_0x24=1 mmio_user=1 host_cycles=3000",
        "boot=icount-sv EXITS cfg=novgic run=0 device=x name=hvc "
        "ec_0x16=16384 ec_0x24=1 irq=2 mmio_user=1 host_cycles=12291000",
        bench("icount-sv", "novgic", 0, "hvc", 700, 690, 900),
        "boot=icount-sv BENCH mode=split name=hvc_el2_null samples=256 "
        "batch=64 cntfrq=62500000 min_ps=100000 median_ps=101000 "
        "p99_ps=120000",
        "boot=icount-sv BENCH cfg=novgic run=0 device=x name=eoi skipped "
        "reason=needs an in-kernel vGIC, and this VM has none",
        "boot=icount-kvm BENCHCFG cfg=vgic device=kvm gic=v3",
        "boot=icount-kvm EXITS cfg=vgic run=0 device=x name=_baseline "
        "mmio_exit_user=1 exits=1",
        "boot=icount-kvm EXITS cfg=vgic run=0 device=x name=hvc "
        "hvc_exit_stat=16384 mmio_exit_user=1 exits=16385",
        bench("icount-kvm", "vgic", 0, "hvc", 1400),
        bench("icount-kvm", "vgic", 0, "eoi", 11),
        "boot=wall-sv BENCHCFG cfg=novgic device=splitvisor gic=v3",
    ] + [bench("wall-sv", "novgic", i, "hvc", m)
         for i, m in enumerate([1000, 1200, 1100])] + [
        # memtouch: one operation, exits of the whole interval.
        "boot=icount-sv HOST thp_enabled=always thp_defrag=madvise",
        bench("icount-sv", "novgic", 0, "touch_512m_4k", 900000000,
              samples=1, batch=1) + " pages=131072",
        "boot=icount-sv EXITS cfg=novgic run=0 device=x name=touch_512m_4k "
        "ec_0x24=131073 irq=200 mmio_user=1",
        "boot=icount-sv MMU cfg=novgic run=0 device=splitvisor "
        "name=touch_512m_4k s2_page_maps=131080 s2_block_maps=0",
        bench("icount-sv", "novgic", 0, "touch_512m_thp", 30000000,
              samples=1, batch=1) + " pages=131072",
        "boot=icount-sv EXITS cfg=novgic run=0 device=x name=touch_512m_thp "
        "ec_0x24=257 irq=3 mmio_user=1",
        bench("icount-kvm", "vgic", 0, "touch_512m_4k", 1000000000,
              samples=1, batch=1) + " pages=131072",
        "boot=icount-kvm EXITS cfg=vgic run=0 device=x name=touch_512m_4k "
        "mmio_exit_user=1 exits=131300",
        bench("icount-kvm", "vgic", 0, "touch_512m_thp", 20000000,
              samples=1, batch=1) + " pages=131072",
        "boot=icount-kvm EXITS cfg=vgic run=0 device=x name=touch_512m_thp "
        "mmio_exit_user=1 exits=600",
    ]
    meta = {
        "views": ["icount", "wall"], "wall_runs": 3, "absent": [],
        "notes": [],
        "boots": [boot_meta("icount-sv", "icount", "splitvisor", "split",
                            "split A57", ["novgic", "vgic"]),
                  boot_meta("icount-kvm", "icount", "kvm", "nvhe",
                            "KVM nVHE A57", ["vgic"]),
                  boot_meta("wall-sv", "wall", "splitvisor", "split",
                            "split A57", ["novgic", "vgic"])],
    }
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "meta.json"), "w") as f:
            json.dump(meta, f)
        with open(os.path.join(d, "raw.txt"), "w") as f:
            f.write("\n".join(raw) + "\n")
        with contextlib.redirect_stdout(io.StringIO()):
            rc = summary.main(["summary.py", d, "--no-chart"])
        check("summary.py exits 0", 0, rc)
        with open(os.path.join(d, "results.json")) as f:
            res = json.load(f)
        with open(os.path.join(d, "table.md")) as f:
            md = f.read()
    ic = res["views"]["icount"]
    sv = ic["rows"]["hvc"]["split-a57:novgic"]
    check("median in instructions", 700.0, sv["median"])
    check("min and p99", (690.0, 900.0), (sv["min"], sv["p99"]))
    check("exits per op, baseline subtracted (EC + IRQ exits)",
          (16384 + 2) / 16384, sv["exits_per_op"]["exits"])
    check("exits to the VMM per op", 0.0, sv["exits_per_op"]["to_vmm"])
    check("host-counted cycles per op, baseline subtracted",
          (12291000 - 3000) / 16384, sv["exits_per_op"]["host_cycles"])
    check("no host_cycles on KVM's EXITS lines here: none per op", False,
          "host_cycles" in
          ic["rows"]["hvc"]["kvm-nvhe-a57:vgic"]["exits_per_op"])
    check("table.md has the host-counted cycles table and its figure",
          (True, True), ("CPU cycles per operation counted from the host"
                         in md, "| 750 |" in md))
    check("KVM exits per op from its 'exits' counter", 1.0,
          ic["rows"]["hvc"]["kvm-nvhe-a57:vgic"]["exits_per_op"]["exits"])
    check("skipped row keeps its reason",
          "needs an in-kernel vGIC, and this VM has none",
          ic["skipped"]["eoi"]["split-a57:novgic"])
    check("an unavailable configuration is listed, not a column",
          (["split-a57:vgic"], ["split-a57:novgic", "kvm-nvhe-a57:vgic"]),
          ([u["column"] for u in ic["unavailable"]],
           [c["id"] for c in ic["columns"]]))
    null = ic["rows"]["hvc_el2_null"]["split-a57:novgic"]
    check("a row without configuration goes to the first one, no mean",
          (101.0, None), (null["median"], null["mean"]))
    check("kernel release from the board's start line", "6.1.0-1-arm64",
          ic["columns"][0]["kernel"])
    check("ratio to KVM nVHE in the table", True,
          "| `hvc` | 0.50 |" in md)
    t4 = ic["rows"]["touch_512m_4k"]["split-a57:novgic"]
    check("memtouch: one operation, its instructions",
          (1, 1, 900000000.0), (t4["samples"], t4["batch"], t4["median"]))
    check("memtouch: exits, stage-2 faults and IRQs of the interval",
          (131072 + 200, 131072, 200),
          tuple(t4["exits_per_op"][k] for k in ("exits", "stage2_faults",
                                                 "irq")))
    check("memtouch: splitvisor's stage-2 maps of the run",
          {"s2_page_maps": 131080, "s2_block_maps": 0}, t4["stage2_maps"])
    check("KVM: no fault count of its own, all exits",
          (131299.0, False),
          (ic["rows"]["touch_512m_4k"]["kvm-nvhe-a57:vgic"]["exits_per_op"]
           ["exits"], "stage2_faults" in ic["rows"]["touch_512m_4k"]
           ["kvm-nvhe-a57:vgic"]["exits_per_op"]))
    check("memtouch rows are not in the exit-cost tables", False,
          "touch_512m" in md[:md.index("First touch of 512 MiB")])
    check("memtouch table: instructions per backing", True,
          "| `touch_512m_4k` | 900,000,000 | 1,000,000,000 |" in md and
          "| `touch_512m_thp` | 30,000,000 | 20,000,000 |" in md)
    check("target lines: 4 KiB met on both, THP instructions not met",
          (True, True),
          ("- `touch_512m_4k`, split A57 vs KVM nVHE A57: instructions "
           "900,000,000 vs 1,000,000,000 (0.90×): **met**; stage-2 faults "
           "131,072 vs (131,072–131,299): **met**" in md,
           "- `touch_512m_thp`, split A57 vs KVM nVHE A57: instructions "
           "30,000,000 vs 20,000,000 (1.50×): **not met**; stage-2 faults "
           "256 vs (256–599): **met**" in md))
    check("KVM faults: a range from the pages touched to its exits", True,
          "| 131,299 (stage-2 faults: (131,072–131,299)) |" in md)
    check("THP target: faults <= 1/256 of the 4 KiB run's, per column",
          (True, True),
          ("- THP, split A57: 256 stage-2 faults vs 131,072 / 256 = 512: "
           "**met**" in md,
           "- THP, KVM nVHE A57: (256–599) stage-2 faults vs "
           "(131,072–131,299) / 256 = (512–513): undecided" in md))
    check("host THP policy in the column list", True,
          "host THP policy: always (defrag madvise)" in md)
    wall = res["views"]["wall"]["rows"]["hvc"]["split-a57:novgic"]
    check("wall view: median of the runs' medians", 1100.0, wall["median"])
    check("wall view: spread and noisy flag", (round(200 / 1100, 4), True),
          (round(wall["spread"], 4), wall["noisy"]))
    check("wall view cell shows the spread", True,
          "| `hvc` | 1,100 ±18% noisy |" in md)
    print("1..%d" % N)
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
