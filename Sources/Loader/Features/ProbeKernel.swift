import Instructions
import Syscall
import UAPI

/// What one probe saw: success, or the errno and the verifier/BTF log.
public struct ProbeOutcome: Sendable, Hashable {
  /// nil when the kernel accepted the object.
  public var errno: Errno?
  /// The log the kernel wrote (empty when none was asked for or written).
  public var log: String

  public init(errno: Errno?, log: String = "") {
    self.errno = errno
    self.log = log
  }

  public static let success = ProbeOutcome(errno: nil)
  public var succeeded: Bool { errno == nil }
}

/// The kernel calls feature probing makes, injectable so the probe logic can
/// be tested without root (a fake that refuses a map type simulates an older
/// kernel). Every object a call creates is closed before it returns.
public protocol ProbeKernel: Sendable {
  /// `BPF_BTF_LOAD` of `bytes` (no log).
  func loadBTF(_ bytes: [UInt8]) -> ProbeOutcome
  /// `BPF_MAP_CREATE`. `btf`, when given, is loaded first and passed as
  /// `btf_fd`; `inner`, when given, is created first and passed as the
  /// inner map.
  func createMap(_ attributes: MapCreateAttributes, btf: [UInt8]?, inner: MapCreateAttributes?) -> ProbeOutcome
  /// `BPF_PROG_LOAD` with a level-1 log of `logCapacity` bytes (0: no log).
  /// `map`, when given, is created first and its fd written into every
  /// `ld_imm64` of the program that refers to a map (`BPF_PSEUDO_MAP_FD`,
  /// `BPF_PSEUDO_MAP_VALUE`).
  func loadProgram(_ attributes: ProgramLoadAttributes, map: MapCreateAttributes?, logCapacity: Int) -> ProbeOutcome
}

/// The real kernel, through the Syscall module.
public struct SystemProbeKernel: ProbeKernel {
  public init() {}

  public func loadBTF(_ bytes: [UInt8]) -> ProbeOutcome {
    do throws(SyscallError) {
      _ = try BPF.loadBTF(bytes)  // the fd closes here
      return .success
    } catch {
      return ProbeOutcome(errno: error.errno ?? .EINVAL)
    }
  }

  public func createMap(
    _ attributes: MapCreateAttributes, btf: [UInt8]?, inner: MapCreateAttributes?
  ) -> ProbeOutcome {
    do throws(SyscallError) {
      var a = attributes
      if let btf {
        let btfFD = try BPF.loadBTF(btf)
        a.btfFD = btfFD.borrowed
        try Self.create(a, inner: inner)
        _ = btfFD.rawValue  // open until the map exists
      } else {
        try Self.create(a, inner: inner)
      }
      return .success
    } catch {
      return ProbeOutcome(errno: error.errno ?? .EINVAL)
    }
  }

  /// Creates (and at once closes) a map, with an inner map template if given.
  static func create(_ attributes: MapCreateAttributes, inner: MapCreateAttributes?) throws(SyscallError) {
    var a = attributes
    if let inner {
      let innerFD = try BPF.createMap(inner)
      a.innerMapFD = innerFD.borrowed
      _ = try BPF.createMap(a)
      _ = innerFD.rawValue
    } else {
      _ = try BPF.createMap(a)
    }
  }

  public func loadProgram(
    _ attributes: ProgramLoadAttributes, map: MapCreateAttributes?, logCapacity: Int
  ) -> ProbeOutcome {
    var log = VerifierLog(level: 1, capacity: logCapacity)
    do throws(SyscallError) {
      var a = attributes
      if let map {
        let mapFD = try BPF.createMap(map)
        a.instructions = Self.patchMapReferences(a.instructions, fd: mapFD.rawValue)
        try Self.load(a, log: &log, logCapacity: logCapacity)
        _ = mapFD.rawValue  // open until the program is loaded
      } else {
        try Self.load(a, log: &log, logCapacity: logCapacity)
      }
      return ProbeOutcome(errno: nil, log: log.text)
    } catch {
      return ProbeOutcome(errno: error.errno ?? .EINVAL, log: log.text)
    }
  }

  /// Loads (and at once closes) a program, with a log when `logCapacity` > 0.
  static func load(
    _ a: ProgramLoadAttributes, log: inout VerifierLog, logCapacity: Int
  ) throws(SyscallError) {
    if logCapacity > 0 {
      _ = try BPF.loadProgram(a, log: &log)
    } else {
      _ = try BPF.loadProgram(a)
    }
  }

  /// Writes `fd` into the `imm` of every map-referencing `ld_imm64`.
  static func patchMapReferences(_ bytes: [UInt8], fd: CInt) -> [UInt8] {
    guard var program = try? InstructionSequence(decoding: bytes, order: .host) else { return bytes }
    for index in program.indices {
      var instruction = program[index]
      guard let pseudo = instruction.pseudoSource, pseudo == .mapFD || pseudo == .mapValue else { continue }
      // The low 32 bits carry the fd; the high half (the value offset) stays.
      instruction.immediate = (instruction.immediate & ~0xFFFF_FFFF) | Int64(UInt32(bitPattern: fd))
      _ = program.replace(at: index, with: instruction)
    }
    return program.encoded(order: .host)
  }
}
