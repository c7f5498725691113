#if canImport(Glibc)
import Glibc
#endif
import LibBPFHarness
import SwiftBPF

/// One side of one BTF benchmark, runnable in the timing loop and, once, in a
/// child process for its peak memory.
enum BTFWorkload: String, CaseIterable {
  /// Nothing: the baseline child.
  case none
  /// `BTF(contentsOf:)` (maps the file, indexes and validates every record),
  /// then the first lookup by name (which builds the name index).
  case oursParse = "ours-parse"
  /// `btf__parse` + `btf__find_by_name_kind` + `btf__free`.
  case libbpfParse = "libbpf-parse"
  /// Parse, then render every type as a C header.
  case oursDump = "ours-dump"
  /// `btf__parse`, then `btf_dump__dump_type` for every id into memory.
  case libbpfDump = "libbpf-dump"

  /// The struct both sides look up.
  static let structName = "task_struct"

  /// Runs the workload once from scratch; returns a number that proves it ran
  /// (a type id or a byte count).
  func run(path: String) throws -> Int {
    switch self {
    case .none:
      return 0
    case .oursParse:
      return Int(try BTFWorkload.oursParseFind(path: path))
    case .libbpfParse:
      return Int(try BTFWorkload.libbpfParseFind(path: path))
    case .oursDump:
      let btf = try BTF(contentsOf: path)
      return try OurCDump.render(btf)?.utf8.count ?? 0
    case .libbpfDump:
      let btf = try LibBPFBTF(path: path)
      return try btf.dumpC()
    }
  }

  static func oursParseFind(path: String) throws(BTFError) -> UInt32 {
    let btf = try BTF(contentsOf: path)
    return try btf.type(named: structName, kind: .struct).rawValue
  }

  static func libbpfParseFind(path: String) throws(BenchError) -> Int32 {
    let id = lbh_parse_find_struct(path, structName)
    guard id > 0 else { throw .libbpf(operation: "btf__parse + btf__find_by_name_kind", path: path, errno: -id) }
    return id
  }
}

/// A `struct btf *` from libbpf, freed with the value.
final class LibBPFBTF {
  let handle: UnsafeMutableRawPointer
  let path: String

  init(path: String) throws(BenchError) {
    guard let handle = lbh_parse(path) else {
      throw .libbpf(operation: "btf__parse", path: path, errno: errno)
    }
    self.handle = handle
    self.path = path
  }

  deinit { lbh_free(handle) }

  var typeCount: Int { Int(lbh_type_count(handle)) }

  /// Dumps every type as C into memory (and then into `fd` if given);
  /// returns the byte count.
  func dumpC(into fd: Int32 = -1) throws(BenchError) -> Int {
    let result = lbh_dump_c(handle, fd)
    guard result > 0 else {
      throw .libbpf(operation: "btf_dump__dump_type", path: path, errno: Int32(truncatingIfNeeded: -result))
    }
    return Int(result)
  }
}
