#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Where each instruction goes (make bench PROFILE=1).

Input, per profiled boot <id> in DIR:
  DIR/prof-<id>.txt   the svprof plugin's windows (bench/plugin/svprof.c):
                      "W n insns=N", then "<vaddr> <opcode> <count>" lines
  DIR/log-<id>.txt    the board's bench lines: "# PROFILE cfg= run= window=
                      name= ops=" in window order, "# KSYM <addr> <type>
                      <name> [module]" (the booted kernel's /proc/kallsyms
                      text symbols, nokaslr: kernel, KVM and the module)
and the images the instructions came from:
  --guest ELF         the payload (build/userland/microbench.guest)
  --vmm ELF           splitvm (static, EL0)
  --lowvisor ELF      build/lowvisor/lowvisor.elf (EL2 VA = PA: its load
                      address is found by matching opcodes)
Each instruction is attributed to a function, then to a phase (PHASES
below). KVM's nVHE EL2 code has no names: Debian's kallsyms leaves out
the __kvm_nvhe_* symbols and ships no vmlinux, so it is one phase.

usage: profile.py DIR --boots id,id,... --guest F --vmm F --lowvisor F
writes DIR/profile.md (also printed) and DIR/profile.json
"""
import bisect
import json
import os
import re
import subprocess
import sys

CROSS = os.environ.get("CROSS_COMPILE", "aarch64-linux-gnu-")
KERNEL_VA = 0xffff000000000000
NVHE_HYP_VA = 0x0000800000000000   # KVM nVHE hyp VAs have bit 47 set

# (phase, regex on "where:function"), first match wins. where is guest,
# vmm, el2 (splitvisor's lowvisor), hyp (KVM nVHE EL2), kernel, module.
PHASES = [
    ("guest payload", r"^guest:"),
    ("EL2: vectors, guest exit/entry", r"^el2:(__sv_(trap|guest_exit|guest_enter|guest_sync|runtime_vectors)|sv_el2_trap)"),
    ("EL2: EL1 state save/restore", r"^el2:sv_el1_(save|restore)"),
    ("EL2: FP/SIMD switch", r"^el2:__sv_fpsimd"),
    ("EL2: world switch control", r"^el2:"),
    ("KVM EL2 (nVHE hyp, unnamed)", r"^hyp:"),
    ("VHE: world switch (kvm_vcpu_run_vhe, __guest_enter/exit, sysreg save/restore)",
     r"^kernel:(__kvm_vcpu_run_vhe|kvm_vcpu_run_vhe|__guest_enter|__guest_exit|__kvm_hyp_vector|"
     r"__sysreg|sysreg_(save|restore)|__activate|__deactivate|__load_stage2|__fpsimd|"
     r"kvm_hyp_handle|__kvm_hyp_host|handle_trap|fixup_guest|__hyp_)"),
    ("VHE: splitvisor's world switch (sv_vhe_vcpu_run, guest.S, vectors)",
     r"^module:(sv_vhe_|__sv_(trap|guest_exit|guest_enter|guest_sync|vhe_vectors|fpsimd|el2_serror))"),
    ("vGIC", r"^(kernel|module):.*vgic"),
    ("timer", r"^(kernel|module):.*(arch_timer|kvm_timer|timer_)"),
    ("exit handling", r"^(kernel|module):(.*handle_exit|.*handle_(hvc|mmio|sys|trap|abort|dabt|wfx)|"
     r"kvm_handle|io_mem_abort|kvm_io_bus|.*emulate|.*sys_reg|.*psci|.*smccc|sv_exit|sv_handle|sv_s2_|"
     r"sv_mmio)"),
    ("run loop / re-entry", r"^(kernel|module):(kvm_arch_vcpu_ioctl_run|kvm_vcpu_ioctl|sv_vcpu_run|sv_run|"
     r".*vcpu_(load|put|run)|.*vmid|kvm_arm_vcpu|.*_enter_guest|sv_vcpu_ioctl|__kvm_vcpu_run|kvm_call_hyp|__kvm_call_hyp)"),
    ("module (other)", r"^module:"),
    ("host kernel: syscall entry/exit", r"^kernel:(el0_|invoke_syscall|__arm64_sys|do_el0|el0t|ret_to_user|"
     r"__fdget|fput|__fget|ksys_ioctl|do_vfs_ioctl|syscall_|.*sys_ioctl|do_notify_resume|exit_to_user|"
     r"prepare_exit|__audit|audit_|rseq|fpsimd_|do_signal|__se_sys|cpu_switch_to|ret_from)"),
    ("host kernel: IRQ/timer tick", r"^kernel:(el1_interrupt|el0_interrupt|.*irq|gic_|handle_domain|"
     r"generic_handle|hrtimer|tick_|update_process|scheduler_tick|.*softirq|arch_timer)"),
    ("host kernel: scheduler/RCU", r"^kernel:(.*sched|.*rcu|preempt|cond_resched|__cond_resched|"
     r"finish_task|pick_next|update_curr|.*_fair)"),
    ("host kernel: memory", r"^kernel:(.*page|.*fault|.*pte|.*pmd|.*folio|.*gup|.*mm_|.*alloc|.*free|"
     r"clear_page|.*lru|.*memcg|handle_mm|__handle_mm|.*vma|.*_pin|try_grab)"),
    ("host kernel: other", r"^kernel:"),
    ("VMM (splitvm, EL0)", r"^vmm:"),
    ("unattributed", r""),
]
PHASE_RE = [(p, re.compile(r)) for p, r in PHASES]


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True,
                          check=True).stdout


class Image:
    """An ELF's FUNC/NOTYPE text symbols and loaded bytes."""

    def __init__(self, path, where):
        self.where = where
        self.syms = []
        for line in run([CROSS + "nm", "-n", "--defined-only", path]).split("\n"):
            p = line.split()
            if len(p) >= 3 and p[1] in "tTwW" and not p[2].startswith("$"):
                self.syms.append((int(p[0], 16), p[2]))
        self.addrs = [a for a, _ in self.syms]
        bin_path = "/tmp/svprof-%d-%s.bin" % (os.getpid(), where)
        run([CROSS + "objcopy", "-O", "binary", "-j", ".text", path,
             bin_path])
        with open(bin_path, "rb") as f:
            self.text = f.read()
        os.unlink(bin_path)
        hdr = run([CROSS + "readelf", "-SW", path])
        m = re.search(r"\]\s+\.text\s+\S+\s+([0-9a-f]+)", hdr)
        self.text_addr = int(m.group(1), 16) if m else 0

    def opcode_at(self, off_addr):
        o = off_addr - self.text_addr
        if 0 <= o and o + 4 <= len(self.text):
            return int.from_bytes(self.text[o:o + 4], "little")
        return None

    def name(self, addr):
        i = bisect.bisect_right(self.addrs, addr) - 1
        return self.syms[i][1] if i >= 0 else "?"


def find_base(img, insns):
    """EL2 VA of img's address 0: the base most instructions agree on."""
    index = {}
    for o in range(0, len(img.text) - 3, 4):
        op = int.from_bytes(img.text[o:o + 4], "little")
        index.setdefault(op, []).append(o + img.text_addr)
    votes = {}
    for va, op in insns:
        for a in index.get(op, [])[:8]:
            if (va - a) % 4096 == 0:
                votes[va - a] = votes.get(va - a, 0) + 1
    return max(votes, key=votes.get) if votes else None


def parse_log(path):
    windows, ksyms = [], []
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if line.startswith("# PROFILE "):
                windows.append(dict(re.findall(r"(\w+)=(\S+)", line)))
            elif line.startswith("# KSYM "):
                p = line.split()
                if len(p) >= 5:
                    mod = p[5].strip("[]") if len(p) >= 6 else ""
                    ksyms.append((int(p[2], 16), p[4], mod))
    ksyms.sort()
    return windows, ksyms


def parse_prof(path):
    wins = []
    with open(path) as f:
        for line in f:
            if line.startswith("W "):
                wins.append([])
                continue
            va, op, n = line.split()
            wins[-1].append((int(va, 16), int(op, 16), int(n)))
    return wins


def attribute(wins, ksyms, guest, vmm, lowvisor):
    kaddr = [a for a, _, _ in ksyms]

    def ksym(va):
        i = bisect.bisect_right(kaddr, va) - 1
        if i < 0:
            return "kernel", "?"
        a, name, mod = ksyms[i]
        return ("module" if mod else "kernel"), name

    el2_candidates = [(va, op) for w in wins for va, op, _ in w
                      if va < NVHE_HYP_VA and guest.opcode_at(va) != op
                      and vmm.opcode_at(va) != op]
    base = find_base(lowvisor, el2_candidates) if el2_candidates else None
    cache = {}

    def where(va, op):
        k = (va, op)
        if k in cache:
            return cache[k]
        if va >= KERNEL_VA:
            w, name = ksym(va)
        elif va >= NVHE_HYP_VA:
            w, name = "hyp", "nvhe_hyp"
        elif guest.opcode_at(va) == op:
            w, name = "guest", guest.name(va)
        elif vmm.opcode_at(va) == op:
            w, name = "vmm", vmm.name(va)
        elif base is not None and lowvisor.opcode_at(va - base) == op:
            w, name = "el2", lowvisor.name(va - base)
        else:
            w, name = "unknown", "0x%x" % va
        cache[k] = (w, name)
        return cache[k]

    out = []
    for w in wins:
        funcs = {}
        for va, op, n in w:
            wh, name = where(va, op)
            key = "%s:%s" % (wh, name)
            funcs[key] = funcs.get(key, 0) + n
        out.append(funcs)
    return out


def phase_of(key):
    for p, r in PHASE_RE:
        if r.search(key):
            return p
    return "unattributed"


def main(argv):
    args = {"--boots": None, "--guest": None, "--vmm": None,
            "--lowvisor": None}
    outdir = None
    i = 1
    while i < len(argv):
        if argv[i] in args and i + 1 < len(argv):
            args[argv[i]] = argv[i + 1]
            i += 2
        elif argv[i] in ("-h", "--help"):
            print(__doc__)
            return 0
        else:
            outdir = argv[i]
            i += 1
    if not outdir or None in args.values():
        print(__doc__)
        return 2
    guest = Image(args["--guest"], "guest")
    vmm = Image(args["--vmm"], "vmm")
    lowvisor = Image(args["--lowvisor"], "el2")
    with open(os.path.join(outdir, "meta.json")) as f:
        meta = json.load(f)
    labels = {b["id"]: b for b in meta["boots"]}
    result = {}
    for boot in args["--boots"].split(","):
        prof = os.path.join(outdir, "prof-%s.txt" % boot)
        log = os.path.join(outdir, "log-%s.txt" % boot)
        if not os.path.exists(prof):
            print("profile: no %s" % prof)
            continue
        windows, ksyms = parse_log(log)
        wins = parse_prof(prof)
        funcs = attribute(wins, ksyms, guest, vmm, lowvisor)
        cfg0 = labels[boot]["cfgs"][0]
        for meta_w, f in zip(windows, funcs):
            if meta_w.get("run") != "0" or meta_w.get("cfg") != cfg0:
                continue
            ops = int(meta_w["ops"])
            phases = {}
            for k, n in f.items():
                p = phase_of(k)
                phases[p] = phases.get(p, 0) + n
            result.setdefault(meta_w["name"], {})[boot] = {
                "column": "%s (%s)" % (labels[boot]["short"], cfg0),
                "ops": ops,
                "per_op": sum(f.values()) / ops,
                "phases": {p: n / ops for p, n in phases.items()},
                "functions": {k: n / ops for k, n in
                              sorted(f.items(), key=lambda x: -x[1])[:25]},
            }
    md = ["## Where the instructions of one operation go (PROFILE=1)\n",
          "Instructions per operation, attributed by the svprof QEMU plugin "
          "to functions (kallsyms, lowvisor.elf, the payload and splitvm) "
          "and grouped into phases.\n"]
    for row, cols in result.items():
        boots = list(cols)
        md.append("### `%s`\n" % row)
        md.append("| phase | " + " | ".join(cols[b]["column"] for b in boots)
                  + " |")
        md.append("| --- |" + " ---: |" * len(boots))
        names = [p for p, _ in PHASES
                 if any(cols[b]["phases"].get(p, 0) >= 0.5 for b in boots)]
        for p in names:
            md.append("| %s | " % p + " | ".join(
                "%.0f" % cols[b]["phases"].get(p, 0) for b in boots) + " |")
        md.append("| **total** | " + " | ".join(
            "**%.0f**" % cols[b]["per_op"] for b in boots) + " |")
        md.append("")
        for b in boots:
            top = list(cols[b]["functions"].items())[:12]
            md.append("Top functions, %s: " % cols[b]["column"] + ", ".join(
                "`%s` %.0f" % (k, v) for k, v in top))
            md.append("")
    text = "\n".join(md) + "\n"
    with open(os.path.join(outdir, "profile.md"), "w") as f:
        f.write(text)
    with open(os.path.join(outdir, "profile.json"), "w") as f:
        json.dump(result, f, indent=1)
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
