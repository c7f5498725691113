import BTF
import ELFReader
import Instructions
import Relocation
import Syscall
import UAPI

/// One run of `Object.load()`: uploads the BTF, creates the maps, links,
/// relocates and loads the programs, fills map slots, pins.
///
/// Everything created lives in `LoadedObject.Map`/`Program` handles held
/// here; if a step throws, dropping the session releases them all. Until
/// `run()` returns, no one else holds these handles, so the session may use
/// their descriptors unguarded (`borrowedFD`); handles the user passed in
/// (`reusedMap`, `attachProgram`) are used only inside their `withFD` scope.
struct LoadSession<Kernel: KernelInterface> {
  let object: Object
  let kernel: Kernel
  var file: ObjectFile { object.file }

  /// The uploaded object BTF.
  var btfFD: OwnedFDBox?
  var maps: [LoadedObject.Map] = []
  var mapsByName: [String: LoadedObject.Map] = [:]
  var dataMaps: [String: LoadedObject.Map] = [:]
  var programs: [LoadedObject.Program] = []
  var warnings: [String] = []
  var kconfig: KconfigLayout?
  var ext: BTF.Extension?
  /// Section code after CO-RE.
  var code: [SectionID: CodeSection] = [:]
  /// Poisoned CO-RE relocations, by section and section slot, described.
  var poisoned: [String: [Int: String]] = [:]
  /// Functions whose CO-RE relocations failed, with the first error.
  var coreFailures: [String: RelocationError] = [:]
  /// Maps created by this load that must be pinned at the end.
  var toPin: [(LoadedObject.Map, String)] = []

  init(object: Object, kernel: Kernel) {
    self.object = object
    self.kernel = kernel
  }

  mutating func run() throws(LoadError) -> LoadedObject {
    // Kernel: programs, BTF and map values are read in the kernel's own byte order.
    guard file.byteOrder == .host else {
      throw .wrongByteOrder(object: file.name, order: file.byteOrder, host: .host)
    }
    if let btf = object.btf, let bytes = file.btfExt {
      do throws(BTFError) { ext = try BTF.Extension(bytes: bytes, btf: btf) } catch {
        throw .objectBTF(object: file.name, error)
      }
    }
    if file.externs.contains(where: { $0.kind == .kconfig }) {
      kconfig = try KconfigLayout(externs: file.externs, btf: object.btf, object: file.name)
    }
    let selected = try selectPrograms()
    uploadBTF()
    try createMaps()
    try prepareCode()
    for program in selected {
      if let target = program.attachProgram {
        // The target program's fd goes into the load attributes: it must
        // stay open until the kernel call returns.
        let handle = try target.withDescriptor(closed: {
          LoadError.attachTarget(program: program.name, target: program.attachTarget ?? "",
                                 reason: "the target program '\(target.name)' was closed before the load")
        }) { (_) throws(LoadError) in try load(program) }
        programs.append(handle)
      } else {
        programs.append(try load(program))
      }
    }
    try prepareStructOpsValues()
    try fillSlots()
    try pinMaps()
    var variables = [String: Object.VariableLocation]()
    for section in file.dataSections where dataMaps[section.name] != nil {
      for v in section.variables where variables[v.name] == nil {
        variables[v.name] = Object.VariableLocation(section: section.name, offset: Int(clamping: v.offset),
                                                    size: Int(clamping: v.size))
      }
    }
    return LoadedObject(name: object.name, maps: maps, programs: programs, warnings: warnings,
                        variables: variables, byteOrder: file.byteOrder)
  }

  /// The programs to load, each with a known type.
  func selectPrograms() throws(LoadError) -> [Object.Program] {
    var result = [Object.Program]()
    for p in object.programs where p.autoload {
      if p.type == nil, case .failure(let unknown)? = p.source.definition {
        throw .unknownSection(program: p.name, unknown)
      }
      result.append(p)
    }
    return result
  }

  /// Uploads the object's BTF; when the kernel refuses it, loading goes on
  /// without (no func/line info, no key/value types), as libbpf does.
  mutating func uploadBTF() {
    guard let btf = object.btf else { return }
    guard kernel.features.supports(.btf) else {
      warnings.append("\(file.name): this kernel takes no BTF; loading without it")
      return
    }
    let bytes: [UInt8]
    do throws(BTFError) {
      bytes = try ObjectBTF.prepare(btf, file: file, kconfig: kconfig, support: kernel.features.btf)
    } catch {
      warnings.append("\(file.name): BTF not prepared for upload (\(error)); loading without it")
      return
    }
    var log: VerifierLog? = nil
    do throws(SyscallError) {
      btfFD = OwnedFDBox(try kernel.loadBTF(bytes, log: &log))
    } catch {
      var retryLog: VerifierLog? = VerifierLog(level: 1, capacity: 1 << 20)
      _ = try? kernel.loadBTF(bytes, log: &retryLog)
      let tail = retryLog.map { VerifierReport(log: $0.text).errorLine } ?? ""
      warnings.append("\(file.name): the kernel refused the object's BTF (\(error)\(tail.isEmpty ? "" : ": \(tail)")); loaded without it")
    }
  }
}
