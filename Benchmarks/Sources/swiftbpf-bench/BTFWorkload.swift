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
  /// The same from a copy read into an array (`BTF(bytes:)`), so the blob
  /// counts in our memory as libbpf's copy counts in its memory.
  case oursParseCopy = "ours-parse-copy"
  /// `btf__parse` + `btf__find_by_name_kind` + `btf__free`.
  case libbpfParse = "libbpf-parse"
  /// Parse, then render every type as a C header (`BTF.CHeader.render`).
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
    case .oursParseCopy:
      let btf = try BTF(bytes: try readFile(path))
      return Int(try btf.type(named: BTFWorkload.structName, kind: .struct).rawValue)
    case .libbpfParse:
      return Int(try BTFWorkload.libbpfParseFind(path: path))
    case .oursDump:
      let btf = try BTF(contentsOf: path)
      return try BTF.CHeader.render(btf).utf8.count
    case .libbpfDump:
      let btf = try LibBPFBTF(path: path)
      return try btf.dumpC()
    }
  }

  static func oursParseFind(path: String, name: String = structName, kind: BTF.Kind = .struct)
    throws(BTFError) -> UInt32
  {
    let btf = try BTF(contentsOf: path)
    return try btf.type(named: name, kind: kind).rawValue
  }

  static func libbpfParseFind(path: String, name: String = structName, kind: BTF.Kind = .struct)
    throws(BenchError) -> Int32
  {
    let id = lbh_parse_find(path, name, UInt32(kind.rawValue))
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

/// The whole file as an array (what libbpf's `btf__parse` starts from).
func readFile(_ path: String) throws(BenchError) -> [UInt8] {
  let fd = open(path, O_RDONLY | O_CLOEXEC)
  guard fd >= 0 else { throw .io(path: path, errno: errno) }
  defer { close(fd) }
  var bytes = [UInt8]()
  var chunk = [UInt8](repeating: 0, count: 1 << 20)
  while true {
    let got = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    if got < 0 && errno == EINTR { continue }
    guard got >= 0 else { throw .io(path: path, errno: errno) }
    if got == 0 { return bytes }
    bytes.append(contentsOf: chunk[0 ..< got])
  }
}
