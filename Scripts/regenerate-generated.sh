#!/usr/bin/env bash
# Regenerates the Swift that tests compile from generator output (the
# skeleton of Fixtures/obj/skeleton.bpf.o), with the CLI built from this
# checkout. Tests compare these files with a fresh generation, so run this
# after changing the generator or the fixtures, and commit the result.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
swift build -j 2 --product swiftbpf >/dev/null
BIN=$(swift build --show-bin-path)/swiftbpf
"$BIN" gen skeleton Fixtures/obj/skeleton.bpf.o --name SkeletonFixture --access internal \
  -o Tests/LoaderTests/Generated/SkeletonFixture.swift
echo "regenerated Tests/LoaderTests/Generated/SkeletonFixture.swift"
