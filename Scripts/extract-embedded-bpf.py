#!/usr/bin/env python3
"""Extract BPF ELF objects embedded in executables (libbpf skeletons keep the
whole .o as bytes in .rodata), e.g. from Debian's libbpf-tools and xdp-tools.

usage: extract-embedded-bpf.py OUTDIR EXECUTABLE...

An embedded object is found by its ELF header (64-bit, EM_BPF = 247, either
byte order); its length is the end of the section header table, which clang
places last. Each object is written as OUTDIR/<executable>-<n>.bpf.o.
"""
import os
import struct
import sys

EM_BPF = 247


def objects(data):
    start = 0
    while True:
        at = data.find(b"\x7fELF", start)
        if at < 0:
            return
        start = at + 4
        header = data[at:at + 64]
        if len(header) < 64 or header[4] != 2:  # ELFCLASS64 only
            continue
        order = "<" if header[5] == 1 else ">"
        machine, = struct.unpack_from(order + "H", header, 18)
        if machine != EM_BPF:
            continue
        shoff, = struct.unpack_from(order + "Q", header, 40)
        shentsize, shnum = struct.unpack_from(order + "HH", header, 58)
        end = shoff + shentsize * shnum
        if shentsize != 64 or end > len(data) - at:
            continue
        yield data[at:at + end]
        start = at + end


def main():
    outdir, paths = sys.argv[1], sys.argv[2:]
    os.makedirs(outdir, exist_ok=True)
    count = 0
    for path in paths:
        with open(path, "rb") as f:
            data = f.read()
        for n, blob in enumerate(objects(data)):
            name = f"{os.path.basename(path)}-{n}.bpf.o"
            with open(os.path.join(outdir, name), "wb") as out:
                out.write(blob)
            count += 1
    print(f"{count} objects in {outdir}")


if __name__ == "__main__":
    main()
