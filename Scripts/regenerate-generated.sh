#!/usr/bin/env bash
# Regenerates the Swift that tests compile from generator output, with the
# CLI and tests built from this checkout: the skeleton of
# Fixtures/obj/skeleton.bpf.o, then the layout files of every fixture
# (Tests/Codegen*LayoutTests/Generated, written by GeneratedFilesTests). Tests compare these files with a fresh generation, so run this
# after changing the generator or the fixtures, and commit the result.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
swift build -j 2 --product swiftbpf >/dev/null
BIN=$(swift build --show-bin-path)/swiftbpf
"$BIN" gen skeleton Fixtures/obj/skeleton.bpf.o --name SkeletonFixture --access internal \
  -o Tests/LoaderTests/Generated/SkeletonFixture.swift
echo "regenerated Tests/LoaderTests/Generated/SkeletonFixture.swift"
swift build -j 2 --build-tests >/dev/null
SWIFTBPF_REGENERATE=1 swift test -j 2 --skip-build --filter GeneratedFilesTests >/dev/null
echo "regenerated Tests/CodegenLayoutTests/Generated and Tests/CodegenFixtureLayoutTests/Generated"
