import BTF
import ELFReader
import Instructions
import Relocation
import Syscall

extension LoadContext {
  /// Stage: the object's code after CO-RE. Every code section as ELFReader
  /// decoded it, those with CO-RE records patched against the custom target
  /// BTF or the kernel's, with a note at each poisoned or failed relocation.
  func relocate() throws(LoadError) -> RelocatedCode {
    if let (id, error) = file.undecodedCode.min(by: { $0.key < $1.key }) {
      let name = file.sections[id.index].name
      throw .relocation(program: name, reason: "section \(name) does not decode: \(error)")
    }
    guard let ext, let local = object.btf, ext.coreRelocations.contains(where: { !$0.records.isEmpty }) else {
      return RelocatedCode(sections: file.code)
    }
    let target = try targetBTF()
    let input = COREInput(file: file, extension: ext)
    let plan = CORERelocator(local: local, targets: [target]).plan(code: input.sections, extension: ext)
    do throws(RelocationError) {
      return try plan.applyKeepingFailures(to: input.sections, in: file.code)
    } catch {
      throw .coreRelocation(program: error.site.section, error)
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

  /// Stage: one program's code as the kernel gets it. Appends the
  /// subprograms it reaches (`ProgramLinker`), stops at a failed CO-RE
  /// relocation in any of them, then writes map fds, data addresses and
  /// externs (`resolveRelocations`).
  func link(_ spec: Object.Program, code: RelocatedCode, maps: CreatedMaps, btf: PreparedBTF) throws(LoadError)
    -> LinkedProgram
  {
    // func_info and line_info only go with BTF the kernel took.
    let linker = ProgramLinker(file: file, code: code, ext: btf.fd == nil ? nil : ext)
    // Without decl tags in the kernel the sanitizer drops the tag naming it.
    let callback = kernel.features.btf.kinds.contains(.declarationTag)
      ? try ExceptionCallback.find(for: spec.name, file: file, btf: object.btf) : nil
    var linked = try linker.link(program: spec.source, exceptionCallback: callback)
    if let failure = linked.coreFailures.first { throw .coreRelocation(program: spec.name, failure.error) }
    try resolveRelocations(&linked, maps: maps, program: spec.name)
    return linked
  }
}
