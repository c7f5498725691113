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
#   name=extra flags        (name without .bpf.c; several lines may name one source)
VARIANTS=(
  "cpuv4:-target bpf -mcpu=v4"
  "programs.bpfeb:-target bpfeb"
  "maps.bpfeb:-target bpfeb"
  "core.bpfeb:-target bpfeb"
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
