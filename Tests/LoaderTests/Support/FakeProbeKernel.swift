import BTF
import Dispatch
import Instructions
import Synchronization
import Syscall
import Testing
import UAPI
@testable import Loader

/// A kernel for probe tests without root: it answers like a real kernel
/// that lacks what it is told to lack, with the verifier's real messages,
/// and counts the calls it gets.
final class FakeProbeKernel: ProbeKernel, Sendable {
  struct Setup: Sendable {
    var missingMaps: Set<MapType> = []
    var missingPrograms: [ProgramType: Errno] = [:]
    var missingBTFKinds: Set<BTF.Kind> = []
    var rejectQuestionMarkSections = false
    var rejectTagAttributes = false
    var refuseNames = false
    /// Helpers the kernel knows: 1 ..< this.
    var helperLimit: Int32 = 212
    var forbiddenHelpers: [ProgramType: Set<Int32>] = [:]
    /// Program types whose probe needs a target id (tracing, lsm, ext).
    var targetTypesKnown = true
  }

  let setup: Setup
  let calls = Mutex<[String]>([])

  init(_ setup: Setup = Setup()) { self.setup = setup }

  var callCount: Int { calls.withLock { $0.count } }
  func record(_ call: String) { calls.withLock { $0.append(call) } }

  func loadBTF(_ bytes: [UInt8]) -> ProbeOutcome {
    record("btf")
    // The probe blobs must be valid BTF: parse them with our own reader.
    guard let btf = try? BTF(bytes: bytes) else { return ProbeOutcome(errno: .EINVAL, log: "invalid BTF") }
    for raw in 1..<UInt32(btf.typeCount) {
      guard let descriptor = try? btf[BTF.TypeID(raw)] else { return ProbeOutcome(errno: .EINVAL) }
      if setup.missingBTFKinds.contains(descriptor.kind) { return ProbeOutcome(errno: .EINVAL, log: "Invalid kind") }
      if case .dataSection(let section) = descriptor, setup.rejectQuestionMarkSections,
        (try? btf.string(of: section.name))?.hasPrefix("?") == true
      {
        return ProbeOutcome(errno: .EINVAL, log: "Invalid name")
      }
      if case .declarationTag(let tag) = descriptor, tag.isAttribute, setup.rejectTagAttributes {
        return ProbeOutcome(errno: .EINVAL, log: "Invalid btf_info kind_flag")
      }
    }
    return .success
  }

  func createMap(_ a: MapCreateAttributes, btf: [UInt8]?, inner: MapCreateAttributes?) -> ProbeOutcome {
    record("map \(a.type)")
    if setup.missingMaps.contains(a.type) { return ProbeOutcome(errno: .EINVAL) }
    if a.type == .structOps { return ProbeOutcome(errno: .ENOTSUPP) }
    return .success
  }

  func loadProgram(_ a: ProgramLoadAttributes, map: MapCreateAttributes?, logCapacity: Int) -> ProbeOutcome {
    record("prog \(a.type)")
    if let errno = setup.missingPrograms[a.type] { return ProbeOutcome(errno: errno) }
    if setup.refuseNames, !a.name.isEmpty { return ProbeOutcome(errno: .EINVAL) }
    if let map, setup.missingMaps.contains(map.type) { return ProbeOutcome(errno: .EINVAL) }
    let program = (try? InstructionSequence(decoding: a.instructions, order: .host)) ?? InstructionSequence([])
    for instruction in program where instruction.opcode.rawValue == 0x85 {
      if instruction.source.rawValue == 2 {
        return ProbeOutcome(errno: .EINVAL, log: "kernel btf_id 1 is not a function\nprocessed 0 insns")
      }
      let helper = instruction.immediate32
      // The texts the 6.18 verifier prints for these cases.
      if helper <= 0 || helper >= setup.helperLimit {
        return ProbeOutcome(errno: .EINVAL, log: "0: R1=ctx() R10=fp0\n0: (85) call unknown#\(helper)\ninvalid func unknown#\(helper)\n")
      }
      if setup.forbiddenHelpers[a.type]?.contains(helper) == true {
        return ProbeOutcome(errno: .EINVAL, log: "0: R1=ctx() R10=fp0\nprogram of this type cannot use helper bpf_x#\(helper)\n")
      }
      return ProbeOutcome(errno: .EACCES, log: "0: R1=ctx() R10=fp0\n0: (85) call bpf_x#\(helper)\nR1 type=ctx expected=fp\n")
    }
    if a.attachBTFID == 1 {
      guard setup.targetTypesKnown else { return ProbeOutcome(errno: .EINVAL) }
      switch a.type {
      case .tracing, .lsm: return ProbeOutcome(errno: .EINVAL, log: "attach_btf_id 1 is not a function\n")
      case .ext: return ProbeOutcome(errno: .EINVAL, log: "Cannot replace kernel functions\n")
      case .structOps: return ProbeOutcome(errno: .ENOTSUPP, log: "attach_btf_id 1 is not a supported struct\n")
      default: break
      }
    }
    return ProbeOutcome(errno: nil, log: "")
  }
}
