#!/usr/bin/env bash
# Records what the CLI prints for a set of BPF objects, so a refactoring can
# be checked for unchanged behaviour: run it with the CLI built before and
# after the change, then `diff -r BEFORE AFTER`.
#
# usage: Scripts/cli-snapshot.sh SWIFTBPF_BINARY OUTDIR [EXTRA_OBJECT_DIR]
#
# For each object: `inspect --json`, `disasm` (stdout and exit status, which
# must be byte-identical), `reloc --json` against the running kernel's BTF
# and against each fixture target BTF for the CO-RE fixtures, and, as root,
# `load --json` (the decisions: which programs load, which maps are created,
# what is refused and why). EXTRA_OBJECT_DIR holds objects built by other
# projects, e.g. from Scripts/extract-embedded-bpf.py. Needs bpffs at
# /sys/fs/bpf for the load runs.
set -uo pipefail
bin=$1 out=$2 extra=${3:-}
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"

objects=("$root"/Fixtures/obj/*.o "$root"/Fixtures/core/*.o)
if [ -n "$extra" ]; then objects+=("$extra"/*.o); fi

record() {  # record NAME COMMAND...: stdout, then the exit status
  local name=$1; shift
  "$@" >"$out/$name" 2>"$out/$name.stderr"
  echo "exit $?" >>"$out/$name"
}

for obj in "${objects[@]}"; do
  base=$(basename "$(dirname "$obj")")-$(basename "$obj" .o)
  record "$base.inspect.json" "$bin" inspect "$obj" --json
  record "$base.disasm" "$bin" disasm "$obj"
  record "$base.reloc.json" "$bin" reloc "$obj" --json
  if [ "$(id -u)" = 0 ]; then
    # A fresh pin root (bpffs refuses names with a dot), so maps pinned by one run are not reused by the next;
    # map and program ids differ from run to run and are left out.
    pins=$(mktemp -d /sys/fs/bpf/swiftbpf-snapshot-XXXXXX)
    record "$base.load.json" "$bin" load "$obj" --json --pin "$pins"
    sed -i '/^ *"id" : [0-9]*,\{0,1\}$/d' "$out/$base.load.json"
    rm -rf "$pins"
  fi
done
for target in "$root"/Fixtures/core/btf/*.btf; do
  for obj in "$root"/Fixtures/core/*.o; do
    record "core-$(basename "$obj" .o).reloc-$(basename "$target" .btf).json" \
      "$bin" reloc "$obj" --target-btf "$target" --json
  done
done
echo "$(ls "$out" | grep -vc '\.stderr$') outputs in $out"
