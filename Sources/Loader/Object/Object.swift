import BTF
import ELFReader
import Syscall
import UAPI

/// An opened BPF object: inspect and configure it, then `load()` it.
///
/// The first phase of the lifecycle. Nothing here touches the kernel; maps,
/// programs and global variables are plain values to change (max entries,
/// autoload, program type, `.rodata` values…). `load()` consumes the
/// configuration and gives a `LoadedObject`, whose maps and programs have fds.
public struct Object: Sendable {
  /// The parsed ELF file.
  public let file: ObjectFile
  /// The object name (internal map prefix).
  public let name: String
  /// The options it was opened with. `kconfigOverrides` and `pinRoot` are
  /// read by `load()` and may still be changed before it (the object name
  /// and the programs' log level were taken at open).
  public var options: OpenOptions
  /// Every map to create: the object's maps (struct_ops ones included),
  /// then one per global data section, then `.kconfig`, in libbpf's order.
  public var maps: [Map]
  /// Every program, in the object's order.
  public var programs: [Program]
  /// Contents of the data sections, by section name, as they will be loaded.
  var sectionBytes: [String: [UInt8]]
  /// The object's BTF, when it has one.
  let btf: BTF?

  /// Opens the object at `path`.
  public static func open(path: String, options: OpenOptions = OpenOptions()) throws(LoadError) -> Object {
    let file: ObjectFile
    do throws(ELFError) { file = try ObjectFile(path: path) } catch { throw .open(error) }
    return try Object(file: file, options: options)
  }

  /// Opens an object held in memory (embedded bytes); `name` stands for the file.
  public static func open(bytes: [UInt8], name: String, options: OpenOptions = OpenOptions())
    throws(LoadError) -> Object
  {
    let file: ObjectFile
    do throws(ELFError) { file = try ObjectFile(bytes: bytes, name: name) } catch { throw .open(error) }
    return try Object(file: file, options: options)
  }

  /// Wraps an already parsed file.
  public init(file: ObjectFile, options: OpenOptions = OpenOptions()) throws(LoadError) {
    self.file = file
    self.options = options
    let objectName = options.objectName ?? Object.defaultName(path: file.name)
    self.name = objectName
    if let bytes = file.btf {
      do throws(BTFError) { btf = try BTF(bytes: bytes) } catch { throw .objectBTF(object: file.name, error) }
    } else {
      btf = nil
    }
    var maps = file.maps.map { Map(definition: $0) }
    var bytes = [String: [UInt8]]()
    for section in file.dataSections {
      switch section.kind {
      case .data, .rodata, .bss:
        guard section.size > 0 else { continue }
        // Kernel: an array's value is at most KMALLOC_MAX_SIZE (a few MiB); refuse
        // absurd sizes before allocating them.
        guard section.size <= 1 << 28 else {
          throw .invalidValue(name: section.name, reason: "the section is \(section.size) bytes, too large for a map value")
        }
        var contents = section.initialBytes ?? []
        let size = Int(clamping: section.size)
        if contents.count < size { contents += [UInt8](repeating: 0, count: size - contents.count) }
        bytes[section.name] = Array(contents.prefix(size))
        maps.append(Map(dataSection: section, objectName: objectName, readOnly: section.kind == .rodata,
                        mappable: Object.sectionIsMappable(section.name, btf: btf, file: file)))
      case .kconfig, .ksyms, .arena:
        continue
      }
    }
    if let arena = try Object.arenaData(file, maps: maps) { bytes[arena.section] = arena.bytes }
    if file.externs.contains(where: { $0.kind == .kconfig }) {
      maps.append(Map(kconfigFor: objectName))
    }
    self.maps = maps
    self.sectionBytes = bytes
    self.programs = file.programs.map { Program(file: $0, logLevel: options.logLevel) }
  }

  /// libbpf's object name: the file's base name up to its first dot.
  static func defaultName(path: String) -> String {
    let base = path.split(separator: "/").last.map(String.init) ?? path
    let stem = base.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? base
    return stem.isEmpty ? base : stem
  }

  /// The map called `name` (its symbol name, or `.data`-style section name).
  public func map(named name: String) -> Map? {
    maps.first { $0.name == name || $0.sectionName == name }
  }

  /// The program called `name`.
  public func program(named name: String) -> Program? {
    programs.first { $0.name == name }
  }

  /// Changes the map called `name` in place.
  public mutating func withMap(_ name: String, _ change: (inout Map) -> Void) throws(LoadError) {
    guard let index = maps.firstIndex(where: { $0.name == name || $0.sectionName == name }) else {
      throw .notFound(what: "map", name: name, object: file.name)
    }
    change(&maps[index])
  }

  /// Changes the program called `name` in place.
  public mutating func withProgram(_ name: String, _ change: (inout Program) -> Void) throws(LoadError) {
    guard let index = programs.firstIndex(where: { $0.name == name }) else {
      throw .notFound(what: "program", name: name, object: file.name)
    }
    change(&programs[index])
  }

  /// Loads with the running kernel.
  public func load() throws(LoadError) -> LoadedObject {
    try load(kernel: SystemKernel.shared)
  }

  /// Loads through `kernel` (a fake one in tests).
  public func load(kernel: some KernelInterface) throws(LoadError) -> LoadedObject {
    try LoadContext(object: self, kernel: kernel).run()
  }
}
