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
    for section in file.sections where section.isExecutable {
      guard let bytes = section.data else { continue }
      do throws(InstructionError) {
        code[section.index] = try InstructionSequence(decoding: bytes, order: file.byteOrder)
      } catch {
        throw .relocation(program: section.name, reason: "section \(section.name) does not decode: \(error)")
      }
    }
    guard let ext, let local = object.btf, ext.coreRelocations.contains(where: { !$0.records.isEmpty }) else { return }
    let target = try targetBTF()
    var sections = [CodeSection]()
    var indexByName = [String: Int]()
    for group in ext.coreRelocations {
      guard let section = file.section(named: group.name), let sequence = code[section.index] else { continue }
      let functions = file.programs.filter { $0.sectionIndex == section.index }.map { FunctionSymbol(name: $0.name, slot: $0.slot) }
        + file.subprograms.filter { $0.sectionIndex == section.index }.map { FunctionSymbol(name: $0.name, slot: $0.slot) }
      sections.append(CodeSection(name: group.name, instructions: sequence, functions: functions))
      indexByName[group.name] = section.index
    }
    let relocator = CORERelocator(local: local, targets: [target])
    let plan = relocator.plan(code: sections, extension: ext)
    var good = [RelocationDecision]()
    for decision in plan.decisions {
      if case .failed(let error) = decision.result {
        if coreFailures[decision.program] == nil { coreFailures[decision.program] = error }
      } else {
        good.append(decision)
      }
    }
    let applied: [CodeSection]
    do throws(RelocationError) {
      applied = try RelocationPlan(decisions: good).apply(to: sections)
    } catch {
      throw .coreRelocation(program: error.site.section, error)
    }
    for section in applied {
      if let index = indexByName[section.name] { code[index] = section.instructions }
    }
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
    if let attachType { attributes.expectedAttachType = attachType }

    var log: String?
    let fd = try loadWithLogRetry(attributes, program: spec.name, logLevel: spec.logLevel, log: &log)
    return LoadedObject.Program(
      name: spec.name, sectionName: spec.sectionName, type: type, expectedAttachType: attributes.expectedAttachType,
      attachBTFID: attachID, verifierLog: log, fd: fd)
  }

  /// Loads without a log (or with the requested level); on failure loads
  /// again with a log, growing the buffer until the whole log fits.
  func loadWithLogRetry(_ attributes: ProgramLoadAttributes, program: String, logLevel: UInt32,
                        log logText: inout String?) throws(LoadError) -> OwnedFD
  {
    var log: VerifierLog? = logLevel > 0 ? VerifierLog(level: logLevel, capacity: 1 << 20) : nil
    let firstError: SyscallError
    do throws(SyscallError) {
      let fd = try kernel.loadProgram(attributes, log: &log)
      logText = log?.text
      return fd
    } catch {
      firstError = error
    }
    var capacity = max(log?.capacity ?? 0, 64 << 10)
    var lastError = firstError
    var text = log?.text ?? ""
    for _ in 0 ..< 8 {
      var retry: VerifierLog? = VerifierLog(level: max(logLevel, 1), capacity: capacity)
      do throws(SyscallError) {
        let fd = try kernel.loadProgram(attributes, log: &retry)
        logText = retry?.text  // Succeeded this time (a transient failure).
        return fd
      } catch {
        lastError = error
      }
      text = retry?.text ?? ""
      let needed = Int(retry?.trueSize ?? 0)
      let truncated = lastError.errno == .ENOSPC || needed > capacity
      guard truncated, capacity < 1 << 30 else { break }
      capacity = max(needed + 1, capacity * 4)
    }
    if text.isEmpty {
      let lockable: [ProgramType] = [.tracing, .lsm, .ext]
      if lastError.errno == .EPERM, lockable.contains(attributes.type), geteuid() == 0 {
        throw .programTypeRefused(program: program, type: attributes.type.kernelName, lastError)
      }
      throw .programLoad(program: program, lastError, log: nil)
    }
    let report = VerifierReport(log: text)
    if lastError.errno == .EACCES || lastError.errno == .EINVAL || lastError.errno == .E2BIG
      || lastError.errno == .ENOSPC
    {
      throw .verifierRejected(program: program, report)
    }
    throw .programLoad(program: program, lastError, log: report)
  }
}
