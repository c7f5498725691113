import SwiftBPF

/// Opening a BTF the user names on the command line: a raw BTF file (such
/// as `/sys/kernel/btf/vmlinux`) or an ELF whose `.BTF` section holds it (a
/// BPF object, or a `vmlinux` built with BTF).
enum BTFFile {
  /// The BTF in `path`, on top of `base` for split (module) BTF.
  static func load(_ path: String, base: BTF? = nil) throws -> BTF {
    let magic = StandardStreams.head(of: path, count: 4)
    if magic == [0x7F, 0x45, 0x4C, 0x46] {
      guard let bytes = try ObjectFile(path: path).btf else { throw BTFFileError.noBTF(path) }
      return try BTF(bytes: bytes, base: base)
    }
    return try BTF(contentsOf: path, base: base)
  }
}

enum BTFFileError: Error, CustomStringConvertible {
  case noBTF(String)

  var description: String {
    switch self {
    case .noBTF(let path): "\(path): no .BTF section (build the object with clang -g)"
    }
  }
}
