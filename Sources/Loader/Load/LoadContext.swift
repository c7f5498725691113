import BTF
import Logging
import ELFReader
import Instructions
import Relocation
import Syscall
import UAPI

/// What every stage of one `Object.load()` reads and none changes: the
/// object, the kernel seam, and what is derived from the object alone
/// (`.BTF.ext`, the `.kconfig` layout).
///
/// The load is a sequence of stages, each a function from values to values
/// (`run()` reads as the whole load):
///
///     selectPrograms()                          -> [Object.Program]
///     prepareBTF()                              -> PreparedBTF
///     createMaps(btf:)                          -> CreatedMaps
///     relocate()                                -> RelocatedCode (notes inside)
///     link(program, code:, maps:, btf:)         -> LinkedProgram
///     loadProgram(linked, program, btf:)        -> LoadedObject.Program
///     finalize(maps:, programs:, btf:)          -> LoadedObject
///
/// Everything created lives in `LoadedObject.Map`/`Program` handles held
/// by the stages' outputs; if a stage throws, dropping them releases them
/// all. Until `run()` returns no one else holds these handles, so the stages
/// may use their descriptors unguarded (`borrowedFD`); handles the user
/// passed in (`reusedMap`, `attachProgram`) are used only inside their
/// `withFD` scope.
struct LoadContext<Kernel: KernelInterface> {
  let object: Object
  let kernel: Kernel
  /// The parsed `.BTF.ext` (func_info, line_info, CO-RE records).
  let ext: BTF.Extension?
  /// Where each `__kconfig` extern sits in the `.kconfig` map.
  let kconfig: KconfigLayout?
  /// The user's logger (`OpenOptions.logger`) with the object's metadata.
  let logger: Logger
  var file: ObjectFile { object.file }

  init(object: Object, kernel: Kernel) throws(LoadError) {
    self.object = object
    self.kernel = kernel
    var logger = object.options.logger
    logger[metadataKey: LogMetadataKey.object] = .string(object.name)
    logger[metadataKey: LogMetadataKey.file] = .string(object.file.name)
    self.logger = logger
    let file = object.file
    // Kernel: programs, BTF and map values are read in the kernel's own byte order.
    guard file.byteOrder == .host else {
      throw .wrongByteOrder(object: file.name, order: file.byteOrder, host: .host)
    }
    var ext: BTF.Extension?
    if let btf = object.btf, let bytes = file.btfExt {
      do throws(BTFError) { ext = try BTF.Extension(bytes: bytes, btf: btf) } catch {
        throw .objectBTF(object: file.name, error)
      }
    }
    self.ext = ext
    kconfig = file.externs.contains(where: { $0.kind == .kconfig })
      ? try KconfigLayout(externs: file.externs, btf: object.btf, object: file.name) : nil
  }

  /// The whole load, stage by stage.
  func run() throws(LoadError) -> LoadedObject {
    let selected = try selectPrograms()
    let btf = prepareBTF()
    let maps = try createMaps(btf: btf)
    let code = try relocate()
    var programs = [LoadedObject.Program]()
    for program in selected {
      if let target = program.attachProgram {
        // The target program's fd goes into the load attributes: it must
        // stay open until the kernel call returns.
        let handle = try target.withDescriptor(closed: {
          LoadError.attachTarget(program: program.name, target: program.attachTarget ?? "",
                                 reason: "the target program '\(target.name)' was closed before the load")
        }) { (_) throws(LoadError) in
          try loadProgram(try link(program, code: code, maps: maps, btf: btf), program, btf: btf)
        }
        programs.append(handle)
      } else {
        programs.append(try loadProgram(try link(program, code: code, maps: maps, btf: btf), program, btf: btf))
      }
    }
    return try finalize(maps: maps, programs: programs, btf: btf)
  }

  /// Stage: the programs to load, each with a known type.
  func selectPrograms() throws(LoadError) -> [Object.Program] {
    var result = [Object.Program]()
    let structOps = structOpsAutoload()
    for p in object.programs {
      if p.type == .structOps, let load = structOps[p.name] {
        if load != p.autoload {
          log(.debug, load ? "loaded although autoload is off: a struct_ops map created with the object uses it"
                           : "not loaded although autoload is on: no struct_ops map using it is created",
              program: p.name)
        }
        if load { result.append(p) }
        continue
      }
      guard p.autoload else {
        log(.debug, "not loaded: autoload is off", program: p.name)
        continue
      }
      if p.type == nil, case .failure(let unknown)? = p.source.definition {
        throw .unknownSection(program: p.name, unknown)
      }
      result.append(p)
    }
    return result
  }

  /// Last stage, once every program is loaded: struct_ops values, map slots
  /// (map-in-map, prog arrays), pins, and the loaded object with the data
  /// sections' variables.
  func finalize(maps: CreatedMaps, programs: [LoadedObject.Program], btf: PreparedBTF) throws(LoadError)
    -> LoadedObject
  {
    try prepareStructOpsValues(maps: maps, programs: programs)
    try fillSlots(maps: maps, programs: programs)
    try pinMaps(maps)
    var variables = [String: Object.VariableLocation]()
    // `.kconfig` lists its externs at offset 0 (the ELF places none): their
    // places come from the kconfig layout below.
    for section in file.dataSections where maps.dataMaps[section.name] != nil && section.kind != .kconfig {
      for v in section.variables where variables[v.name] == nil {
        variables[v.name] = Object.VariableLocation(section: section.name, offset: Int(clamping: v.offset),
                                                    size: Int(clamping: v.size))
      }
    }
    // `__kconfig` externs, where the load placed them: read like variables.
    if let kconfig, maps.maps.contains(where: { $0.sectionName == ".kconfig" }) {
      for entry in kconfig.entries where variables[entry.name] == nil {
        variables[entry.name] = Object.VariableLocation(section: ".kconfig", offset: entry.offset, size: entry.size)
      }
    }
    return LoadedObject(name: object.name, maps: maps.maps, programs: programs,
                        variables: variables, byteOrder: file.byteOrder)
  }
}
