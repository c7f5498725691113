/// A typed view of what an instruction does, for code that inspects or
/// rewrites programs (relocation, linking, the loader).
///
/// The view reads the fields the kernel gives meaning to and does not check
/// reserved ones (the kernel's verifier does); forms no kernel or llvm
/// knows are `.invalid`.
extension Instruction {
  /// 32-bit (`BPF_ALU`, `BPF_JMP32`, `w` registers) or 64-bit.
  public enum Width: Sendable, Hashable, BitwiseCopyable {
    /// 32-bit: the low halves of the registers; an ALU result is
    /// zero-extended into the upper half.
    case bits32
    /// 64-bit: whole registers.
    case bits64
  }

  /// The second operand: a register (`BPF_X`) or the immediate (`BPF_K`).
  public enum Operand: Sendable, Hashable, BitwiseCopyable {
    /// `src_reg`. Kernel: `BPF_X`.
    case register(Register)
    /// The 32-bit `imm` field, sign-extended in 64-bit operations. Kernel: `BPF_K`.
    case immediate(Int32)
  }

  /// Arithmetic that writes `dst = dst op operand`.
  public enum Arithmetic: Sendable, Hashable, BitwiseCopyable {
    /// `+`. Kernel: `BPF_ADD`.
    case add
    /// `-`. Kernel: `BPF_SUB`.
    case sub
    /// `*`. Kernel: `BPF_MUL`.
    case mul
    /// Unsigned `/`; division by zero gives 0. Kernel: `BPF_DIV`.
    case div
    /// `|`. Kernel: `BPF_OR`.
    case or
    /// `&`. Kernel: `BPF_AND`.
    case and
    /// `<<`. Kernel: `BPF_LSH`.
    case lsh
    /// Logical `>>`. Kernel: `BPF_RSH`.
    case rsh
    /// Unsigned `%`; modulo zero leaves `dst` unchanged. Kernel: `BPF_MOD`.
    case mod
    /// `^`. Kernel: `BPF_XOR`.
    case xor
    /// Arithmetic (sign-filling) `>>`. Kernel: `BPF_ARSH`.
    case arsh
    /// Signed `/` (`BPF_DIV` with offset 1, cpu v4).
    case sdiv
    /// Signed `%` (`BPF_MOD` with offset 1, cpu v4).
    case smod
  }

  /// Byte swaps. Kernel: `BPF_END` with `BPF_TO_LE`, `BPF_TO_BE`, or in
  /// class `BPF_ALU64` the unconditional `bswap` (cpu v4).
  public enum ByteSwap: Sendable, Hashable, BitwiseCopyable {
    /// `le16`/`le32`/`le64`: to little endian (a truncation on a
    /// little-endian machine). Kernel: `BPF_TO_LE`.
    case toLittleEndian
    /// `be16`/`be32`/`be64`: to big endian. Kernel: `BPF_TO_BE`.
    case toBigEndian
    /// `bswap16`/`32`/`64`: always swap (`BPF_ALU64 | BPF_END`, cpu v4).
    case unconditional
  }

  /// Branch conditions. Kernel: `BPF_JEQ`...`BPF_JSLE`.
  public enum Condition: Sendable, Hashable, BitwiseCopyable {
    /// `==`. Kernel: `BPF_JEQ`.
    case equal
    /// `!=`. Kernel: `BPF_JNE`.
    case notEqual
    /// `dst & operand` is not zero. Kernel: `BPF_JSET`.
    case bitsSet
    /// Unsigned `>`. Kernel: `BPF_JGT`.
    case greater
    /// Unsigned `>=`. Kernel: `BPF_JGE`.
    case greaterOrEqual
    /// Unsigned `<`. Kernel: `BPF_JLT`.
    case less
    /// Unsigned `<=`. Kernel: `BPF_JLE`.
    case lessOrEqual
    /// Signed `>`. Kernel: `BPF_JSGT`.
    case signedGreater
    /// Signed `>=`. Kernel: `BPF_JSGE`.
    case signedGreaterOrEqual
    /// Signed `<`. Kernel: `BPF_JSLT`.
    case signedLess
    /// Signed `<=`. Kernel: `BPF_JSLE`.
    case signedLessOrEqual
  }

  /// What a `call` calls.
  public enum CallTarget: Sendable, Hashable, BitwiseCopyable {
    /// A kernel helper by number (`src_reg` 0).
    case helper(Int32)
    /// A BPF-to-BPF call (`src_reg` 1, `BPF_PSEUDO_CALL`): the callee starts
    /// `offset + 1` slots after the call.
    case subprogram(offset: Int32)
    /// A kernel function (`src_reg` 2, `BPF_PSEUDO_KFUNC_CALL`): its BTF id,
    /// and in `off` the index of the module BTF fd (0 for vmlinux).
    case kfunc(btfID: Int32, module: Int16)
    /// `callx`: the address is in a register (llvm puts it in `dst_reg`).
    case register(Register)
  }

  /// Atomic memory operations. Kernel: `BPF_ATOMIC` with `imm` =
  /// `BPF_ADD`... optionally `| BPF_FETCH`, `BPF_XCHG`, `BPF_CMPXCHG`,
  /// `BPF_LOAD_ACQ`, `BPF_STORE_REL`.
  public enum Atomic: Sendable, Hashable, BitwiseCopyable {
    /// `*(dst + off) += src`. Kernel: `BPF_ADD`.
    case add
    /// `*(dst + off) |= src`. Kernel: `BPF_OR`.
    case or
    /// `*(dst + off) &= src`. Kernel: `BPF_AND`.
    case and
    /// `*(dst + off) ^= src`. Kernel: `BPF_XOR`.
    case xor
    /// `src = atomic_fetch_add(dst + off, src)`: the old value comes back
    /// in `src`. Kernel: `BPF_ADD | BPF_FETCH`.
    case fetchAdd
    /// `src = atomic_fetch_or(dst + off, src)`. Kernel: `BPF_OR | BPF_FETCH`.
    case fetchOr
    /// `src = atomic_fetch_and(dst + off, src)`. Kernel: `BPF_AND | BPF_FETCH`.
    case fetchAnd
    /// `src = atomic_fetch_xor(dst + off, src)`. Kernel: `BPF_XOR | BPF_FETCH`.
    case fetchXor
    /// `src = xchg(*(dst + off), src)`.
    case exchange
    /// `r0 = cmpxchg(*(dst + off), r0, src)`.
    case compareExchange
    /// `dst = load_acquire(*(src + off))`.
    case loadAcquire
    /// `store_release(*(dst + off), src)`.
    case storeRelease
  }

  /// The typed meaning of an instruction.
  public enum Operation: Sendable, Hashable {
    /// `dst op= operand`.
    case arithmetic(Width, Arithmetic, destination: Register, Operand)
    /// `dst = -dst`.
    case negate(Width, Register)
    /// `dst = operand`.
    case move(Width, destination: Register, Operand)
    /// `dst = (sN)src` (cpu v4 `movsx`; `bits` is 8, 16 or 32).
    case moveSignExtend(Width, destination: Register, source: Register, bits: Int)
    /// `dst = addr_space_cast(src, to, from)` (arena pointers).
    case addressSpaceCast(destination: Register, source: Register, to: UInt16, from: UInt16)
    /// `dst = le16/be32/bswap64 dst`.
    case byteSwap(ByteSwap, Register, bits: Int)
    /// `goto` (`offset` from `off`) or `gotol` (`long`, offset from `imm`):
    /// the target is `offset + 1` slots after the jump.
    case jump(offset: Int32, long: Bool)
    /// `if dst cond operand goto off`.
    case branch(Width, Condition, Register, Operand, offset: Int16)
    /// `may_goto off` (`BPF_JMP | BPF_JCOND`).
    case mayGoto(offset: Int16)
    /// `call`: a helper, a subprogram, a kfunc, or `callx` through a register.
    case call(CallTarget)
    /// `exit`: return `r0` to the caller (or end the program).
    case exit
    /// `dst = *(size *)(base + offset)`, sign-extending for `ldsx`.
    case load(Opcode.AccessSize, signExtending: Bool, destination: Register, base: Register, offset: Int16)
    /// `*(size *)(base + offset) = value` (ST with an immediate, STX with a register).
    case store(Opcode.AccessSize, base: Register, offset: Int16, Operand)
    /// An atomic operation on `*(size *)(base + offset)` (see `Atomic` for
    /// the register roles; for load-acquire `base` is `src_reg`).
    case atomic(Opcode.AccessSize, Atomic, base: Register, offset: Int16, value: Register)
    /// `ld_imm64`: `dst = value`, its meaning given by the pseudo source.
    case loadImmediate64(Register, PseudoSource, Int64)
    /// Legacy packet access, `r0 = *(size *)skb[index + imm]` (`LD_ABS`
    /// has no index register).
    case packetLoad(Opcode.AccessSize, index: Register?, Int32)
    /// No known meaning.
    case invalid
  }

  /// The typed meaning of this instruction.
  public var operation: Operation {
    let opcode = self.opcode
    guard opcode.isKnown else { return .invalid }
    let width: Width = opcode.instructionClass == .alu || opcode.instructionClass == .jmp32 ? .bits32 : .bits64
    let operand: Operand = opcode.usesRegisterSource ? .register(source) : .immediate(immediate32)
    switch opcode.instructionClass {
    case .alu, .alu64:
      guard let op = opcode.aluOperation else { return .invalid }
      switch op {
      case .neg: return .negate(width, destination)
      case .end:
        let kind: ByteSwap =
          opcode.instructionClass == .alu64 ? .unconditional : (opcode.usesRegisterSource ? .toBigEndian : .toLittleEndian)
        return .byteSwap(kind, destination, bits: Int(immediate32))
      case .mov:
        guard opcode.usesRegisterSource, offset != 0 else { return .move(width, destination: destination, operand) }
        if offset == 1 && width == .bits64 {
          let bits = UInt32(bitPattern: immediate32)
          return .addressSpaceCast(
            destination: destination, source: source, to: UInt16(bits >> 16), from: UInt16(bits & 0xffff))
        }
        return .moveSignExtend(width, destination: destination, source: source, bits: Int(offset))
      case .add: return .arithmetic(width, .add, destination: destination, operand)
      case .sub: return .arithmetic(width, .sub, destination: destination, operand)
      case .mul: return .arithmetic(width, .mul, destination: destination, operand)
      case .div: return .arithmetic(width, offset == 1 ? .sdiv : .div, destination: destination, operand)
      case .or: return .arithmetic(width, .or, destination: destination, operand)
      case .and: return .arithmetic(width, .and, destination: destination, operand)
      case .lsh: return .arithmetic(width, .lsh, destination: destination, operand)
      case .rsh: return .arithmetic(width, .rsh, destination: destination, operand)
      case .mod: return .arithmetic(width, offset == 1 ? .smod : .mod, destination: destination, operand)
      case .xor: return .arithmetic(width, .xor, destination: destination, operand)
      case .arsh: return .arithmetic(width, .arsh, destination: destination, operand)
      }
    case .jmp, .jmp32:
      guard let op = opcode.jumpOperation else { return .invalid }
      let condition: Condition
      switch op {
      case .ja:
        return width == .bits64 ? .jump(offset: Int32(offset), long: false) : .jump(offset: immediate32, long: true)
      case .call:
        if opcode.usesRegisterSource { return .call(.register(destination)) }
        switch CallSource(rawValue: source.rawValue) {
        case .helper: return .call(.helper(immediate32))
        case .subprogram: return .call(.subprogram(offset: immediate32))
        case .kfunc: return .call(.kfunc(btfID: immediate32, module: offset))
        default: return .invalid
        }
      case .exit: return .exit
      case .jcond: return .mayGoto(offset: offset)
      case .jeq: condition = .equal
      case .jne: condition = .notEqual
      case .jset: condition = .bitsSet
      case .jgt: condition = .greater
      case .jge: condition = .greaterOrEqual
      case .jlt: condition = .less
      case .jle: condition = .lessOrEqual
      case .jsgt: condition = .signedGreater
      case .jsge: condition = .signedGreaterOrEqual
      case .jslt: condition = .signedLess
      case .jsle: condition = .signedLessOrEqual
      }
      return .branch(width, condition, destination, operand, offset: offset)
    case .ld:
      if opcode.isWideLoad { return .loadImmediate64(destination, PseudoSource(rawValue: source.rawValue), immediate) }
      return .packetLoad(opcode.size, index: opcode.mode == .indirect ? source : nil, immediate32)
    case .ldx:
      return .load(
        opcode.size, signExtending: opcode.mode == .memorySignExtend, destination: destination, base: source,
        offset: offset)
    case .st:
      return .store(opcode.size, base: destination, offset: offset, .immediate(immediate32))
    case .stx:
      if opcode.mode == .memory { return .store(opcode.size, base: destination, offset: offset, .register(source)) }
      let bits = UInt32(bitPattern: immediate32)
      let atomic: Atomic
      switch bits {
      case 0x00: atomic = .add
      case 0x40: atomic = .or
      case 0x50: atomic = .and
      case 0xa0: atomic = .xor
      case 0x01: atomic = .fetchAdd
      case 0x41: atomic = .fetchOr
      case 0x51: atomic = .fetchAnd
      case 0xa1: atomic = .fetchXor
      case 0xe1: atomic = .exchange
      case 0xf1: atomic = .compareExchange
      case 0x100: return .atomic(opcode.size, .loadAcquire, base: source, offset: offset, value: destination)
      case 0x110: atomic = .storeRelease
      default: return .invalid
      }
      return .atomic(opcode.size, atomic, base: destination, offset: offset, value: source)
    }
  }
}
