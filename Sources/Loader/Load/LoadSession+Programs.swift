import BTF
import Glibc
import ELFReader
import Instructions
import Relocation
import Syscall
import UAPI

extension LoadSession {
  /// Decodes every code section and applies CO-RE to those with records,
  /// against the custom target BTF or the kernel's.
  mutating func prepareCode() throws(LoadError) {
    if let (id, error) = file.undecodedCode.min(by: { $0.key < $1.key }) {
      let name = file.sections[id.index].name
      throw .relocation(program: name, reason: "section \(name) does not decode: \(error)")
    }
    code = file.code
    guard let ext, let local = object.btf, ext.coreRelocations.contains(where: { !$0.records.isEmpty }) else { return }
    let target = try targetBTF()
    let sections = COREInput(file: file, extension: ext).sections
    let relocator = CORERelocator(local: local, targets: [target])
    let plan = relocator.plan(code: sections, extension: ext)
    var good = [RelocationDecision]()
    for decision in plan.decisions {
      if case .failed(let error) = decision.result {
        if coreFailures[decision.program] == nil { coreFailures[decision.program] = error }
      } else {
        if decision.result == .poisoned {
          poisoned[decision.section, default: [:]][decision.sectionSlot] =
            "\(decision.localAccess) (\(decision.kind) \(decision.localSpec)): \(decision.reason)"
        }
        good.append(decision)
      }
    }
    let applied: [CodeSection]
    do throws(RelocationError) {
      applied = try RelocationPlan(decisions: good).apply(to: sections)
    } catch {
      throw .coreRelocation(program: error.site.section, error)
    }
    for section in applied { code[section.id] = section }
  }

  /// The BTF CO-RE relocates against.
  func targetBTF() throws(LoadError) -> TargetBTF {
    guard let path = object.options.targetBTFPath else {
      return TargetBTF(name: "vmlinux", btf: try kernel.kernelBTF())
    }
    let name = path.split(separator: "/").last.map(String.init) ?? path
    do throws(BTFError) {
      if let elf = try? ObjectFile(path: path), let bytes = elf.btf {
        return TargetBTF(name: name, btf: try BTF(bytes: bytes))
      }
      return TargetBTF(name: name, btf: try BTF(contentsOf: path))
    } catch {
      throw .targetBTF(path: path, error)
    }
  }

  /// The most instructions (8-byte slots) the kernel takes in one program.
  static var instructionLimit: Int { 1_000_000 }

  /// Links, relocates and loads one program.
  mutating func load(_ spec: Object.Program) throws(LoadError) -> LoadedObject.Program {
    guard let type = spec.type else {
      throw .invalidConfiguration(reason: "program '\(spec.name)': no program type; set one before load")
    }
    let linker = ProgramLinker(file: file, code: code, ext: btfFD == nil ? nil : ext)
    var linked = try linker.link(program: spec.source)
    for placement in linked.placements {
      if let failure = coreFailures[placement.name] { throw .coreRelocation(program: spec.name, failure) }
    }
    try applyRelocations(&linked, program: spec.name)
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
    if let btf = btfFD {
      attributes.btfFD = btf.borrowed
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
    for placement in linked.placements {
      for (sectionSlot, text) in poisoned[placement.sectionName] ?? [:]
      where sectionSlot >= placement.sectionSlot && sectionSlot < placement.sectionSlot + placement.slotCount {
        poisonedHere[placement.programSlot + sectionSlot - placement.sectionSlot] = text
      }
    }
    var log: String?
    let fd = try loadWithLogRetry(attributes, program: spec.name, logLevel: spec.logLevel,
                                  lineTable: SourceLineTable(lines), coreRelocations: poisonedHere, log: &log)
    return LoadedObject.Program(
      name: spec.name, sectionName: spec.sectionName, section: spec.section, type: type, expectedAttachType: attributes.expectedAttachType,
      attachBTFID: attachID, verifierLog: log, fd: fd)
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
      var log: VerifierLog? = capacity > 0 ? VerifierLog(level: max(logLevel, 1), capacity: capacity) : nil
      do throws(SyscallError) {
        let fd = try kernel.loadProgram(attributes, log: &log)
        logText = log?.text
        return fd
      } catch {
        lastError = error
        lastLog = log
      }
      guard let next = policy.nextCapacity(afterFailure: lastError.errno ?? .EINVAL, capacity: capacity,
                                           trueSize: lastLog?.trueSize ?? 0)
      else { break }
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

