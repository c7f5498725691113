import Foundation
import PackagePlugin

/// SwiftPM build-tool plugin: compiles each `*.bpf.c` of a target with
/// clang for the BPF target and compiles the skeleton `swiftbpf gen
/// skeleton` writes for it into the target.
///
/// For `Sources/App/minimal.bpf.c` the target gets `Minimal` (the object
/// embedded, typed globals, maps, programs and events). The `.bpf.c` files
/// must be excluded from the Swift target (`exclude: ["minimal.bpf.c"]`):
/// SwiftPM refuses C files in a Swift target. Headers (`*.h`) anywhere in
/// the target directory are inputs of every compile, so editing one
/// rebuilds. A source including `vmlinux.h` uses the target's own, or one
/// generated from this machine's kernel (`/sys/kernel/btf/vmlinux`).
@main
struct SwiftBPFPlugin: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
    guard let module = target as? SourceModuleTarget else { return [] }
    let directory = module.directoryURL
    let found = BPFSources(directory: directory)
    guard !found.sources.isEmpty else { return [] }
    try Self.checkNoDuplicateNames(found.sources, target: target.name)

    let toolchain = try BPFToolchain(context: context, target: target.name, directory: directory, sources: found)
    let swiftbpf = try context.tool(named: "swiftbpf").url
    let work = context.pluginWorkDirectoryURL

    // Header search: the target directory (for `bpf/...` copied into it),
    // the directory of the target's own vmlinux.h, else the generated one.
    var includes = [directory]
    var inputs = found.headers
    var generatedVmlinux: URL?
    if let own = found.vmlinuxHeader {
      includes.append(own.deletingLastPathComponent())
    } else if found.includesVmlinux {
      let kernelBTF = URL(fileURLWithPath: "/sys/kernel/btf/vmlinux")
      guard FileManager.default.fileExists(atPath: kernelBTF.path) else {
        throw PluginFailure(
          "target '\(target.name)' includes vmlinux.h but has none, and this kernel has no "
            + "/sys/kernel/btf/vmlinux to generate it from: add a vmlinux.h to the target "
            + "(swiftbpf btf dump <BTF file> --format c -o vmlinux.h)")
      }
      let header = work.appending(path: "include/vmlinux.h")
      generatedVmlinux = header
      includes.append(header.deletingLastPathComponent())
      inputs.append(kernelBTF)  // a new boot's BTF regenerates it
    }
    let flags = toolchain.flags(includes: includes)

    return found.sources.map { source in
      let fileName = source.lastPathComponent
      let stem = String(fileName.dropLast(".c".count))  // minimal.bpf
      let name = SwiftName.skeleton(forSource: fileName)
      let object = work.appending(path: "\(stem).o")
      let skeleton = work.appending(path: "\(name).skeleton.swift")
      return .buildCommand(
        displayName: "Compiling BPF \(fileName) and generating \(name)",
        executable: URL(fileURLWithPath: "/bin/sh"),
        arguments: BuildScript.arguments(
          clang: toolchain.clang, swiftbpf: swiftbpf, source: source, object: object, skeleton: skeleton,
          name: name, generatedVmlinux: generatedVmlinux, flags: flags),
        // The tools are inputs too: a rebuilt swiftbpf regenerates the
        // skeletons (and SwiftPM builds it before this command runs).
        inputFiles: [source, toolchain.clang, swiftbpf] + inputs,
        outputFiles: [skeleton])
    }
  }

  /// Two sources with one file name would write one object and one skeleton.
  private static func checkNoDuplicateNames(_ sources: [URL], target: String) throws {
    var seen: [String: URL] = [:]
    for source in sources {
      let name = SwiftName.skeleton(forSource: source.lastPathComponent)
      if let other = seen[name] {
        throw PluginFailure(
          "target '\(target)': \(other.path) and \(source.path) would both generate '\(name)': rename one")
      }
      seen[name] = source
    }
  }
}
