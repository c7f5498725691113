/// The kernel's symbol table as `/proc/kallsyms` shows it, with a name index.
///
/// Kernel: each line is `<address hex> <type letter> <name>[\t[<module>]]`.
/// Without CAP_SYSLOG (and under `kernel.kptr_restrict`) every address
/// reads as 0: names stay usable, addresses do not.
public struct KernelSymbols: Sendable {
  /// One line of kallsyms.
  public struct Symbol: Sendable, Hashable {
    /// The address (0 when kallsyms hides addresses from this process).
    public var address: UInt64
    /// The `nm`-style type letter (`T` global text, `t` local text, `D`, `b`...).
    public var type: Character
    /// The symbol name.
    public var name: String
    /// The module in brackets, nil for the kernel image.
    public var module: String?

    /// A symbol as kallsyms lists it.
    public init(address: UInt64, type: Character, name: String, module: String?) {
      self.address = address
      self.type = type
      self.name = name
      self.module = module
    }
  }

  /// Every symbol, in the file's order.
  public let symbols: [Symbol]
  /// Name → index of its first symbol in `symbols`.
  private let index: [String: Int32]
  /// Name → indexes of the later ones, for the few names that repeat
  /// (static functions of the same name in different files).
  private let repeats: [String: [Int32]]
  /// Every address read as 0 (the reader lacks CAP_SYSLOG).
  public let addressesHidden: Bool

  /// Parses kallsyms text; malformed lines are skipped.
  public init(text: String) {
    var symbols: [Symbol] = []
    var index: [String: Int32] = [:]
    var repeats: [String: [Int32]] = [:]
    var anyAddress = false
    for line in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
      guard let symbol = Self.parse(line) else { continue }
      if symbol.address != 0 { anyAddress = true }
      let position = Int32(truncatingIfNeeded: symbols.count)
      if index[symbol.name] == nil {
        index[symbol.name] = position
      } else {
        repeats[symbol.name, default: []].append(position)
      }
      symbols.append(symbol)
    }
    self.symbols = symbols
    self.index = index
    self.repeats = repeats
    self.addressesHidden = !symbols.isEmpty && !anyAddress
  }

  static func parse(_ line: Substring.UTF8View.SubSequence) -> Symbol? {
    // "<hex> <type> <name>[\t[<module>]]"
    let fields = line.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
    guard fields.count >= 3, fields[1].count == 1, let address = hex(fields[0]) else { return nil }
    let type = Character(Unicode.Scalar(fields[1][fields[1].startIndex]))
    let name = String(decoding: fields[2], as: UTF8.self)
    var module: String? = nil
    if fields.count >= 4 {
      let m = fields[3]
      if m.first == UInt8(ascii: "["), m.last == UInt8(ascii: "]"), m.count >= 2 {
        module = String(decoding: m.dropFirst().dropLast(), as: UTF8.self)
      }
    }
    return Symbol(address: address, type: type, name: name, module: module)
  }

  static func hex(_ digits: Substring.UTF8View.SubSequence) -> UInt64? {
    guard !digits.isEmpty, digits.count <= 16 else { return nil }
    var value: UInt64 = 0
    for c in digits {
      let d: UInt8
      switch c {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - UInt8(ascii: "A") + 10
      default: return nil
      }
      value = value << 4 | UInt64(d)
    }
    return value
  }

  /// Reads `/proc/kallsyms` (or `path`).
  public static func load(path: String = "/proc/kallsyms") throws(KernelSymbolsError) -> KernelSymbols {
    do throws(KernelConfigError) {
      // Plain text; zlib's reader passes it through unchanged.
      return KernelSymbols(text: try KernelConfig.readFile(path))
    } catch {
      throw .unreadable(path: path, reason: error.description)
    }
  }

  /// The running kernel's symbols, read once per process on first use.
  public static let system: Result<KernelSymbols, KernelSymbolsError> = {
    do throws(KernelSymbolsError) {
      return .success(try load())
    } catch {
      return .failure(error)
    }
  }()

  /// Whether a symbol of that name exists (works without privileges).
  public func contains(_ name: String) -> Bool { index[name] != nil }

  /// Every symbol of that name, optionally only from `module` ("" or nil: any).
  public func symbols(named name: String, module: String? = nil) -> [Symbol] {
    guard let first = index[name] else { return [] }
    let all = ([first] + (repeats[name] ?? [])).map { symbols[Int($0)] }
    guard let module, !module.isEmpty else { return all }
    return all.filter { $0.module == module }
  }

  /// The address of `name`: the kernel image's symbol first, else the only
  /// one; an error when missing, ambiguous or hidden.
  public func address(of name: String, module: String? = nil) throws(KernelSymbolsError) -> UInt64 {
    let found = symbols(named: name, module: module)
    guard !found.isEmpty else { throw .notFound(name: name) }
    if addressesHidden { throw .addressesHidden(name: name) }
    let candidates = module == nil ? found.filter { $0.module == nil } : found
    let chosen = candidates.isEmpty ? found : candidates
    let addresses = Set(chosen.map(\.address))
    guard addresses.count == 1, let address = addresses.first else {
      throw .ambiguous(name: name, count: addresses.count)
    }
    return address
  }
}
