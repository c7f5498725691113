import BTF
import ELFReader
import Instructions
import Syscall
import UAPI

extension LoadContext {
  /// Writes map fds, map value addresses and resolved externs into the
  /// linked program's instructions.
  func resolveRelocations(_ linked: inout LinkedProgram, maps: CreatedMaps, program: String) throws(LoadError) {
    for (slot, relocation) in linked.relocations {
      guard let index = linked.index(ofSlot: slot) else {
        throw .relocation(program: program, reason: "relocation at slot \(slot) is not at an instruction start")
      }
      var insn = linked.instructions[index]
      switch relocation.target {
      case .none, .subprogramCall, .callbackAddress:
        continue
      case .map(let name, _, _):
        guard let map = maps.byName[name], let fd = map.borrowedFD else {
          throw .relocation(program: program, reason: "uses map '\(name)', which was not created (autoCreate off?)")
        }
        insn.source = Register(Instruction.PseudoSource.mapFD)
        insn.immediate = Int64(fd.rawValue)
      case .globalData(let section, _, let offset, let variable):
        guard let map = maps.dataMaps[section], let fd = map.borrowedFD else {
          throw .relocation(program: program,
                            reason: "uses \(variable.map { "variable '\($0)' in " } ?? "")section \(section), which has no map")
        }
        // An arena variable's offset counts from the arena's start, where
        // its section's bytes were placed (its last pages).
        let placed = Int64(offset) + Int64(arenaDataOffset(section: section) ?? 0)
        insn.source = Register(Instruction.PseudoSource.mapValue)
        insn.immediate = Int64(UInt32(bitPattern: fd.rawValue)) | Int64(truncatingIfNeeded: placed) << 32
      case .extern(let name, let usage):
        insn = try resolveExtern(name, usage: usage, insn, maps: maps, program: program)
      case .unsupported(let problem):
        throw .relocation(program: program, reason: problem.description)
      }
      linked.instructions[index] = insn
    }
  }

  func resolveExtern(_ name: String, usage: Relocation.ExternUsage, _ original: Instruction, maps: CreatedMaps,
                     program: String)
    throws(LoadError) -> Instruction
  {
    guard let ext = file.externs.first(where: { $0.name == name }) else {
      throw .relocation(program: program, reason: "references undefined symbol '\(name)'")
    }
    if isDeclaredMap(ext) {
      throw .mapDefinition(map: name, reason: "program '\(program)' uses it, but the object only declares it "
        + "(extern in .maps) and defines it nowhere; define the map or link the object that does")
    }
    var insn = original
    switch ext.kind {
    case .kconfig:
      guard let entry = kconfig?.entries.first(where: { $0.name == name }),
            let map = maps.dataMaps[".kconfig"] ?? maps.byName.values.first(where: { $0.sectionName == ".kconfig" }),
            let fd = map.borrowedFD
      else {
        throw .unresolvedExtern(name: name, kind: "kconfig", reason: "the .kconfig map was not created")
      }
      insn.source = Register(Instruction.PseudoSource.mapValue)
      insn.immediate = Int64(UInt32(bitPattern: fd.rawValue)) | Int64(entry.offset) << 32
    case .kfunc where usage == .call:
      guard let id = try kernelTypeID(name, kind: .function) else {
        guard ext.isWeak else {
          throw .unresolvedExtern(name: name, kind: "kfunc", reason: "not found in the kernel's BTF")
        }
        // A missing weak kfunc: a call the verifier accepts only as dead code.
        log(.debug, "weak kfunc '\(name)' is not in the kernel's BTF: its calls must be dead code", program: program)
        insn.source = Register(Instruction.CallSource.helper)
        insn.offset = 0
        insn.immediate = Int64(Instruction.missingKfuncHelperID)
        return insn
      }
      insn.source = Register(Instruction.CallSource.kfunc)
      insn.offset = 0  // vmlinux: no BTF fd index
      insn.immediate = Int64(id.rawValue)
    case .kfunc, .ksymVariable(typed: true):
      let kind: BTF.Kind = ext.kind == .kfunc ? .function : .variable
      guard let id = try kernelTypeID(name, kind: kind) else {
        guard ext.isWeak else {
          throw .unresolvedExtern(name: name, kind: "ksym", reason: "not found in the kernel's BTF")
        }
        // A missing weak ksym reads as 0 (a kfunc's address checked by `bpf_ksym_exists`).
        log(.debug, "weak ksym '\(name)' is not in the kernel's BTF: it reads as 0", program: program)
        insn.source = Register(Instruction.PseudoSource.value)
        insn.immediate = 0
        return insn
      }
      insn.source = Register(Instruction.PseudoSource.btfID)  // high half 0: vmlinux
      insn.immediate = Int64(id.rawValue)
    case .ksymVariable(typed: false), .unknownVariable:
      if let address = kernel.kernelSymbolAddress(name) {
        insn.source = Register(Instruction.PseudoSource.value)
        insn.immediate = Int64(bitPattern: address)
      } else if ext.isWeak {
        log(.debug, "weak ksym '\(name)' is not in /proc/kallsyms: it reads as 0", program: program)
        insn.source = Register(Instruction.PseudoSource.value)
        insn.immediate = 0
      } else {
        throw .unresolvedExtern(name: name, kind: "ksym", reason: "not in /proc/kallsyms (reading it needs root)")
      }
    }
    return insn
  }

  /// An extern whose BTF VAR sits in the `.maps` DATASEC: a map declaration.
  func isDeclaredMap(_ ext: Extern) -> Bool {
    guard let btf = object.btf, let id = ext.btfTypeID ?? btf.firstType(named: ext.name, kind: .variable),
          let maps = btf.firstType(named: ".maps", kind: .dataSection),
          let entries = try? btf.variables(of: maps)
    else { return false }
    return entries.contains { $0.type == id }
  }

  /// The kernel BTF id of a named FUNC or VAR, nil when absent.
  func kernelTypeID(_ name: String, kind: BTF.Kind) throws(LoadError) -> BTF.TypeID? {
    try kernel.kernelBTF().firstType(named: name, kind: kind)
  }

  /// The attach BTF id (and for struct_ops, the member index as attach type).
  func attachTarget(_ spec: Object.Program, type: ProgramType) throws(LoadError) -> (UInt32, AttachType?) {
    if type == .structOps { return try structOpsTarget(spec) }
    guard let section = spec.section, section.flags.contains(.attachBTF) else { return (0, nil) }
    guard let target = spec.attachTarget, !target.isEmpty else {
      throw .attachTarget(program: spec.name, target: "", reason: "SEC(\"\(spec.sectionName)\") names no target; set attachTarget before load")
    }
    if let program = spec.attachProgram?.borrowedFD {
      return (try programFunctionID(target, in: program, for: spec), nil)
    }
    if type == .ext {
      throw .attachTarget(program: spec.name, target: target,
                          reason: "freplace needs the program to replace a function of: set attachProgram before load")
    }
    // `module:name` or `vmlinux:name`: this kernel has no module BTF, so look in vmlinux.
    let bare = target.split(separator: ":").last.map(String.init) ?? target
    let btf = try kernel.kernelBTF()
    let candidates: [(String, BTF.Kind)]
    switch spec.expectedAttachType {
    case .some(.traceRawTp): candidates = [("btf_trace_" + bare, .typedef)]
    case .some(.traceIter): candidates = [("bpf_iter_" + bare, .function)]
    case .some(.lsmMac), .some(.lsmCgroup): candidates = [("bpf_lsm_" + bare, .function)]
    default: candidates = [(bare, .function)]
    }
    for (name, kind) in candidates {
      if let id = btf.firstType(named: name, kind: kind) { return (id.rawValue, nil) }
    }
    throw .attachTarget(program: spec.name, target: target,
                        reason: "\(candidates.map(\.0).joined(separator: ", ")) is not in the kernel's BTF")
  }

  /// The BTF id of FUNC `name` in the BTF a loaded program was loaded with.
  func programFunctionID(_ name: String, in program: BorrowedFD, for spec: Object.Program) throws(LoadError) -> UInt32 {
    let bytes: [UInt8]?
    do throws(SyscallError) { bytes = try kernel.programBTF(program) } catch {
      throw .kernelQuery(object: spec.name, operation: "reading the target program's BTF", error)
    }
    guard let bytes else {
      throw .attachTarget(program: spec.name, target: name, reason: "the target program was loaded without BTF")
    }
    let btf: BTF
    do throws(BTFError) { btf = try BTF(bytes: bytes) } catch {
      throw .attachTarget(program: spec.name, target: name, reason: "the target program's BTF is unreadable: \(error)")
    }
    guard let id = btf.firstType(named: name, kind: .function) else {
      throw .attachTarget(program: spec.name, target: name, reason: "the target program has no function '\(name)'")
    }
    return id.rawValue
  }

  /// struct_ops programs: the kernel struct's id and the member's index.
  func structOpsTarget(_ spec: Object.Program) throws(LoadError) -> (UInt32, AttachType?) {
    // A map created with the object first: its struct is the one the program serves.
    let users = object.maps.filter { $0.definition?.structOps?.functions.contains { $0.program == spec.name } == true }
    guard let map = (users.first(where: \.autoCreate) ?? users.first)?.definition,
          let ops = map.structOps, let function = ops.functions.first(where: { $0.program == spec.name })
    else {
      throw .attachTarget(program: spec.name, target: spec.attachTarget ?? "",
                          reason: "no struct_ops map uses this program, so its kernel struct is unknown")
    }
    let btf = try kernel.kernelBTF()
    guard let id = btf.firstType(named: ops.typeName, kind: .struct) else {
      throw .attachTarget(program: spec.name, target: ops.typeName, reason: "struct \(ops.typeName) is not in the kernel's BTF")
    }
    var memberIndex: Int?
    do throws(BTFError) {
      for (i, member) in try btf.members(of: id).enumerated() where btf.name(member.name, equals: function.member) {
        memberIndex = i
        break
      }
    } catch {
      throw .attachTarget(program: spec.name, target: ops.typeName, reason: "\(error)")
    }
    guard let index = memberIndex else {
      throw .attachTarget(program: spec.name, target: "\(ops.typeName).\(function.member)",
                          reason: "the kernel's struct has no such member")
    }
    return (id.rawValue, AttachType(rawValue: UInt32(index)))
  }
}
