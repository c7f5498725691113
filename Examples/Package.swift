// swift-tools-version:6.1
// SwiftBPF examples: each a small `swift run <name>` program with its BPF C
// beside it. SwiftBPFPlugin compiles every `<name>.bpf.c` with clang and
// generates the Swift skeleton (`Minimal`, `Bootstrap`, ...) the program
// uses. Run them as root: `swift build` here, then `sudo .build/debug/<name>`.
import PackageDescription

/// One example: an executable target whose `<name>.bpf.c` the plugin
/// builds. SwiftPM refuses C files in a Swift target, hence `exclude`: the
/// plugin finds them itself.
func example(_ name: String, dependencies: [Target.Dependency] = []) -> Target {
  .executableTarget(
    name: name,
    dependencies: [.product(name: "SwiftBPF", package: "SwiftBPF"), "ExampleSupport"] + dependencies,
    exclude: ["\(name).bpf.c"],
    plugins: [.plugin(name: "SwiftBPFPlugin", package: "SwiftBPF")])
}

let package = Package(
  name: "SwiftBPFExamples",
  // `name:` so the dependency is "SwiftBPF" whatever the checkout's directory is called.
  dependencies: [.package(name: "SwiftBPF", path: "..")],
  targets: [
    // Command line, Ctrl-C and timing shared by the examples (no BPF in it).
    .target(name: "ExampleSupport"),
    // A USDT probe site in C (Swift cannot emit the probe's ELF note).
    .target(name: "USDTSite"),

    example("minimal"),
    example("bootstrap"),
    example("uprobe"),
    example("usdt", dependencies: ["USDTSite"]),
    example("tc"),
    example("xdp"),
    example("fentry"),
    example("ksyscall"),
    example("profile"),
  ]
)
