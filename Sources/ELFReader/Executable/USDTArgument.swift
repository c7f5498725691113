/// One USDT argument: its size, signedness and where its value is at the
/// probe, parsed from the SystemTap SDT argument string of x86-64
/// (GNU assembler AT&T operands).
///
/// Forms: `-4@$5` (constant), `8@%rax` (register), `-4@-8(%rbp)` and
/// `8@(%rax)` (memory at register + offset), `8@(%rax,%rdx,8)` and
/// `-1@-96(%rbp,%rax,8)` (memory at base + index × scale + offset).
public struct USDTArgument: Sendable, Hashable {
  /// Where the argument's value is when the probe fires.
  public enum Location: Sendable, Hashable {
    /// An immediate (`$5`).
    case constant(Int64)
    /// A register's value (`%rax`, `%edi`).
    case register(X86Register)
    /// Memory at a register plus an offset (`-8(%rbp)`).
    case memory(base: X86Register, offset: Int64)
    /// Memory at base + index × scale + offset (`-96(%rbp,%rax,8)`).
    case indexed(base: X86Register, index: X86Register, scale: UInt8, offset: Int64)
  }

  /// Size in bytes: 1, 2, 4 or 8.
  public var size: Int
  /// A negative size in the note: the value is sign-extended.
  public var isSigned: Bool
  /// Where the value is.
  public var location: Location

  /// An argument of `size` bytes at `location`.
  public init(size: Int, isSigned: Bool, location: Location) {
    self.size = size
    self.isSigned = isSigned
    self.location = location
  }

  /// Why an argument does not parse.
  public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The argument text as the note spells it.
    public var argument: String
    /// What in it is not understood.
    public var reason: String
    public var description: String { "'\(argument)': \(reason)" }
  }

  /// Parses one space-free argument (`-4@-8(%rbp)`).
  public static func parse(_ text: Substring) throws(ParseError) -> USDTArgument {
    func fail(_ reason: String) -> ParseError { ParseError(argument: String(text), reason: reason) }
    guard let at = text.firstIndex(of: "@") else { throw fail("missing '@' between size and operand") }
    guard let rawSize = Int(text[..<at]), rawSize != 0 else {
      throw fail("size '\(text[..<at])' is not a non-zero integer")
    }
    let size = rawSize.magnitude
    guard [1, 2, 4, 8].contains(size) else { throw fail("size \(size) is not 1, 2, 4 or 8") }
    let operand = text[text.index(after: at)...]
    let location: Location
    if operand.hasPrefix("$") {
      guard let value = integer(operand.dropFirst()) else { throw fail("constant '\(operand)' is not an integer") }
      location = .constant(value)
    } else if operand.hasPrefix("%") {
      guard let reg = X86Register(name: operand.dropFirst()) else {
        throw fail("unknown register '\(operand)'")
      }
      location = .register(reg)
    } else if let open = operand.firstIndex(of: "("), operand.last == ")" {
      let displacement = operand[..<open]
      var offset: Int64 = 0
      if !displacement.isEmpty {
        guard let value = integer(displacement) else {
          throw fail("displacement '\(displacement)' is not an integer (symbolic operands are not supported)")
        }
        offset = value
      }
      let inner = operand[operand.index(after: open)..<operand.index(before: operand.endIndex)]
      let parts = inner.split(separator: ",", omittingEmptySubsequences: false)
      func register(_ part: Substring) throws(ParseError) -> X86Register {
        guard part.hasPrefix("%"), let reg = X86Register(name: part.dropFirst()) else {
          throw fail("'\(part)' is not a register")
        }
        return reg
      }
      switch parts.count {
      case 1:
        location = .memory(base: try register(parts[0]), offset: offset)
      case 2, 3:
        var scale: UInt8 = 1
        if parts.count == 3 {
          guard let s = UInt8(parts[2]), [1, 2, 4, 8].contains(s) else {
            throw fail("scale '\(parts[2])' is not 1, 2, 4 or 8")
          }
          scale = s
        }
        location = .indexed(base: try register(parts[0]), index: try register(parts[1]), scale: scale, offset: offset)
      default:
        throw fail("memory operand has \(parts.count) parts")
      }
    } else {
      throw fail("operand '\(operand)' is not $constant, %register or offset(%register...)")
    }
    return USDTArgument(size: Int(size), isSigned: rawSize < 0, location: location)
  }

  /// A decimal or `0x` hexadecimal integer with an optional sign.
  static func integer(_ text: Substring) -> Int64? {
    var body = text
    var negative = false
    if body.first == "-" { negative = true; body = body.dropFirst() } else if body.first == "+" { body = body.dropFirst() }
    let magnitude: UInt64?
    if body.hasPrefix("0x") || body.hasPrefix("0X") {
      magnitude = UInt64(body.dropFirst(2), radix: 16)
    } else {
      magnitude = UInt64(body, radix: 10)
    }
    guard let magnitude else { return nil }
    if negative {
      guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
      return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
    }
    return Int64(exactly: magnitude) ?? Int64(bitPattern: magnitude)
  }
}

/// An x86-64 general register as USDT arguments name it, with its place in
/// the kernel's `struct pt_regs` (what a uprobe program's context points at).
public struct X86Register: Sendable, Hashable, CustomStringConvertible {
  /// The 64-bit name (`rax`, `r8`, `rip`).
  public let name: String
  /// Byte offset of the register in x86-64 `struct pt_regs`.
  ///
  /// Kernel: `struct pt_regs` (arch/x86/include/uapi/asm/ptrace.h): r15 r14
  /// r13 r12 rbp rbx r11 r10 r9 r8 rax rcx rdx rsi rdi orig_rax rip cs
  /// eflags rsp ss, 8 bytes each.
  public let ptRegsOffset: Int16

  public var description: String { "%" + name }

  static let layout = ["r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax",
                       "rcx", "rdx", "rsi", "rdi", "orig_rax", "rip", "cs", "eflags", "rsp", "ss"]

  /// The 64-bit register of every narrower name (`eax`, `ax`, `al` → `rax`;
  /// `r8d`, `r8w`, `r8b` → `r8`). The high-byte registers (`ah`...) are
  /// refused: their value is not at the register's lowest byte.
  static let aliases: [String: String] = {
    var map: [String: String] = [:]
    for (full, narrow) in [("rax", ["eax", "ax", "al"]), ("rbx", ["ebx", "bx", "bl"]),
                           ("rcx", ["ecx", "cx", "cl"]), ("rdx", ["edx", "dx", "dl"]),
                           ("rsi", ["esi", "si", "sil"]), ("rdi", ["edi", "di", "dil"]),
                           ("rbp", ["ebp", "bp", "bpl"]), ("rsp", ["esp", "sp", "spl"]),
                           ("rip", ["eip", "ip"])] {
      map[full] = full
      for n in narrow { map[n] = full }
    }
    for i in 8...15 {
      let r = "r\(i)"
      for suffix in ["", "d", "w", "b", "l"] { map[r + suffix] = r }
    }
    return map
  }()

  /// The register called `name` (any width), or nil.
  public init?(name: Substring) {
    guard let full = Self.aliases[String(name)], let index = Self.layout.firstIndex(of: full) else { return nil }
    self.name = full
    self.ptRegsOffset = Int16(index * 8)
  }
}
