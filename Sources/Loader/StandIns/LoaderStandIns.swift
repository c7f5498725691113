// Stand-ins for what branch `loaderutil` provides (Features/, Verifier/,
// KernelInfo/). DELETE THIS FILE when that branch is merged and adapt the
// few call sites (KernelFeatures, VerifierReport, KernelConfig, KernelSymbols).
import BTF
import CZlib
import Glibc
import UAPI

/// What the running kernel supports, as far as the loader needs to know.
/// Stand-in: assumes a current kernel unless a test injects less.
public struct KernelFeatures: Sendable {
  /// BTF kinds and flags `BPF_BTF_LOAD` accepts.
  public var btf: BTF.KernelSupport
  /// Map types the kernel refuses (by probe).
  public var unsupportedMapTypes: Set<MapType>
  /// `BPF_F_MMAPABLE` arrays (Linux 5.5).
  public var mmapableArrays: Bool
  /// `BPF_MAP_FREEZE` and `BPF_F_RDONLY_PROG` (Linux 5.2).
  public var frozenMaps: Bool

  public init(btf: BTF.KernelSupport = .all, unsupportedMapTypes: Set<MapType> = [],
              mmapableArrays: Bool = true, frozenMaps: Bool = true) {
    self.btf = btf
    self.unsupportedMapTypes = unsupportedMapTypes
    self.mmapableArrays = mmapableArrays
    self.frozenMaps = frozenMaps
  }

  /// The running kernel (stand-in: everything this project targets).
  public static let probed = KernelFeatures()

  public func supports(_ type: MapType) -> Bool { !unsupportedMapTypes.contains(type) }
}

/// A verifier log boiled down to what a person reads first. Stand-in for
/// loaderutil's parser: error line, the C source line from the log's
/// `; source @ file:line` lines, statistics and omitted lines.
public struct VerifierReport: Sendable, Hashable, CustomStringConvertible {
  /// The whole log.
  public var log: String
  /// The last line before the statistics trailer (with the one before it
  /// when that starts with `R<n>` or a tab).
  public var errorLine: String
  /// `file:line` and the source text of the failing instruction, when the
  /// log shows it.
  public var sourceFile: String?
  public var sourceLine: Int?
  public var sourceText: String?
  /// Lines of the log not repeated in `description`.
  public var omittedLines: Int

  public init(log: String) {
    self.log = log
    let lines = log.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    func isTrailer(_ line: String) -> Bool {
      line.hasPrefix("processed ") || line.hasPrefix("verification time")
        || line.hasPrefix("stack depth") || line.hasPrefix("max_states_per_insn")
        || line.hasPrefix("mark_read")
    }
    var end = lines.count
    while end > 0, isTrailer(lines[end - 1]) { end -= 1 }
    var error = end > 0 ? lines[end - 1] : ""
    var shown = end > 0 ? 1 : 0
    if end > 1 {
      let before = lines[end - 2]
      let isRegister = before.first == "R" && before.dropFirst().first?.isNumber == true
      if isRegister || before.hasPrefix("\t") {
        error = before + "\n" + error
        shown = 2
      }
    }
    errorLine = error
    for line in lines[..<end].reversed() where line.hasPrefix("; ") {
      let chars = Array(line.utf8)
      var marker: Int?
      var i = chars.count - 3
      while i >= 2 {
        if chars[i] == 0x20, chars[i + 1] == 0x40, chars[i + 2] == 0x20 { marker = i; break }
        i -= 1
      }
      guard let marker else { continue }
      sourceText = String(decoding: chars[2 ..< marker], as: UTF8.self)
      let location = String(decoding: chars[(marker + 3)...], as: UTF8.self)
      if let colon = location.lastIndex(of: ":"), let number = Int(location[location.index(after: colon)...]) {
        sourceFile = String(location[..<colon])
        sourceLine = number
      }
      break
    }
    omittedLines = max(0, lines.count - shown)
  }

  public var description: String {
    var text = errorLine
    if let sourceFile, let sourceLine {
      text += "\n  at \(sourceFile):\(sourceLine)"
      if let sourceText { text += ": \(sourceText)" }
    }
    if omittedLines > 0 { text += "\n  (\(omittedLines) more lines in the verifier log)" }
    return text
  }
}

/// `CONFIG_*` values of the running kernel. Stand-in for loaderutil's reader.
enum KernelConfig {
  static func load() -> [String: String]? {
    if let text = gunzip("/proc/config.gz") { return parse(text) }
    if let release = BTF.kernelRelease, let text = try? readSmallFile("/boot/config-\(release)") {
      return parse(text)
    }
    return nil
  }

  static func parse(_ text: String) -> [String: String] {
    var values = [String: String]()
    for line in text.split(separator: "\n") where line.hasPrefix("CONFIG_") {
      guard let eq = line.firstIndex(of: "=") else { continue }
      values[String(line[..<eq])] = String(line[line.index(after: eq)...])
    }
    return values
  }

  static func gunzip(_ path: String) -> String? {
    guard let file = gzopen(path, "rb") else { return nil }
    defer { gzclose(file) }
    var bytes = [UInt8]()
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = chunk.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
      if n < 0 { return nil }
      if n == 0 { break }
      bytes.append(contentsOf: chunk[0..<Int(n)])
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}

/// `/proc/kallsyms`, name → address. Stand-in for loaderutil's reader.
struct KernelSymbols: Sendable {
  var addresses: [String: UInt64]

  static func load() -> KernelSymbols {
    guard let text = try? readSmallFile("/proc/kallsyms") else { return KernelSymbols(addresses: [:]) }
    var addresses = [String: UInt64]()
    for line in text.split(separator: "\n") {
      let fields = line.split(separator: " ", maxSplits: 3)
      guard fields.count >= 3, let address = UInt64(fields[0], radix: 16) else { continue }
      let name = String(fields[2].split(separator: "\t").first ?? fields[2])
      if addresses[name] == nil { addresses[name] = address }
    }
    return KernelSymbols(addresses: addresses)
  }

  func address(of name: String) -> UInt64? { addresses[name] }
}
