/// Why a host executable or shared library could not be read, or a symbol,
/// address or USDT probe in it could not be resolved (for uprobes and USDT).
public enum ExecutableError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The file could not be opened or read.
  case cannotRead(file: String, errno: Int32, reason: String)
  /// Not an ELF file libelf can read, or not a 64-bit one.
  case notELF(file: String, reason: String)
  /// The ELF headers, a section or a note are inconsistent.
  case malformed(file: String, reason: String)
  /// No function symbol of that name in `.symtab` or `.dynsym`.
  case symbolNotFound(file: String, symbol: String)
  /// Several different addresses carry the name (local symbols in several
  /// compilation units); give an offset instead.
  case ambiguousSymbol(file: String, symbol: String, addresses: [UInt64])
  /// The address lies in no loadable segment, so it has no file offset.
  case addressNotMapped(file: String, address: UInt64)
  /// A USDT argument string is not in the SystemTap SDT format this
  /// architecture uses.
  case badUSDTArgument(file: String, probe: String, argument: String, reason: String)

  /// The message for a user: the executable and what could not be read or found
  /// in it. The CLI prints it after `swiftbpf: ` (on one line), and as
  /// `message` in `--json` errors.
  public var description: String {
    switch self {
    case .cannotRead(let file, let errno, let reason):
      return "\(file): cannot read: \(reason) (errno \(errno))"
    case .notELF(let file, let reason):
      return "\(file): not a 64-bit ELF executable or shared library: \(reason)"
    case .malformed(let file, let reason):
      return "\(file): malformed ELF: \(reason)"
    case .symbolNotFound(let file, let symbol):
      return "\(file): no function '\(symbol)' in .symtab or .dynsym (stripped binary, or a typo?)"
    case .ambiguousSymbol(let file, let symbol, let addresses):
      let list = addresses.map { "0x" + String($0, radix: 16) }.joined(separator: ", ")
      return "\(file): '\(symbol)' names several functions (at \(list)); attach by offset instead"
    case .addressNotMapped(let file, let address):
      return "\(file): address 0x\(String(address, radix: 16)) is in no PT_LOAD segment"
    case .badUSDTArgument(let file, let probe, let argument, let reason):
      return "\(file): USDT probe \(probe): argument '\(argument)': \(reason)"
    }
  }
}
