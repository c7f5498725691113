#!/usr/bin/env bash
# Rebuilds every BPF object in Fixtures/obj from Fixtures/src.
#
#   Fixtures/build.sh            # rebuild all
#   Fixtures/build.sh maps core  # rebuild only maps.bpf.c and core.bpf.c
#
# Output is deterministic: clang runs from the repository root on relative
# paths, and -fdebug-compilation-dir=. keeps the checkout's absolute path out of
# DW_AT_comp_dir and out of the BTF line-info file names, so the same sources
# give the same bytes in any checkout.
set -euo pipefail

CLANG=${CLANG:-/opt/swift/usr/bin/clang}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

SRC=Fixtures/src
OBJ=Fixtures/obj

# Flags every object is built with.
COMMON_FLAGS=(
  -g -O2
  -fdebug-compilation-dir=.
  -I/usr/include/x86_64-linux-gnu
  -I Fixtures/include
  -Wall -Werror
  -Wno-unused-function
)

# Objects built with something other than the default (-target bpf, cpu v3):
#   "<object name>:<target flags>"; an object name <source>.<suffix> is an
#   extra variant of <source>.bpf.c, a bare <source> replaces its default flags
VARIANTS=(
  "cpuv4:-target bpf -mcpu=v4"
  "programs.bpfeb:-target bpfeb"
  "maps.bpfeb:-target bpfeb"
  "core.bpfeb:-target bpfeb"
  "layout.bpfeb:-target bpfeb"
)

build() { # build <source name> <object name> <target flags...>
  local source=$1 object=$2
  shift 2
  echo "  CC  $OBJ/$object.bpf.o"
  "$CLANG" "$@" "${COMMON_FLAGS[@]}" -c "$SRC/$source.bpf.c" -o "$OBJ/$object.bpf.o"
}

variant_flags() { # variant_flags <object name>: prints the flags of a variant, or nothing
  local entry
  for entry in "${VARIANTS[@]}"; do
    if [[ ${entry%%:*} == "$1" ]]; then echo "${entry#*:}"; return; fi
  done
}

# Host (x86-64 Linux) programs the BPF fixtures attach to, e.g. USDT probes:
#   Fixtures/src/<name>.c -> Fixtures/obj/<name> (no .o suffix, so the test
#   helpers that list BPF objects (*.o) skip them).
HOST_PROGRAMS=(usdt_target)
HOST_FLAGS=(-O2 -g0 -Wall -Werror -rdynamic -fdebug-compilation-dir=.)

mkdir -p "$OBJ"
if (($# > 0)); then wanted=("$@"); else wanted=(); fi

for path in "$SRC"/*.bpf.c; do
  name=$(basename "$path" .bpf.c)
  if ((${#wanted[@]} > 0)) && [[ ! " ${wanted[*]} " == *" $name "* ]]; then continue; fi
  flags=$(variant_flags "$name")
  # shellcheck disable=SC2086 # flags are words on purpose
  build "$name" "$name" ${flags:--target bpf}
  # Extra variants of this source: entries named "<name>.<suffix>".
  for entry in "${VARIANTS[@]}"; do
    object=${entry%%:*}
    if [[ $object == "$name".* ]]; then
      # shellcheck disable=SC2086
      build "$name" "$object" ${entry#*:}
    fi
  done
done

for name in "${HOST_PROGRAMS[@]}"; do
  if ((${#wanted[@]} > 0)) && [[ ! " ${wanted[*]} " == *" $name "* ]]; then continue; fi
  echo "  CC  $OBJ/$name (host program)"
  "$CLANG" "${HOST_FLAGS[@]}" "$SRC/$name.c" -o "$OBJ/$name"
done

# Split BTF: a generator linked with libbpf (-lbpf, libbpf-dev) writes a base
# BTF and a split BTF on top of it; the generator itself is not kept.
if ((${#wanted[@]} == 0)) || [[ " ${wanted[*]} " == *" split_btf "* ]]; then
  echo "  GEN $OBJ/split_base.btf $OBJ/split.btf"
  generator=$(mktemp)
  trap 'rm -f "$generator"' EXIT
  "$CLANG" "${HOST_FLAGS[@]}" "$SRC/split_btf.c" -o "$generator" -lbpf
  "$generator" "$OBJ/split_base.btf" "$OBJ/split.btf"
fi
