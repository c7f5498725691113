import Foundation
import PackagePlugin

/// The C side of the build: which clang, and the flags every `.bpf.c` is
/// compiled with on this build machine.
struct BPFToolchain {
  /// clang, from `SWIFTBPF_CLANG` or SwiftPM's tool search (the
  /// toolchain's own `usr/bin` first, then PATH).
  var clang: URL
  /// `-D__TARGET_ARCH_<arch>` for `bpf_tracing.h`'s register names.
  var architectureDefine: String
  /// `/usr/include/<triple>`, where Debian keeps `asm/types.h`, when present.
  var multiarchInclude: URL?

  /// Finds clang and checks the libbpf headers the sources include, so a
  /// missing one is one clear message instead of a compile error per file.
  init(context: PluginContext, target: String, directory: URL, sources: BPFSources) throws {
    clang = try Self.findClang(context: context, target: target)
    let (arch, triple) = Self.hostArchitecture
    architectureDefine = "-D__TARGET_ARCH_\(arch)"
    let multiarch = URL(fileURLWithPath: "/usr/include/\(triple)")
    multiarchInclude = FileManager.default.fileExists(atPath: multiarch.path) ? multiarch : nil
    if sources.includesLibbpfHeaders && !Self.hasLibbpfHeaders(in: directory) {
      throw PluginFailure(
        "target '\(target)': its BPF C includes <bpf/bpf_helpers.h> and friends, which are not installed: "
          + "install libbpf-dev (apt-get install libbpf-dev; its header-only files are all that is used, "
          + "nothing links libbpf), or copy the headers into the target under bpf/")
    }
  }

  /// The flags for one compile; `includes` are searched in order.
  func flags(includes: [URL]) -> [String] {
    var flags = ["-target", "bpf", "-g", "-O2", architectureDefine]
    for directory in includes { flags += ["-I", directory.path] }
    if let multiarchInclude { flags += ["-I", multiarchInclude.path] }
    return flags
  }

  private static func findClang(context: PluginContext, target: String) throws -> URL {
    if let override = ProcessInfo.processInfo.environment["SWIFTBPF_CLANG"], !override.isEmpty {
      guard FileManager.default.isExecutableFile(atPath: override) else {
        throw PluginFailure("SWIFTBPF_CLANG=\(override) is not an executable file")
      }
      return URL(fileURLWithPath: override)
    }
    do {
      return try context.tool(named: "clang").url
    } catch {
      throw PluginFailure(
        "target '\(target)' has BPF C sources but no clang was found (looked in the Swift toolchain and PATH): "
          + "install clang (the Swift toolchain ships one; any clang with the BPF target works), "
          + "or set SWIFTBPF_CLANG to its path")
    }
  }

  /// The name `bpf_tracing.h` uses for this machine (`__TARGET_ARCH_x86`)
  /// and Debian's multiarch triple for it.
  private static var hostArchitecture: (String, String) {
    #if arch(x86_64)
      ("x86", "x86_64-linux-gnu")
    #elseif arch(arm64)
      ("arm64", "aarch64-linux-gnu")
    #elseif arch(s390x)
      ("s390", "s390x-linux-gnu")
    #elseif arch(powerpc64le)
      ("powerpc", "powerpc64le-linux-gnu")
    #elseif arch(riscv64)
      ("riscv", "riscv64-linux-gnu")
    #else
      ("x86", "x86_64-linux-gnu")
    #endif
  }

  /// libbpf's BPF-side headers in the target itself (`bpf/bpf_helpers.h`
  /// beside the sources) or a system include directory clang searches.
  private static func hasLibbpfHeaders(in directory: URL) -> Bool {
    [directory.path, "/usr/include", "/usr/local/include"].contains {
      FileManager.default.fileExists(atPath: "\($0)/bpf/bpf_helpers.h")
    }
  }
}

/// A plugin error SwiftPM prints as its one line.
struct PluginFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = "SwiftBPFPlugin: " + description }
}
