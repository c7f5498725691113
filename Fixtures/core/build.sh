#!/usr/bin/env bash
# Rebuilds the CO-RE engine's fixtures in Fixtures/core:
#   probe.bpf.o, probe.bpfeb.bpf.o  the local program (probe.bpf.c), both byte orders
#   module.bpf.o                    reads of types in a module's split BTF (Fixtures/obj/split*.btf)
#   btf/target_X.btf                raw .BTF of targets/target_X.c (clang -target bpf -g)
#   samples/target_X.{el,eb}.bin    .data of target_X.c built with -DSAMPLE for bpfel
#                                   and bpfeb: one `struct sample` with known bitfields
#   expected/target_X.txt           what a host C program compiled against target_X.c
#                                   (cc -DORACLE, see oracle.h) prints: offsetof,
#                                   sizeof, enum values, and the sample's bitfield values
#
#   Fixtures/core/build.sh
#
# Needs /opt/swift/usr/bin/clang and llvm-objcopy (override with CLANG=, OBJCOPY=),
# a host C compiler (CC=, default cc), linux-libc-dev and libbpf-dev.
# Deterministic: runs from the repository root on relative paths.
set -euo pipefail

CLANG=${CLANG:-/opt/swift/usr/bin/clang}
OBJCOPY=${OBJCOPY:-/opt/swift/usr/bin/llvm-objcopy}
HOSTCC=${CC:-cc}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

DIR=Fixtures/core
FLAGS=(-g -O2 -fdebug-compilation-dir=. -I/usr/include/x86_64-linux-gnu -I Fixtures/include -Wall -Werror)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

echo "  CC  $DIR/probe.bpf.o"
"$CLANG" -target bpf "${FLAGS[@]}" -c "$DIR/probe.bpf.c" -o "$DIR/probe.bpf.o"
echo "  CC  $DIR/probe.bpfeb.bpf.o"
"$CLANG" -target bpfeb "${FLAGS[@]}" -c "$DIR/probe.bpf.c" -o "$DIR/probe.bpfeb.bpf.o"
echo "  CC  $DIR/module.bpf.o"
"$CLANG" -target bpf "${FLAGS[@]}" -c "$DIR/module.bpf.c" -o "$DIR/module.bpf.o"

mkdir -p "$DIR/btf" "$DIR/samples" "$DIR/expected"
for source in "$DIR"/targets/target_*.c; do
  name=$(basename "$source" .c)
  echo "  BTF $DIR/btf/$name.btf"
  "$CLANG" -target bpf "${FLAGS[@]}" -c "$source" -o "$TMP/$name.o"
  "$OBJCOPY" --dump-section ".BTF=$DIR/btf/$name.btf" "$TMP/$name.o"
  if grep -q 'ifdef SAMPLE' "$source"; then
    for order in el eb; do
      echo "  BIN $DIR/samples/$name.$order.bin"
      "$CLANG" -target "bpf$order" "${FLAGS[@]}" -DSAMPLE -c "$source" -o "$TMP/$name.$order.o"
      "$OBJCOPY" --dump-section ".data=$DIR/samples/$name.$order.bin" "$TMP/$name.$order.o"
    done
  fi
  echo "  RUN $DIR/expected/$name.txt"
  "$HOSTCC" -DORACLE -w -o "$TMP/$name.oracle" "$source"
  "$TMP/$name.oracle" > "$DIR/expected/$name.txt"
done
