// swift-tools-version:6.1
// SwiftBPF: a BPF loader in Swift that does what libbpf does, without linking libbpf.
// Module boundaries follow DESIGN.md; target dependencies below enforce them.
// Every target lists every package module it imports (system modules such as
// Glibc and Synchronization aside), even ones it would reach transitively, so
// the list is the module's whole reach. Only Syscall depends on CBPFSys.
import PackageDescription

let package = Package(
  name: "SwiftBPF",
  products: [
    .library(name: "SwiftBPF", type: .static, targets: ["SwiftBPF"]),
    .executable(name: "swiftbpf", targets: ["swiftbpf"]),
    // Compiles a target's *.bpf.c with clang and its skeletons into it (Examples/ uses it).
    .plugin(name: "SwiftBPFPlugin", targets: ["SwiftBPFPlugin"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    // 1.11: LogHandler.log(event:), which handlers implement without a deprecation warning.
    .package(url: "https://github.com/apple/swift-log", from: "1.11.0"),
    .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
  ],
  targets: [
    // C: libelf through pkg-config, and the header-only syscall shim.
    .systemLibrary(
      name: "CLibELF", pkgConfig: "libelf",
      providers: [.apt(["libelf-dev"])]),
    .target(name: "CBPFSys"),
    .systemLibrary(
      name: "CZlib", pkgConfig: "zlib",
      providers: [.apt(["zlib1g-dev"])]),

    // Pure Swift: kernel UAPI enums, instructions, BTF, CO-RE.
    .target(name: "UAPI"),
    .target(name: "Instructions", dependencies: ["UAPI"]),
    .target(name: "BTF", dependencies: ["UAPI"]),
    .target(name: "Relocation", dependencies: ["BTF", "Instructions", "UAPI"]),

    // The object model, read through libelf.
    .target(name: "ELFReader", dependencies: ["CLibELF", "Instructions", "BTF", "UAPI"]),

    // Swift source from BTF and objects: `gen types`, `gen skeleton` (never reaches the kernel).
    .target(name: "Codegen", dependencies: ["BTF", "ELFReader", "UAPI"]),

    // The only module that talks to the kernel.
    .target(name: "Syscall", dependencies: ["CBPFSys", "UAPI"]),

    // open -> load -> attach -> teardown.
    .target(name: "Loader", dependencies: [
      "ELFReader", "BTF", "Relocation", "Syscall", "Instructions", "UAPI", "CZlib",
      .product(name: "Logging", package: "swift-log"),
    ]),

    // What users link.
    .target(name: "SwiftBPF", dependencies: ["Loader", "ELFReader", "BTF", "Relocation", "Syscall", "Instructions", "UAPI"]),

    .executableTarget(
      name: "swiftbpf",
      dependencies: [
        "SwiftBPF", "Codegen",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ]),

    // Build-tool plugin: clang for each *.bpf.c, then `swiftbpf gen skeleton` (Plugins/SwiftBPFPlugin).
    .plugin(name: "SwiftBPFPlugin", capability: .buildTool(), dependencies: ["swiftbpf"]),

    // Paths to fixtures and toolchain tools, shared by the test targets.
    .target(name: "TestSupport", path: "Tests/TestSupport"),
    .testTarget(name: "InstructionsTests", dependencies: ["Instructions", "UAPI", "TestSupport"]),
    .testTarget(name: "BTFTests", dependencies: ["BTF", "UAPI", "TestSupport"]),
    .testTarget(name: "ELFReaderTests", dependencies: ["ELFReader", "Instructions", "UAPI", "TestSupport"]),
    .testTarget(name: "CLITests", dependencies: [
      "swiftbpf", "SwiftBPF", "UAPI", "TestSupport", .product(name: "Logging", package: "swift-log"),
    ]),
    // Builds and runs the Examples package (SwiftBPFPlugin end to end); needs only the tools.
    .testTarget(name: "PluginTests", dependencies: ["TestSupport"]),
    .testTarget(name: "CodegenTests", dependencies: ["Codegen", "BTF", "ELFReader", "UAPI", "TestSupport"]),
    // Generated Swift compiled for real (files written by CodegenTests' GeneratedFilesTests): the layout
    // corpus's types, and the other fixtures' types (file-private, so their names cannot clash).
    .target(name: "LayoutTestSupport", dependencies: ["SwiftBPF", "TestSupport"], path: "Tests/LayoutTestSupport"),
    .testTarget(name: "CodegenLayoutTests", dependencies: ["SwiftBPF", "LayoutTestSupport", "TestSupport"]),
    .testTarget(name: "CodegenFixtureLayoutTests", dependencies: ["SwiftBPF", "LayoutTestSupport", "TestSupport"]),
    .testTarget(name: "RelocationTests", dependencies: ["Relocation", "BTF", "Instructions", "UAPI", "TestSupport"]),
    // The test targets below check raw kernel facts through the shim (CBPFSys).
    .testTarget(name: "SyscallTests", dependencies: ["Syscall", "CBPFSys", "UAPI", "TestSupport"]),
    // Also SwiftBPF: a generated skeleton (Generated/) imports only the umbrella.
    .testTarget(name: "LoaderTests", dependencies: [
      "SwiftBPF", "Loader", "ELFReader", "BTF", "Relocation", "Syscall", "Instructions", "UAPI", "CBPFSys", "TestSupport",
      .product(name: "Logging", package: "swift-log"),
    ]),
  ]
)
