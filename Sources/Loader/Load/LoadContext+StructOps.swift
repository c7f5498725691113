import BTF
import ELFReader
import Syscall
import UAPI

/// struct_ops maps: created with the kernel's wrapper type as value, their
/// value prepared once the programs are loaded (storing it, which registers
/// the ops, is the attach step's job).
extension LoadContext {
  /// Kernel: a struct_ops map's value is `struct bpf_struct_ops_<name>`
  /// (refcount and state, then the ops struct in member `data`).
  func structOpsWrapper(_ spec: Object.Map) throws(LoadError) -> (id: BTF.TypeID, size: UInt32, dataOffset: Int) {
    guard let ops = spec.definition?.structOps else {
      throw .mapDefinition(map: spec.name, reason: "a struct_ops map without its ops struct")
    }
    let btf = try kernel.kernelBTF()
    let wrapperName = "bpf_struct_ops_" + ops.typeName
    guard let id = btf.firstType(named: wrapperName, kind: .struct), case .struct(let wrapper)? = try? btf[id] else {
      throw .mapDefinition(map: spec.name, reason: "the kernel has no struct \(wrapperName): it does not "
        + "take struct \(ops.typeName) as struct_ops (is the subsystem built in?)")
    }
    var dataOffset: Int?
    if let members = try? btf.members(of: id) {
      for m in members where btf.name(m.name, equals: "data") { dataOffset = m.byteOffset }
    }
    guard let dataOffset else {
      throw .mapDefinition(map: spec.name, reason: "struct \(wrapperName) has no member 'data'")
    }
    return (id, wrapper.size, dataOffset)
  }

  /// Whether each struct_ops program a struct_ops map uses is loaded, by
  /// program name (libbpf's rule): loaded when one of the maps using it is
  /// created, not loaded when none is, whatever its own autoload says.
  /// Programs no map uses are absent and keep their own autoload.
  func structOpsAutoload() -> [String: Bool] {
    var decisions = [String: Bool]()
    for spec in object.maps where spec.role == .structOps {
      for function in spec.definition?.structOps?.functions ?? [] {
        decisions[function.program] = (decisions[function.program] ?? false) || spec.autoCreate
      }
    }
    return decisions
  }

  /// Fills each struct_ops map's value: data members copied by name into
  /// the kernel's layout, operations set to their programs' fds.
  func prepareStructOpsValues(maps: CreatedMaps, programs: [LoadedObject.Program]) throws(LoadError) {
    for spec in object.maps where spec.role == .structOps {
      guard let handle = maps.byName[spec.name], let ops = spec.definition?.structOps else { continue }
      let wrapper = try structOpsWrapper(spec)
      let value = try structOpsValue(spec, ops, wrapper: wrapper, programs: programs)
      handle.preparedValue.withLock { $0 = value }
    }
  }

  func structOpsValue(_ spec: Object.Map, _ ops: StructOpsDefinition,
                      wrapper: (id: BTF.TypeID, size: UInt32, dataOffset: Int),
                      programs: [LoadedObject.Program]) throws(LoadError) -> [UInt8] {
    guard let local = object.btf else {
      throw .mapDefinition(map: spec.name, reason: "the object has no BTF describing struct \(ops.typeName)")
    }
    let target = try kernel.kernelBTF()
    guard let kernelStruct = target.firstType(named: ops.typeName, kind: .struct) else {
      throw .mapDefinition(map: spec.name, reason: "struct \(ops.typeName) is not in the kernel's BTF")
    }
    var value = [UInt8](repeating: 0, count: Int(wrapper.size))
    do {
      let kernelMembers = try target.members(of: kernelStruct)
      for (index, member) in try local.members(of: ops.typeID).enumerated() {
        let name = try local.string(of: member.name)
        guard let kernelMember = kernelMembers.first(where: { target.name($0.name, equals: name) }) else {
          // libbpf refuses a program in a member the kernel lacks, as it
          // refuses set data there: only an all-zero member may be dropped.
          if let function = ops.functions.first(where: { $0.memberIndex == index }) {
            throw StructOpsValueFailure.missingMember(name, program: function.program)
          }
          let start = member.byteOffset
          let size = (try? local.size(of: member.type)) ?? 0
          if start + size <= ops.data.count, ops.data[start ..< start + size].contains(where: { $0 != 0 }) {
            throw StructOpsValueFailure.missingMember(name, program: nil)
          }
          continue
        }
        let at = wrapper.dataOffset + kernelMember.byteOffset
        if let function = ops.functions.first(where: { $0.memberIndex == index }) {
          guard let program = programs.first(where: { $0.name == function.program }), let fd = program.borrowedFD,
                at + 8 <= value.count
          else {
            throw StructOpsValueFailure.programNotLoaded(name, function.program)
          }
          value.replaceSubrange(at ..< at + 8, with: Object.bytes(of: UInt64(UInt32(bitPattern: fd.rawValue)), order: .host))
          continue
        }
        if case .pointer = try local.resolvedDescriptor(member.type) { continue }  // an operation left unset
        let size = try local.size(of: member.type)
        let kernelSize = try target.size(of: kernelMember.type)
        let start = member.byteOffset
        guard start + size <= ops.data.count else { continue }
        let bytes = ops.data[start ..< start + size]
        if !bytes.contains(where: { $0 != 0 }) { continue }
        guard size == kernelSize, at + size <= value.count else {
          throw StructOpsValueFailure.sizeMismatch(name, local: size, kernel: kernelSize)
        }
        value.replaceSubrange(at ..< at + size, with: bytes)
      }
    } catch {
      throw .mapDefinition(map: spec.name, reason: "struct \(ops.typeName): \(error)")
    }
    return value
  }
}

/// Why a struct_ops value could not be built (wrapped in `LoadError.mapDefinition`).
enum StructOpsValueFailure: Error, CustomStringConvertible {
  case missingMember(String, program: String?)
  case programNotLoaded(String, String)
  case sizeMismatch(String, local: Int, kernel: Int)

  var description: String {
    switch self {
    case .missingMember(let name, let program?):
      "member '\(name)' is set to program '\(program)' but the kernel's struct has no such member; remove it from the initializer"
    case .missingMember(let name, nil): "member '\(name)' is set but the kernel's struct has no such member"
    case .programNotLoaded(let member, let program): "member '\(member)' needs program '\(program)', which was not loaded"
    case .sizeMismatch(let name, let local, let kernel): "member '\(name)' is \(local) bytes here, \(kernel) in the kernel"
    }
  }
}
