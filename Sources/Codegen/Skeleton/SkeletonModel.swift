import BTF
import ELFReader
import UAPI

/// What a skeleton holds, read from the object before any Swift is written:
/// its global data sections, maps and programs under their Swift names.
struct SkeletonModel {
  /// A `.data`/`.rodata`/`.bss` section with variables a user can reach.
  struct Section {
    var cName: String        // ".rodata"
    var property: String     // "rodata"
    var layoutType: String   // "BootstrapRodata"
    var isReadOnly: Bool
  }

  struct Map {
    var cName: String
    var property: String
    var view: MapView
    /// A ring buffer's declared record type, as Swift.
    var recordType: String?
  }

  struct Program {
    var cName: String
    var property: String
    var sectionName: String
  }

  /// A `__kconfig` extern.
  struct Kconfig {
    var cName: String
    var property: String
    var value: KconfigValue
  }

  var swiftName: String
  var objectName: String
  var fileName: String
  var sections: [Section] = []
  var maps: [Map] = []
  var programs: [Program] = []
  var kconfig: [Kconfig] = []
}

extension SkeletonModel {
  /// libbpf's object name: the file's base name up to its first dot
  /// (`bootstrap.bpf.o` → `bootstrap`).
  static func objectName(fileName: String) -> String {
    let base = fileName.split(separator: "/").last.map(String.init) ?? fileName
    let stem = base.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? base
    return stem.isEmpty ? base : stem
  }

  /// A data section's name in Swift: `.rodata` → `rodata`, `.data.custom` →
  /// `dataCustom` (the type adds the skeleton's name: `BootstrapDataCustom`).
  static func sectionWords(_ section: String) -> String {
    String(section.drop(while: { $0 == "." })).replacingDots()
  }
}

extension String {
  /// `.` and `-` become `_`, so a section or file name splits into words.
  func replacingDots() -> String {
    String(map { $0 == "." || $0 == "-" ? "_" : $0 })
  }
}

/// Unique Swift member names in one scope: a second C name that maps to
/// the same Swift name (`foo_bar` and `fooBar`) gets a numeric suffix, in
/// the object's order, so the result is deterministic.
struct NameScope {
  private var used: Set<String>

  init(reserved: Set<String> = []) { used = reserved }

  mutating func member(_ cName: String) -> String {
    claim(SwiftNames.memberName(cName))
  }

  mutating func claim(_ name: String) -> String {
    var candidate = name
    var suffix = 2
    while used.contains(candidate) {
      candidate = name.hasSuffix("`") ? "`\(name.dropFirst().dropLast())\(suffix)`" : "\(name)\(suffix)"
      suffix += 1
    }
    used.insert(candidate)
    return candidate
  }
}
