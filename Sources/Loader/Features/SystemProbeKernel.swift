import Instructions
import Syscall
import UAPI

/// The real kernel, through the Syscall module.
public struct SystemProbeKernel: ProbeKernel {
  /// Probes through real bpf(2) calls; each probe object is closed at once.
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
