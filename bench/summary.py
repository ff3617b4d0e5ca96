#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarise one `make bench` run: bench/run writes the boards' bench
lines into DIR/raw.txt and what it booted into DIR/meta.json; this writes
DIR/results.json, DIR/table.md (also printed) and, with gnuplot,
DIR/chart.png.

raw.txt, one line per record, each prefixed with the boot it came from:
  boot=<id> BENCHCFG cfg=vgic|novgic device=... [gic=vN | unavailable reason=...]
  boot=<id> BENCH cfg=.. run=i device=.. name=.. samples=.. batch=.. cntfrq=..
            min_ps=.. median_ps=.. mean_ps=.. p99_ps=..
  boot=<id> BENCH cfg=.. run=i device=.. name=.. skipped reason=<text>
  boot=<id> EXITS cfg=.. run=i device=.. name=.. key=delta ...
  boot=<id> START kernel=<release> cpus=<n>
  boot=<id> HOST thp_enabled=.. thp_defrag=..
  boot=<id> MMU cfg=.. run=i device=.. name=.. s2_page_maps=n s2_block_maps=n
A column is one (boot, cfg). Under icount (view "icount") one counter
nanosecond is one instruction; in view "wall" it is emulated time, and a
cell is the median over the runs with their spread.

usage: summary.py DIR [--no-chart]
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys

# Rows in the payload's order; the bench table shows them in this order.
ROWS = ["hvc_el2_null", "hvc", "hvc_el2", "mmio_read_user", "mmio_write_user",
        "sysreg_trap", "mmio_read_kernel", "eoi", "ipi", "virq", "timer",
        "wfi_wake", "stage2_fault", "fp_first_use"]
# The first touch of 512 MiB of guest RAM (guest/payloads/memtouch.c):
# one operation is the whole 512 MiB, a table of its own with its own
# targets. touch_512m is a run on the host's default backing (by hand).
TOUCH_ROWS = ["touch_512m_4k", "touch_512m_thp", "touch_512m"]
# 4 KiB pages in a 2 MiB block; the THP target: faults <= 1/256 of 4 KiB's.
PAGES_PER_BLOCK = 512
THP_TARGET_DIVISOR = 256
# A wall-clock cell whose runs spread more than this is flagged noisy.
NOISY_SPREAD = 0.05

KV_RE = re.compile(r"(\w+)=(\S+)")


def parse_kv(text):
    """key=value pairs; 'reason=' takes the rest of the line."""
    out = {}
    m = re.search(r"\breason=(.*)$", text)
    if m:
        out["reason"] = m.group(1).strip()
        text = text[:m.start()]
    for k, v in KV_RE.findall(text):
        out[k] = v
    return out


def parse_raw(lines):
    """-> dict boot -> {cfgs, bench, exits, start}"""
    boots = {}
    for line in lines:
        line = line.rstrip("\n")
        m = re.match(r"boot=(\S+) (BENCHCFG|BENCH|EXITS|START|PROFILE|HOST"
                     r"|MMU) ?(.*)$", line)
        if not m:
            continue
        boot, kind, rest = m.groups()
        b = boots.setdefault(boot, {"cfgs": {}, "bench": [], "exits": [],
                                    "start": {}, "host": {}, "mmu": []})
        f = parse_kv(rest)
        if kind == "BENCHCFG":
            b["cfgs"][f["cfg"]] = f
        elif kind == "BENCH":
            # bench/el2_null.sh's host-side row has no configuration.
            f.setdefault("cfg", "*")
            f.setdefault("run", "0")
            b["bench"].append(f)
        elif kind == "EXITS":
            b["exits"].append(f)
        elif kind == "START":
            b["start"] = f
        elif kind == "HOST":
            b["host"] = f
        elif kind == "MMU":
            b["mmu"].append(f)
    return boots


def exit_total(rec):
    """Guest exits in an EXITS record: KVM's 'exits', or splitvisor's
    per-EC counters plus IRQ exits (EL2-only calls are not exits)."""
    if "exits" in rec:
        return int(rec["exits"])
    return sum(int(v) for k, v in rec.items()
               if k.startswith("ec_") or k == "irq")


def fault_total(rec):
    """Stage-2 faults where the counters tell them apart: splitvisor's
    data and instruction aborts from the guest (ESR EC 0x24, 0x20; MMIO
    too, but the rows that use this make none). KVM's arm64 counters have
    no such key: None."""
    if "exits" in rec:
        return None
    return sum(int(rec.get(k, 0)) for k in ("ec_0x24", "ec_0x20"))


def user_total(rec):
    for k in ("mmio_exit_user", "mmio_user"):
        if k in rec:
            return int(rec[k])
    return 0


def exits_per_op(exits, cfg, run, name, ops):
    """Exits per operation of row name, less an empty MARK pair's."""
    def find(n):
        for r in exits:
            if r.get("cfg") == cfg and r.get("run") == run and \
                    r.get("name") == n:
                return r
        return None
    row, base = find(name), find("_baseline")
    if not row or not base or not ops:
        return None
    out = {
        "exits": (exit_total(row) - exit_total(base)) / ops,
        "to_vmm": (user_total(row) - user_total(base)) / ops,
    }
    if "el2_null_calls" in row:
        out["el2_only_calls"] = int(row["el2_null_calls"]) / ops
    if "host_cycles" in row and "host_cycles" in base:
        out["host_cycles"] = (int(row["host_cycles"]) -
                              int(base["host_cycles"])) / ops
    if fault_total(row) is not None:
        out["stage2_faults"] = (fault_total(row) - fault_total(base)) / ops
        out["irq"] = (int(row.get("irq", 0)) - int(base.get("irq", 0))) / ops
    return out


def cell_stats(recs, view):
    """BENCH records of one cell (one per run) -> summary dict."""
    def ns(r, k):
        return int(r[k]) / 1000.0
    meds = [ns(r, "median_ps") for r in recs]
    out = {
        "runs": len(recs),
        "samples": int(recs[0]["samples"]),
        "batch": int(recs[0]["batch"]),
        "cntfrq": int(recs[0]["cntfrq"]),
        "min": statistics.median(ns(r, "min_ps") for r in recs),
        "median": statistics.median(meds),
        "mean": statistics.median(ns(r, "mean_ps") for r in recs)
        if all("mean_ps" in r for r in recs) else None,
        "p99": statistics.median(ns(r, "p99_ps") for r in recs),
        "unit": "instructions" if view == "icount" else "ns",
    }
    if "pages" in recs[0]:
        out["pages"] = int(recs[0]["pages"])
    if len(recs) > 1:
        out["run_medians"] = meds
        out["spread"] = (max(meds) - min(meds)) / out["median"] \
            if out["median"] else 0.0
        out["noisy"] = out["spread"] > NOISY_SPREAD
    return out


def irq_config(boot_meta, cfg, cfginfo):
    gic = cfginfo.get("gic", "v%s" % boot_meta.get("gic", "3"))
    if cfg == "vgic":
        return "in-kernel vGIC%s (KVM_CREATE_DEVICE)" % gic
    if boot_meta["hypervisor"] == "splitvisor":
        return "no vGIC (splitvisor has none yet)"
    return "no vGIC (user-space irqchip: KVM syncs the timer on every exit)"


def build(meta, boots):
    res = {"meta": {k: v for k, v in meta.items() if k != "boots"},
           "views": {}}
    for view in meta["views"]:
        columns, rows, skipped, unavailable = [], {}, {}, []
        for bm in meta["boots"]:
            if bm["view"] != view:
                continue
            b = boots.get(bm["id"], {"cfgs": {}, "bench": [], "exits": [],
                                     "start": {}, "host": {}, "mmu": []})
            for cfg in bm["cfgs"]:
                ci = b["cfgs"].get(cfg)
                if ci is None:
                    continue
                colid = "%s:%s" % (bm["column"], cfg)
                if "unavailable" in ci or ci.get("reason"):
                    unavailable.append({"column": colid,
                                        "reason": ci.get("reason", "")})
                    continue
                col = {
                    "id": colid,
                    "label": bm["label"],
                    "short": bm["short"] + ("" if cfg == bm["cfgs"][0]
                                            else " no vGIC" if
                                            cfg == "novgic" else " vGIC"),
                    "hypervisor": bm["hypervisor"],
                    "mode": bm["mode"],
                    "cpu": bm["cpu"],
                    "gic": "v%s" % bm["gic"],
                    "board": bm["board"],
                    "kernel": b["start"].get("kernel", bm["kernel"]),
                    "append": bm["append"],
                    "interrupts": irq_config(bm, cfg, ci),
                    "in_table": cfg in bm.get("table_cfgs", bm["cfgs"]),
                    "qemu": bm.get("qemu", ""),
                    "thp": b["host"].get("thp_enabled"),
                    "thp_defrag": b["host"].get("thp_defrag"),
                }
                columns.append(col)
                recs = [r for r in b["bench"] if r.get("cfg") == cfg or
                        (r.get("cfg") == "*" and cfg == bm["cfgs"][0])]
                for name in ROWS + sorted({r["name"] for r in recs} -
                                          set(ROWS)):
                    rr = [r for r in recs if r.get("name") == name]
                    if not rr:
                        continue
                    if "reason" in rr[0]:
                        skipped.setdefault(name, {})[colid] = rr[0]["reason"]
                        continue
                    st = cell_stats(rr, view)
                    ops = st["samples"] * st["batch"]
                    ex = exits_per_op(b["exits"], cfg, rr[0]["run"], name,
                                      ops)
                    if ex:
                        st["exits_per_op"] = ex
                    mmu = [m for m in b["mmu"] if m.get("cfg") == cfg and
                           m.get("run") == rr[0]["run"] and
                           m.get("name") == name]
                    if mmu:
                        st["stage2_maps"] = {
                            k: int(mmu[0][k]) for k in ("s2_page_maps",
                                                        "s2_block_maps")
                            if k in mmu[0]}
                    rows.setdefault(name, {})[colid] = st
        res["views"][view] = {"columns": columns, "rows": rows,
                              "skipped": skipped,
                              "unavailable": unavailable}
    return res


def ref_column(view, hypervisor, mode):
    for c in view["columns"]:
        if c["hypervisor"] == hypervisor and c["mode"] == mode and \
                c["id"].endswith(":vgic"):
            return c["id"]
    return None


def fmt(v):
    return "{:,.0f}".format(v)


def md_table(out, heads, rows, cell):
    """A Markdown table: one line per row r, cell(r, i) per column i."""
    out.append("| operation | " + " | ".join(heads) + " |")
    out.append("| --- |" + " ---: |" * len(heads))
    for r in rows:
        out.append("| `%s` | " % r +
                   " | ".join(cell(r, i) for i in range(len(heads))) + " |")
    out.append("")


def median_text(x):
    """A cell's median, with the runs' spread in the wall view."""
    if not x:
        return None
    s = fmt(x["median"])
    if "spread" in x:
        s += " ±%.0f%%%s" % (100 * x["spread"],
                             " noisy" if x["noisy"] else "")
    return s


def exits_cell(st):
    ex = st.get("exits_per_op") if st else None
    if not ex:
        return "—"
    s = "%.2f" % ex["exits"]
    if ex["to_vmm"] >= 0.005:
        s += " (%.2f to VMM)" % ex["to_vmm"]
    if ex.get("el2_only_calls", 0) >= 0.005:
        s += " (%.2f EL2-only)" % ex["el2_only_calls"]
    return s


def cycles_cell(st):
    ex = st.get("exits_per_op") if st else None
    if not ex or "host_cycles" not in ex:
        return "—"
    return fmt(ex["host_cycles"])


def min_faults(row, st):
    """The fewest stage-2 faults any hypervisor can take for a memtouch
    row: one per 4 KiB page touched (--thp off) or per 2 MiB block (THP:
    a transparent huge page is one PMD, so no larger stage-2 block); None
    for the host's default backing."""
    pages = int(st.get("pages", 0)) if st else 0
    if not pages:
        return None
    if row == "touch_512m_4k":
        return pages
    if row == "touch_512m_thp":
        return pages // PAGES_PER_BLOCK
    return None


def fault_bounds(row, st):
    """(fewest, most) stage-2 faults of a memtouch cell: exact where the
    counters tell faults apart (splitvisor); else at least min_faults()
    and at most every exit (KVM: its exits include IRQ exits)."""
    ex = st.get("exits_per_op") if st else None
    if not ex:
        return None
    if "stage2_faults" in ex:
        return ex["stage2_faults"], ex["stage2_faults"]
    lo = min_faults(row, st)
    return (lo if lo is not None and lo <= ex["exits"] else 0), ex["exits"]


def fmt_bounds(b):
    lo, hi = fmt(b[0]), fmt(b[1])
    return lo if lo == hi else "(%s–%s)" % (lo, hi)


def touch_exits_cell(row, st):
    ex = st.get("exits_per_op") if st else None
    if not ex:
        return "—"
    s = fmt(ex["exits"])
    if "stage2_faults" in ex:
        s += " (%s stage-2 faults, %s IRQ)" % (fmt(ex["stage2_faults"]),
                                               fmt(ex["irq"]))
    else:
        s += " (stage-2 faults: %s)" % fmt_bounds(fault_bounds(row, st))
    maps = st.get("stage2_maps")
    if maps:
        s += "; maps: %s blocks, %s pages" % (
            fmt(maps.get("s2_block_maps", 0)),
            fmt(maps.get("s2_page_maps", 0)))
    return s


def verdict(hi, lo, limit_lo, limit_hi):
    """Is a count known to lie in [lo, hi] at most a limit known to lie
    in [limit_lo, limit_hi]?"""
    if hi <= limit_lo:
        return "**met**"
    if lo > limit_hi:
        return "**not met**"
    return "undecided (the counters give a range)"


def touch_targets(view, cols):
    """The targets of issue 8, as lines: splitvisor <= KVM nVHE (with its
    vGIC) on instructions and on stage-2 faults, per backing; with THP,
    faults <= 1/256 of the 4 KiB run's."""
    out = []
    rows = view["rows"]

    def cell(r, cid):
        return rows.get(r, {}).get(cid)

    ref = ref_column(view, "kvm", "nvhe")
    refc = [c for c in view["columns"] if c["id"] == ref]
    for c in cols:
        if c["hypervisor"] != "splitvisor" or not refc:
            continue
        for r in ("touch_512m_4k", "touch_512m_thp"):
            a, b = cell(r, c["id"]), cell(r, ref)
            if not a or not b:
                continue
            line = "- `%s`, %s vs %s: instructions %s vs %s (%.2f×): %s" % (
                r, c["short"], refc[0]["short"], fmt(a["median"]),
                fmt(b["median"]), a["median"] / b["median"],
                "**met**" if a["median"] <= b["median"] else "**not met**")
            fa, fb = fault_bounds(r, a), fault_bounds(r, b)
            if fa and fb:
                line += "; stage-2 faults %s vs %s: %s" % (
                    fmt_bounds(fa), fmt_bounds(fb),
                    verdict(fa[1], fa[0], fb[0], fb[1]))
            out.append(line)
    for c in cols:
        f4 = fault_bounds("touch_512m_4k", cell("touch_512m_4k", c["id"]))
        fh = fault_bounds("touch_512m_thp", cell("touch_512m_thp", c["id"]))
        if not f4 or not fh:
            continue
        d = THP_TARGET_DIVISOR
        out.append("- THP, %s: %s stage-2 faults vs %s / %d = %s: %s" % (
            c["short"], fmt_bounds(fh), fmt_bounds(f4), d,
            fmt_bounds((f4[0] / d, f4[1] / d)),
            verdict(fh[1], fh[0], f4[0] / d, f4[1] / d)))
    return out


def touch_section(out, vname, view, cols):
    """The first touch of 512 MiB (memtouch): one table per view, exits
    and targets under icount."""
    rows = [r for r in TOUCH_ROWS if r in view["rows"] or
            r in view["skipped"]]
    if not rows:
        return
    heads = [c["short"] for c in cols]

    def st(r, c):
        return view["rows"].get(r, {}).get(c["id"])

    unit = "instructions" if vname == "icount" else "emulated ns"
    out.append("First touch of 512 MiB of guest RAM (`memtouch`: one "
               "write per 4 KiB page, 131,072 pages; one operation = the "
               "whole 512 MiB; %s; `_4k`: `splitvm --thp off`, `_thp`: "
               "`--thp on`):\n" % unit)

    md_table(out, heads, rows,
             lambda r, i: median_text(st(r, cols[i])) or "—")
    if vname != "icount":
        return
    out.append("Exits in that interval (every exit: stage-2 faults plus "
               "the IRQ exits of host interrupts that arrived while the "
               "guest ran; an empty mark pair subtracted). splitvisor's "
               "counters tell faults (ESR EC 0x24/0x20) and IRQs apart; "
               "KVM's do not, so its faults are a range: at least one per "
               "page (4 KiB) or 2 MiB block (THP) touched, at most its "
               "exits. splitvisor's stage-2 maps are those of the whole "
               "`splitvm` run (the payload's own first block included):\n")
    md_table(out, heads, rows,
             lambda r, i: touch_exits_cell(r, st(r, cols[i])))
    t = touch_targets(view, cols)
    if t:
        out.append("Targets (splitvisor ≤ KVM nVHE with its vGIC on "
                   "instructions and on stage-2 faults; with THP, faults "
                   "≤ 1/%d of the 4 KiB run's):\n" % THP_TARGET_DIVISOR)
        out.extend(t)
        out.append("")


def markdown(res):
    out = []
    meta = res["meta"]
    for vname, view in res["views"].items():
        cols = [c for c in view["columns"] if c["in_table"]]
        if not cols:
            continue
        rows = [r for r in ROWS if r in view["rows"] or r in view["skipped"]]
        heads = [c["short"] for c in cols]

        def st(r, c):
            return view["rows"].get(r, {}).get(c["id"])

        if vname == "icount":
            out.append("### Instructions per operation (QEMU `-icount "
                       "shift=0`: 1 instruction = 1 ns; median of "
                       "samples)\n")
        else:
            out.append("### Emulated wall-clock ns per operation (no "
                       "icount; median of %s runs; spread = (max-min)/"
                       "median of the runs' medians; noisy: depends on "
                       "the host)\n" % meta.get("wall_runs", "?"))
        notes = {}

        def median_cell(r, i):
            x = st(r, cols[i])
            if not x:
                c = cols[i]
                if r != "hvc_el2_null":
                    why = "not measured"
                elif c["hypervisor"] != "splitvisor":
                    why = ("splitvisor's host-to-EL2 call, no guest: "
                           "nothing to compare on KVM")
                elif c["mode"] == "vhe":
                    why = ("VHE mode: the host kernel runs at EL2, there "
                           "is no host-to-EL2 call")
                else:
                    why = "not measured"
                why = view["skipped"].get(r, {}).get(c["id"], why)
                return "— [%d]" % notes.setdefault(why, len(notes) + 1)
            return median_text(x)
        md_table(out, heads, rows, median_cell)

        refs = [(x, n) for x, n in ((ref_column(view, "kvm", "nvhe"),
                                     "KVM nVHE"),
                                    (ref_column(view, "kvm", "vhe"),
                                     "KVM VHE")) if x]
        pairs = [(s, x, n) for s in cols if s["hypervisor"] == "splitvisor"
                 for x, n in refs]
        if pairs:
            out.append("Ratios (splitvisor ÷ KVM with its vGIC; targets: "
                       "split mode ≤ 0.5 against nVHE, VHE mode ≤ 1 "
                       "against VHE):\n")

            def ratio_cell(r, i):
                s, x, _ = pairs[i]
                a, b = st(r, s), view["rows"].get(r, {}).get(x)
                return "%.2f" % (a["median"] / b["median"]) \
                    if a and b and b["median"] else "—"
            md_table(out, ["%s ÷ %s" % (s["short"], n) for s, _, n in pairs],
                     rows, ratio_cell)
        if vname == "icount":
            out.append("Exits per operation (hypervisor counters, an empty "
                       "mark pair subtracted; `to VMM` = exits to user "
                       "space):\n")
            md_table(out, heads, rows,
                     lambda r, i: exits_cell(st(r, cols[i])))
            if any(cycles_cell(st(r, c)) != "—" for r in rows for c in cols):
                out.append("CPU cycles per operation counted from the host "
                           "(perf on the vCPU thread, guest and hypervisor "
                           "included; mean over the samples, an empty mark "
                           "pair subtracted). Under icount QEMU's cycle "
                           "counter is virtual time, so these repeat the "
                           "instruction counts as means (`wfi_wake` with "
                           "its wait for the deadline); on a board they "
                           "are cycles:\n")
                md_table(out, heads, rows,
                         lambda r, i: cycles_cell(st(r, cols[i])))
            out.append("min / p99 per operation (medians are the table's; "
                       "min and p99 move by a few instructions from boot "
                       "to boot):\n")

            def minmax_cell(r, i):
                x = st(r, cols[i])
                return "%s / %s" % (fmt(x["min"]), fmt(x["p99"])) if x \
                    else "—"
            md_table(out, heads, rows, minmax_cell)
        touch_section(out, vname, view, cols)
        out.append("Columns:\n")
        for c in cols:
            thp = ""
            if c.get("thp"):
                thp = "; host THP policy: %s (defrag %s)" % (
                    c["thp"], c.get("thp_defrag") or "?")
            out.append("- **%s**: %s; %s, GIC%s, Linux %s; interrupts: %s%s"
                       % (c["short"], c["label"], c["cpu"], c["gic"],
                          c["kernel"], c["interrupts"], thp))
        for u in view["unavailable"]:
            out.append("- not measured: `%s`: %s" % (u["column"],
                                                   u["reason"]))
        for a in meta.get("absent", []):
            out.append("- absent: %s" % a)
        if notes:
            out.append("\nSkipped cells:\n")
            for why, n in sorted(notes.items(), key=lambda x: x[1]):
                out.append("- [%d] %s" % (n, why))
        out.append("")
    for n in meta.get("notes", []):
        out.append("- " + n)
    return "\n".join(out) + "\n"


def chart(res, outdir):
    """Grouped bars, one group per row, log scale: instructions (and the
    wall-clock view below it when measured)."""
    gp = shutil.which("gnuplot")
    if not gp:
        return "gnuplot not found: no chart"
    views = [v for v in ("icount", "wall") if v in res["views"] and
             [c for c in res["views"][v]["columns"] if c["in_table"]]]
    if not views:
        return "nothing to plot"
    script = ["set terminal pngcairo size 1400,%d font 'sans,10'"
              % (520 * len(views)),
              "set output '%s'" % os.path.join(outdir, "chart.png"),
              "set multiplot layout %d,1" % len(views),
              "set style data histograms",
              "set style histogram clustered gap 1",
              "set style fill solid 0.9 border -1",
              "set logscale y", "set yrange [5:*]", "set grid ytics",
              "set datafile missing '-'",
              "set key outside right top vertical",
              "set xtics rotate by -30 noenhanced",
              "set key noenhanced"]
    for v in views:
        view = res["views"][v]
        cols = [c for c in view["columns"] if c["in_table"]]
        rows = [r for r in ROWS if r in view["rows"]]
        dat = os.path.join(outdir, "chart-%s.dat" % v)
        with open(dat, "w") as f:
            f.write("row " + " ".join('"%s"' % c["short"] for c in cols)
                    + "\n")
            for r in rows:
                vals = []
                for c in cols:
                    st = view["rows"][r].get(c["id"])
                    vals.append("%.1f" % st["median"] if st else "-")
                f.write("%s %s\n" % (r, " ".join(vals)))
        if v == "icount":
            script.append("set title 'Instructions per operation under QEMU "
                          "-icount (log scale, lower is better; missing bar "
                          "= not measurable there yet)' noenhanced")
            script.append("set ylabel 'instructions'")
        else:
            script.append("set title 'Emulated wall-clock ns per operation, "
                          "no icount (median of runs, noisy)' noenhanced")
            script.append("set ylabel 'ns (emulated)'")
        # splitvisor in blues, KVM in greens and oranges.
        shades = {"splitvisor": ["#2c3e99", "#5b7bd5", "#9db4f0", "#c7d3f7"],
                  "kvm": ["#1b7f5f", "#e6892e", "#8fd19e", "#f2c48d"]}
        used = {}
        plots = []
        for i, c in enumerate(cols):
            k = used.get(c["hypervisor"], 0)
            used[c["hypervisor"]] = k + 1
            pal = shades.get(c["hypervisor"], ["#888888"])
            plots.append("'%s' using %d:xtic(1) title columnhead lc rgb '%s'"
                         % (dat, i + 2, pal[k % len(pal)]))
        script.append("plot " + ", ".join(plots))
    script.append("unset multiplot")
    with open(os.path.join(outdir, "chart.gp"), "w") as f:
        f.write("\n".join(script) + "\n")
    r = subprocess.run([gp, os.path.join(outdir, "chart.gp")],
                       capture_output=True, text=True)
    if r.returncode:
        return "gnuplot failed: " + r.stderr.strip()
    return None


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(argv) >= 2 else 2
    outdir = argv[1]
    with open(os.path.join(outdir, "meta.json")) as f:
        meta = json.load(f)
    with open(os.path.join(outdir, "raw.txt"), errors="replace") as f:
        boots = parse_raw(f)
    res = build(meta, boots)
    md = markdown(res)
    with open(os.path.join(outdir, "table.md"), "w") as f:
        f.write(md)
    with open(os.path.join(outdir, "results.json"), "w") as f:
        json.dump(res, f, indent=1, sort_keys=True)
    sys.stdout.write(md)
    if "--no-chart" not in argv:
        err = chart(res, outdir)
        if err:
            print("summary: %s" % err)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
