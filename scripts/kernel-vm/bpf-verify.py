#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Loads every program of BPF objects one at a time and reports, as one JSON
line per program, what the running kernel's verifier said.

libbpf is called through ctypes so that the kernel matrix needs no compiled
helper and runs on any build directory. Each program gets its own open and
load (only that program set to autoload), so a rejection of one program never
hides the result of the other.

First load: log level 4 (BPF_LOG_STATS) only, which costs almost nothing and
gives "processed N insns ... total_states ... peak_states". On a rejection the
program is loaded again at level 1|4 into a large buffer: the reason is at the
END of the log (the instruction trace leading to it), and kernels before 6.4
keep only the head of a log that overflows, so the buffer must hold it all.

Usage: bpf-verify.py [--skip-map NAME]... [--tail N] OBJECT.o...
"""
import argparse
import ctypes
import ctypes.util
import errno
import json
import os
import re
import sys

LOG_STATS = 4
LOG_LEVEL1 = 1
STATS_BUF = 1 << 20
# Enough for the level-1 trace of a program that hits the 1M-instruction limit.
FULL_BUF = 256 << 20

STATS_RE = re.compile(
    r"processed (\d+) insns \(limit \d+\) max_states_per_insn (\d+) "
    r"total_states (\d+) peak_states (\d+)")


class Libbpf:
    def __init__(self):
        lib = ctypes.CDLL(ctypes.util.find_library("bpf") or "libbpf.so.1", use_errno=True)
        vp, cp = ctypes.c_void_p, ctypes.c_char_p
        sig = {
            "bpf_object__open_file": (vp, [cp, vp]),
            "bpf_object__load": (ctypes.c_int, [vp]),
            "bpf_object__close": (None, [vp]),
            "bpf_object__next_program": (vp, [vp, vp]),
            "bpf_object__find_map_by_name": (vp, [vp, cp]),
            "bpf_map__set_autocreate": (ctypes.c_int, [vp, ctypes.c_bool]),
            "bpf_program__name": (cp, [vp]),
            "bpf_program__set_autoload": (ctypes.c_int, [vp, ctypes.c_bool]),
            "bpf_program__set_log_level": (ctypes.c_int, [vp, ctypes.c_uint32]),
            "bpf_program__set_log_buf": (ctypes.c_int, [vp, vp, ctypes.c_size_t]),
            "libbpf_get_error": (ctypes.c_long, [vp]),
        }
        for name, (res, args) in sig.items():
            fn = getattr(lib, name)
            fn.restype, fn.argtypes = res, args
        self.lib = lib
        self.messages = []
        self._install_print()

    def _install_print(self):
        # libbpf's own warnings (map creation, relocation) are kept for the
        # report; the verifier log is read from our buffer, not from them.
        libc = ctypes.CDLL(None)
        libc.vsnprintf.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_void_p]
        proto = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p)

        def printer(level, fmt, args):
            buf = ctypes.create_string_buffer(4096)
            libc.vsnprintf(buf, len(buf), fmt, args)
            text = buf.value.decode(errors="replace")
            if level <= 1 and "PROG LOAD LOG" not in text:  # warn, info
                self.messages.extend(l for l in text.splitlines() if l.strip())
            return 0

        self._printer = proto(printer)  # kept alive as long as libbpf may call it
        self.lib.libbpf_set_print.restype = ctypes.c_void_p
        self.lib.libbpf_set_print.argtypes = [proto]
        self.lib.libbpf_set_print(self._printer)

    def programs(self, obj):
        prog = self.lib.bpf_object__next_program(obj, None)
        while prog:
            yield prog
            prog = self.lib.bpf_object__next_program(obj, prog)

    def open(self, path):
        obj = self.lib.bpf_object__open_file(path.encode(), None)
        if not obj or self.lib.libbpf_get_error(obj):
            raise OSError(ctypes.get_errno(), f"cannot open {path}")
        return obj

    def program_names(self, path):
        obj = self.open(path)
        try:
            return [self.lib.bpf_program__name(p).decode() for p in self.programs(obj)]
        finally:
            self.lib.bpf_object__close(obj)

    def load_one(self, path, name, level, size, skip_maps):
        """Loads only program `name` of `path`; returns (errno or 0, log text)."""
        obj = self.open(path)
        buf = ctypes.create_string_buffer(size)
        try:
            for prog in self.programs(obj):
                mine = self.lib.bpf_program__name(prog).decode() == name
                self.lib.bpf_program__set_autoload(prog, mine)
                if mine:
                    self.lib.bpf_program__set_log_level(prog, level)
                    self.lib.bpf_program__set_log_buf(prog, buf, size)
            for m in skip_maps:
                mp = self.lib.bpf_object__find_map_by_name(obj, m.encode())
                if mp:
                    self.lib.bpf_map__set_autocreate(mp, False)
            self.messages.clear()
            err = self.lib.bpf_object__load(obj)
            return (-err if err < 0 else err), buf.value.decode(errors="replace")
        finally:
            self.lib.bpf_object__close(obj)


def stats_of(log):
    m = STATS_RE.search(log)
    if not m:
        return {}
    insns, per_insn, total, peak = (int(x) for x in m.groups())
    return {"insns": insns, "max_states_per_insn": per_insn, "total_states": total, "peak_states": peak}


def verify(bpf, path, name, skip_maps, tail):
    rec = {"object": os.path.basename(path), "program": name}
    err, log = bpf.load_one(path, name, LOG_STATS, STATS_BUF, skip_maps)
    rec.update(stats_of(log))
    if err == 0:
        rec["result"] = "ok"
        return rec
    rec["result"] = errno.errorcode.get(err, str(err))
    rec["libbpf"] = bpf.messages[-5:]
    _, full = bpf.load_one(path, name, LOG_LEVEL1 | LOG_STATS, FULL_BUF, skip_maps)
    lines = [l for l in (full or log).splitlines() if l.strip()]
    rec["log_lines"] = len(lines)
    rec["log_tail"] = lines[-tail:]
    rec.update(stats_of(full) or {})
    return rec


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skip-map", action="append", default=[],
                    help="map not to create (as the product does for template maps)")
    ap.add_argument("--tail", type=int, default=30, help="log lines kept on a rejection")
    ap.add_argument("objects", nargs="+")
    args = ap.parse_args()
    bpf = Libbpf()
    failed = 0
    for path in args.objects:
        try:
            names = bpf.program_names(path)
        except OSError as e:
            print(json.dumps({"object": os.path.basename(path), "program": "*", "result": "open failed",
                              "libbpf": bpf.messages[-5:] or [str(e)]}), flush=True)
            failed += 1
            continue
        for name in names:
            rec = verify(bpf, path, name, args.skip_map, args.tail)
            failed += rec["result"] != "ok"
            print(json.dumps(rec), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
