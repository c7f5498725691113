/// Why a BPF object could not be opened.
///
/// Every case names the file (the path, or the name given with the bytes) and
/// says what is wrong and where (section, symbol, byte offset), so that the
/// message alone tells a person which object to rebuild or which input is bad.
public enum ELFError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The file could not be read (`errno` and its name).
  case cannotRead(file: String, errno: Int32, reason: String)
  /// The file is shorter than an ELF header, or not ELF at all.
  case notELF(file: String, reason: String)
  /// The file is ELF, but not the kind of ELF a BPF object is
  /// (class, machine, type, version).
  case wrongKind(file: String, field: String, found: String, expected: String)
  /// The ELF header or the section header table is inconsistent.
  case badHeader(file: String, reason: String)
  /// A section header points outside the file or has impossible sizes.
  case badSection(file: String, section: String, index: Int, reason: String)
  /// A symbol table entry is inconsistent.
  case badSymbol(file: String, symbol: String, index: Int, reason: String)
  /// A relocation entry is inconsistent (missing symbol, offset outside its section...).
  case badRelocation(file: String, section: String, offset: UInt64, reason: String)
  /// A program or subprogram symbol does not describe whole instructions
  /// inside its section.
  case badFunction(file: String, section: String, function: String, reason: String)
  /// A map definition cannot be decoded.
  case badMap(file: String, map: String, reason: String)
  /// The `license` or `version` section is malformed.
  case badMetadata(file: String, section: String, reason: String)
  /// libelf itself refused the input (its message is passed on).
  case libelf(file: String, operation: String, message: String)

  /// The file (path or name) the error is about.
  public var file: String {
    switch self {
    case .cannotRead(let f, _, _), .notELF(let f, _), .wrongKind(let f, _, _, _),
      .badHeader(let f, _), .badSection(let f, _, _, _), .badSymbol(let f, _, _, _),
      .badRelocation(let f, _, _, _), .badFunction(let f, _, _, _), .badMap(let f, _, _),
      .badMetadata(let f, _, _), .libelf(let f, _, _):
      f
    }
  }

  /// The message for a user: the file and what is wrong with it. The CLI prints
  /// it after `swiftbpf: ` (on one line), and as `message` in `--json` errors.
  public var description: String {
    switch self {
    case .cannotRead(let file, let errno, let reason):
      "\(file): cannot read the file: \(reason) (errno \(errno))"
    case .notELF(let file, let reason):
      "\(file): not an ELF object: \(reason); expected a BPF object built with clang -target bpf -c"
    case .wrongKind(let file, let field, let found, let expected):
      "\(file): ELF \(field) is \(found), expected \(expected); build it with clang -target bpf -c"
    case .badHeader(let file, let reason):
      "\(file): malformed ELF header: \(reason); the file is truncated or corrupt"
    case .badSection(let file, let section, let index, let reason):
      "\(file): section [\(index)] \(section.isEmpty ? "(unnamed)" : "'\(section)'"): \(reason)"
    case .badSymbol(let file, let symbol, let index, let reason):
      "\(file): symbol #\(index) \(symbol.isEmpty ? "(unnamed)" : "'\(symbol)'"): \(reason)"
    case .badRelocation(let file, let section, let offset, let reason):
      "\(file): relocation in section '\(section)' at offset \(offset) (instruction \(offset / 8)): \(reason)"
    case .badFunction(let file, let section, let function, let reason):
      "\(file): function '\(function)' in section '\(section)': \(reason)"
    case .badMap(let file, let map, let reason):
      "\(file): map '\(map)': \(reason)"
    case .badMetadata(let file, let section, let reason):
      "\(file): section '\(section)': \(reason)"
    case .libelf(let file, let operation, let message):
      "\(file): libelf \(operation) failed: \(message)"
    }
  }
}
