// swift-tools-version:6.1
// SwiftBPF benchmarks: our implementation against libbpf, measured in the same run.
// A package of its own so that only this package links libbpf, never the root one.
import PackageDescription

let package = Package(
  name: "SwiftBPFBenchmarks",
  dependencies: [
    // `name:` pins the identity, which otherwise is the checkout's directory name.
    .package(name: "SwiftBPF", path: ".."),
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
  ],
  targets: [
    // Debian's libbpf (libbpf-dev), found through pkg-config.
    .systemLibrary(
      name: "CLibBPF", pkgConfig: "libbpf",
      providers: [.apt(["libbpf-dev"])]),
    // The libbpf side of each benchmark, in C (btf_dump's printf callback takes a va_list).
    .target(name: "LibBPFHarness", dependencies: ["CLibBPF"]),
    .executableTarget(
      name: "swiftbpf-bench",
      dependencies: [
        "LibBPFHarness",
        .product(name: "SwiftBPF", package: "SwiftBPF"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
  ]
)
