#!/usr/bin/env bash
# Rebuilds the host programs of the attach tests (Fixtures/attach/*.c) from
# the repository root or anywhere: attach_target (PIE),
# attach_target_nopie (ET_EXEC) and net_client. Needs a C compiler for x86-64 Linux
# (CC, default /opt/swift/usr/bin/clang). Commit the sources and binaries together.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
CC=${CC:-/opt/swift/usr/bin/clang}
cd "$here"
FLAGS=(-O2 -g0 -Wall -Werror -rdynamic -fdebug-compilation-dir=.)
"$CC" "${FLAGS[@]}" -fPIE -pie -o attach_target attach_target.c
"$CC" "${FLAGS[@]}" -fno-pie -no-pie -o attach_target_nopie attach_target.c
"$CC" "${FLAGS[@]}" -o net_client net_client.c
echo "built attach_target attach_target_nopie net_client"
