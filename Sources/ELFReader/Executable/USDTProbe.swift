/// One USDT probe site from a `.note.stapsdt` note (SystemTap SDT v3).
///
/// Note layout (type 3, owner `stapsdt`): three 64-bit words — the probe's
/// address, the link-time address of `_.stapsdt.base`, the semaphore's
/// address (0: none) — then the provider, name and argument string, each
/// NUL-terminated.
public struct USDTProbe: Sendable, Hashable {
  /// The provider (the first `DTRACE_PROBE` argument, `libc`).
  public var provider: String
  /// The probe name (`setjmp`).
  public var name: String
  /// Virtual address of the probe's `nop`, adjusted as described on `parseNotes`.
  public var address: UInt64
  /// The `_.stapsdt.base` address the note recorded.
  public var noteBase: UInt64
  /// Virtual address of the `unsigned short` semaphore, 0 when the probe has none.
  public var semaphoreAddress: UInt64
  /// The argument string, e.g. `-4@%eax 8@-8(%rbp) -4@$5`.
  public var argumentText: String

  /// `provider:name`, as tools print it.
  public var fullName: String { "\(provider):\(name)" }

  /// The parsed arguments (x86-64 AT&T operand syntax).
  public func arguments() throws(USDTArgument.ParseError) -> [USDTArgument] {
    var result: [USDTArgument] = []
    for piece in argumentText.split(separator: " ", omittingEmptySubsequences: true) {
      result.append(try USDTArgument.parse(piece))
    }
    return result
  }

  /// Kernel/SDT: note type `NT_STAPSDT`.
  static let noteType: UInt32 = 3

  /// Reads every SDT note of a `.note.stapsdt` section.
  ///
  /// When the file has a `.stapsdt.base` section, probe and semaphore
  /// addresses are shifted by (its address − the note's base), which undoes
  /// prelinking or other moves after the notes were written.
  static func parseNotes(_ bytes: [UInt8], stapsdtBase: UInt64?, file: String) throws(ExecutableError) -> [USDTProbe] {
    var probes: [USDTProbe] = []
    var offset = 0
    func u32(_ at: Int) -> UInt32 {
      UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }
    func u64(_ at: Int) -> UInt64 { UInt64(u32(at)) | UInt64(u32(at + 4)) << 32 }
    func align4(_ n: Int) -> Int { (n + 3) & ~3 }
    while offset < bytes.count {
      guard bytes.count - offset >= 12 else {
        throw .malformed(file: file, reason: ".note.stapsdt: truncated note header at offset \(offset)")
      }
      let nameSize = Int(u32(offset)), descSize = Int(u32(offset + 4)), type = u32(offset + 8)
      let nameStart = offset + 12
      let descStart = nameStart + align4(nameSize)
      guard nameSize <= bytes.count, descSize <= bytes.count, descStart <= bytes.count,
        bytes.count - descStart >= descSize
      else {
        throw .malformed(file: file, reason: ".note.stapsdt: note at offset \(offset) (name \(nameSize), desc \(descSize) bytes) runs past the section")
      }
      let owner = bytes[nameStart..<(nameStart + nameSize)].prefix { $0 != 0 }
      if type == noteType, owner.elementsEqual("stapsdt".utf8) {
        guard descSize >= 24 else {
          throw .malformed(file: file, reason: ".note.stapsdt: descriptor at offset \(descStart) is \(descSize) bytes, shorter than its three addresses")
        }
        var strings: [String] = []
        var cursor = descStart + 24
        let end = descStart + descSize
        for _ in 0..<3 {
          guard cursor <= end, let nul = bytes[cursor..<end].firstIndex(of: 0) else {
            throw .malformed(file: file, reason: ".note.stapsdt: unterminated string in the note at offset \(offset)")
          }
          strings.append(String(decoding: bytes[cursor..<nul], as: UTF8.self))
          cursor = nul + 1
        }
        var address = u64(descStart), semaphore = u64(descStart + 16)
        let base = u64(descStart + 8)
        if let stapsdtBase, base != 0 {
          address = address &+ (stapsdtBase &- base)
          if semaphore != 0 { semaphore = semaphore &+ (stapsdtBase &- base) }
        }
        probes.append(USDTProbe(provider: strings[0], name: strings[1], address: address, noteBase: base,
                                semaphoreAddress: semaphore, argumentText: strings[2]))
      }
      offset = descStart + align4(descSize)
    }
    return probes
  }
}

extension ExecutableFile {
  /// The probe sites of `provider:name` (a probe used in several places
  /// has several sites).
  public func usdtProbes(provider: String, name: String) -> [USDTProbe] {
    usdtProbes.filter { $0.provider == provider && $0.name == name }
  }
}
