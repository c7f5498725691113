#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Finding the running kernel's BTF.
extension BTF {
  /// What was found where: a raw BTF blob, or an ELF image whose `.BTF`
  /// section the caller reads (with ELFReader; this module reads no ELF).
  public struct KernelBTFLocation: Sendable, Equatable {
    /// How the file holds the BTF, told by its magic number.
    public enum Format: Sendable, Equatable {
      /// A raw BTF blob (magic `0xeB9F`), as `/sys/kernel/btf/vmlinux`.
      case raw
      /// An ELF image (a vmlinux with a `.BTF` section).
      case elf
    }
    /// The file found.
    public var path: String
    /// What it holds.
    public var format: Format
  }

  /// The running kernel's release (`uname -r`), or nil if uname fails.
  public static var kernelRelease: String? {
    var names = utsname()
    guard uname(&names) == 0 else { return nil }
    return withUnsafeBytes(of: &names.release) { raw in
      String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }
  }

  /// Where the kernel's BTF is looked for, in order: the kernel's own
  /// `/sys/kernel/btf/vmlinux`, then the places distributions install a
  /// vmlinux with BTF (the list libbpf documents for `btf__load_vmlinux_btf`).
  public static func kernelSearchPaths(release: String) -> [String] {
    [
      "/sys/kernel/btf/vmlinux",
      "/boot/vmlinux-\(release)",
      "/lib/modules/\(release)/vmlinux-\(release)",
      "/lib/modules/\(release)/build/vmlinux",
      "/usr/lib/modules/\(release)/kernel/vmlinux",
      "/usr/lib/debug/boot/vmlinux-\(release)",
      "/usr/lib/debug/boot/vmlinux-\(release).debug",
      "/usr/lib/debug/lib/modules/\(release)/vmlinux",
    ]
  }

  /// Finds the first readable candidate and tells raw BTF from ELF by magic.
  ///
  /// - Parameter paths: candidates (default: `kernelSearchPaths` for the
  ///   running kernel).
  public static func locateKernelBTF(in paths: [String]? = nil) throws(BTFError) -> KernelBTFLocation {
    let candidates = paths ?? kernelSearchPaths(release: kernelRelease ?? "unknown")
    for path in candidates {
      guard let magic = readMagic(path) else { continue }
      if magic.starts(with: [0x7F, 0x45, 0x4C, 0x46]) { return KernelBTFLocation(path: path, format: .elf) }
      if magic.starts(with: [0x9F, 0xEB]) || magic.starts(with: [0xEB, 0x9F]) {
        return KernelBTFLocation(path: path, format: .raw)
      }
    }
    throw .kernelBTFNotFound(searched: candidates)
  }

  /// Loads the running kernel's BTF (a raw blob), or the raw file at `path`.
  ///
  /// Throws `kernelBTFIsELF` when the only BTF found is inside an ELF vmlinux
  /// (read its `.BTF` with ELFReader and pass the bytes to `BTF(bytes:)`), and
  /// `kernelBTFNotFound` listing every place searched.
  public static func kernel(path: String? = nil) throws(BTFError) -> BTF {
    let location = try locateKernelBTF(in: path.map { [$0] })
    guard location.format == .raw else { throw .kernelBTFIsELF(path: location.path) }
    return try BTF(contentsOf: location.path)
  }

  /// A kernel module's split BTF, `/sys/kernel/btf/<name>`, on top of `vmlinux`.
  ///
  /// Kernel: module BTF appears there with `CONFIG_DEBUG_INFO_BTF_MODULES`.
  public static func kernelModule(_ name: String, vmlinux: BTF, directory: String = "/sys/kernel/btf")
    throws(BTFError) -> BTF
  {
    try BTF(contentsOf: "\(directory)/\(name)", base: vmlinux)
  }

  private static func readMagic(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { _ = close(fd) }
    var bytes = [UInt8](repeating: 0, count: 4)
    let got = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4) }
    guard got >= 2 else { return nil }
    return Array(bytes.prefix(got))
  }
}
