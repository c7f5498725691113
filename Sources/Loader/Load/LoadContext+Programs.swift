import BTF
import Glibc
import ELFReader
import Instructions
import Relocation
import Syscall
import UAPI

extension LoadContext {
  /// The most instructions (8-byte slots) the kernel takes in one program.
  static var instructionLimit: Int { 1_000_000 }

  /// Stage: loads one linked program (`BPF_PROG_LOAD`), with its func_info
  /// and line_info when the object's BTF was taken, its attach target, and
  /// the verifier-log retry policy.
  func loadProgram(_ linked: LinkedProgram, _ spec: Object.Program, btf: PreparedBTF) throws(LoadError)
    -> LoadedObject.Program
  {
    guard let type = spec.type else {
      throw .invalidConfiguration(reason: "program '\(spec.name)': no program type; set one before load")
    }
    // Kernel: BPF_COMPLEXITY_LIMIT_INSNS; larger programs get E2BIG without a log.
    let slots = linked.slots.last.map { $0 + (linked.instructions.last?.slotCount ?? 1) } ?? 0
    if slots > Self.instructionLimit {
      throw .programTooLarge(program: spec.name, instructions: slots, limit: Self.instructionLimit)
    }

    var attributes = ProgramLoadAttributes(
      type: type, instructions: Instruction.encode(linked.instructions, order: .host),
      license: file.license ?? "", name: String(decoding: Array(spec.name.utf8.prefix(15)), as: UTF8.self))
    attributes.expectedAttachType = spec.expectedAttachType
    if spec.isSleepable { attributes.flags.insert(.sleepable) }
    if spec.section?.flags.contains(.xdpFrags) == true { attributes.flags.insert(.xdpHasFrags) }
    attributes.kernelVersion = file.kernelVersion ?? kernel.kernelVersionCode
    if let btfFD = btf.fd {
      attributes.btfFD = btfFD.borrowed
      if !linked.functionInfo.isEmpty {
        var bytes = [UInt8]()
        for (slot, type) in linked.functionInfo {
          bytes += Object.bytes(of: UInt32(slot), order: .host) + Object.bytes(of: type.rawValue, order: .host)
        }
        attributes.funcInfo = bytes
        attributes.funcInfoRecordSize = 8
      }
      if !linked.lineInfo.isEmpty {
        var bytes = [UInt8]()
        for (slot, record) in linked.lineInfo {
          bytes += Object.bytes(of: UInt32(slot), order: .host)
          bytes += Object.bytes(of: record.fileNameOffset.offset, order: .host)
          bytes += Object.bytes(of: record.sourceOffset.offset, order: .host)
          bytes += Object.bytes(of: record.line << 10 | (record.column & 0x3FF), order: .host)
        }
        attributes.lineInfo = bytes
        attributes.lineInfoRecordSize = 16
      }
    }
    let (attachID, attachType) = try attachTarget(spec, type: type)
    attributes.attachBTFID = attachID
    // Open: `run()` holds the target's descriptor while this program loads.
    attributes.attachProgramFD = spec.attachProgram?.borrowedFD
    if let attachType { attributes.expectedAttachType = attachType }

    var lines = [SourceLineTable.Entry]()
    for (slot, record) in linked.lineInfo {
      lines.append(SourceLineTable.Entry(
        instruction: slot, location: SourceLine(file: record.file, line: Int(record.line), text: record.source)))
    }
    var poisonedHere = [Int: String]()
    for (slot, note) in linked.notes {
      if case .poisoned(let text) = note { poisonedHere[slot] = text }
    }
    for (slot, text) in poisonedHere.sorted(by: { $0.key < $1.key }) {
      log(.debug, "CO-RE relocation at instruction \(slot) poisoned, the verifier accepts it only as dead code: \(text)",
          program: spec.name)
    }
    var verifierLog: String?
    let fd = try loadWithLogRetry(attributes, program: spec.name, logLevel: spec.logLevel,
                                  lineTable: SourceLineTable(lines), coreRelocations: poisonedHere, log: &verifierLog)
    log(.debug, "loaded: \(type.kernelName), \(slots) instructions", program: spec.name)
    return LoadedObject.Program(
      kernel: kernel, name: spec.name, sectionName: spec.sectionName, section: spec.section, type: type,
      expectedAttachType: attributes.expectedAttachType, attachBTFID: attachID, verifierLog: verifierLog, fd: fd)
  }

  /// Loads without a log (or with the requested level); on failure loads
  /// again with a log, growing the buffer until the whole log fits
  /// (`VerifierLogPolicy`, using the kernel's `log_true_size`).
  func loadWithLogRetry(_ attributes: ProgramLoadAttributes, program: String, logLevel: UInt32,
                        lineTable: SourceLineTable, coreRelocations: [Int: String],
                        log logText: inout String?) throws(LoadError) -> OwnedFD
  {
    let policy = VerifierLogPolicy()
    var capacity = logLevel > 0 ? max(policy.initialCapacity, 1 << 20) : 0
    var lastError = SyscallError.invalidArgument(.bpf(.programLoad), reason: "not attempted")
    var lastLog: VerifierLog?
    for _ in 0 ..< 32 {
      var attemptLog: VerifierLog? = capacity > 0 ? VerifierLog(level: max(logLevel, 1), capacity: capacity) : nil
      do throws(SyscallError) {
        let fd = try kernel.loadProgram(attributes, log: &attemptLog)
        logText = attemptLog?.text
        return fd
      } catch {
        lastError = error
        lastLog = attemptLog
      }
      guard let next = policy.nextCapacity(afterFailure: lastError.errno ?? .EINVAL, capacity: capacity,
                                           trueSize: lastLog?.trueSize ?? 0)
      else { break }
      if capacity == 0 {
        log(.debug, "load failed (\(lastError)); loading again with a \(next)-byte verifier log", program: program)
      } else {
        let needed = lastLog.map { $0.trueSize > 0 ? ", the kernel needs \($0.trueSize)" : "" } ?? ""
        log(.debug, "the verifier log did not fit in \(capacity) bytes\(needed); loading again with \(next)",
            program: program)
      }
      capacity = next
    }
    let text = lastLog?.text ?? ""
    if text.isEmpty {
      try explainRefusedType(attributes.type, program: program, lastError)
      throw .programLoad(program: program, lastError, log: nil)
    }
    let report = VerifierReport(log: text, lineTable: lineTable,
                                truncated: lastLog.map(VerifierLogPolicy.isTruncated) ?? false,
                                coreRelocations: coreRelocations)
    switch lastError.errno {
    case .some(.EACCES), .some(.EINVAL), .some(.E2BIG), .some(.ENOSPC):
      throw .verifierRejected(program: program, report)
    default:
      throw .programLoad(program: program, lastError, log: report)
    }
  }

  /// A load refused without a log: say so when the kernel lacks or refuses
  /// the whole program type (lockdown refuses tracing and LSM with EPERM).
  func explainRefusedType(_ type: ProgramType, program: String, _ error: SyscallError) throws(LoadError) {
    let features = kernel.features
    let lockable: [ProgramType] = [.tracing, .lsm, .ext]
    if error.errno == .EPERM,
       features.programTypeRefusals[type] == .EPERM || (lockable.contains(type) && geteuid() == 0)
    {
      throw .programTypeRefused(program: program, type: type.kernelName, error)
    }
    if error.errno == .EINVAL, !features.supports(type), features.supports(.socketFilter) {
      throw .unsupported(feature: "\(type.kernelName) (program '\(program)')",
                         minimumKernel: MinimumKernel.of(type) ?? "a newer kernel")
    }
  }
}

