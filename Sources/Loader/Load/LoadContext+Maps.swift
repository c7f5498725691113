import BTF
import ELFReader
import Syscall
import UAPI

extension LoadContext {
  /// Stage: creates (or reuses) every map, in the object's order, then
  /// writes the initial contents of global data and `.kconfig`, freezes the
  /// read-only ones and maps them into memory.
  func createMaps(btf: PreparedBTF) throws(LoadError) -> CreatedMaps {
    var created = CreatedMaps()
    for spec in object.maps where spec.autoCreate {
      let handle = try createMap(spec, btf: btf, into: &created)
      created.maps.append(handle)
      created.byName[spec.name] = handle
      if let section = spec.sectionName { created.dataMaps[section] = handle }
      if spec.type == .arena, let section = arenaSectionName { created.dataMaps[section] = handle }
    }
    return created
  }

  /// The attributes to create `spec` with, after the kernel-dependent fixes.
  func attributes(for spec: Object.Map, btf: PreparedBTF) throws(LoadError) -> MapCreateAttributes {
    var a = MapCreateAttributes(type: spec.type, keySize: spec.keySize, valueSize: spec.valueSize,
                                maxEntries: spec.maxEntries, flags: spec.flags, name: spec.kernelName)
    a.numaNode = spec.numaNode
    a.mapExtra = spec.mapExtra
    switch spec.type {
    case .perfEventArray where spec.maxEntries == 0:
      a.maxEntries = UInt32(clamping: kernel.possibleCPUCount())
    case .ringbuf, .userRingbuf:
      a.maxEntries = Self.ringBufferSize(spec.maxEntries, page: kernel.pageSize)
    default:
      break
    }
    switch spec.role {
    case .data(let section):
      a.valueSize = UInt32(clamping: object.sectionBytes[section]?.count ?? 0)
    case .kconfig:
      a.valueSize = UInt32(kconfig?.size ?? 0)
    case .structOps:
      let wrapper = try structOpsWrapper(spec)
      a.valueSize = wrapper.size
      a.btfVmlinuxValueTypeID = wrapper.id.rawValue
      // Kernel: map_create wants the object's BTF with a vmlinux value type
      // too ("the bpf_prog.o must have BTF to begin with").
      a.btfFD = btf.fd?.borrowed
    case .defined:
      break
    }
    if spec.role != .defined && spec.role != .structOps {
      if !kernel.features.supports(.mmapableArrays) && a.flags.contains(.mmapable) {
        a.flags.remove(.mmapable)
        log(.debug, "created without BPF_F_MMAPABLE: this kernel cannot mmap arrays (global data is written with map updates)",
            map: spec.name)
      }
      if !kernel.features.supports(.frozenMaps) && a.flags.contains(.readOnlyProgram) {
        a.flags.remove(.readOnlyProgram)
        log(.debug, "created without BPF_F_RDONLY_PROG: this kernel cannot freeze maps", map: spec.name)
      }
    }
    if let btfFD = btf.fd, let objectBTF = object.btf, !MapBTFPolicy.takesNoBTF(spec.type) {
      switch spec.role {
      case .defined:
        if let d = spec.definition, d.keyTypeID != nil || d.valueTypeID != nil {
          a.btfFD = btfFD.borrowed
          a.btfKeyTypeID = d.keyTypeID?.rawValue ?? 0
          a.btfValueTypeID = d.valueTypeID?.rawValue ?? 0
        }
      case .data(let section):
        if let id = objectBTF.firstType(named: section, kind: .dataSection) {
          a.btfFD = btfFD.borrowed
          a.btfValueTypeID = id.rawValue
        }
      case .kconfig:
        if let id = objectBTF.firstType(named: ".kconfig", kind: .dataSection) {
          a.btfFD = btfFD.borrowed
          a.btfValueTypeID = id.rawValue
        }
      case .structOps:
        break
      }
    }
    return a
  }

  /// Ring buffer sizes must be a power-of-2 multiple of the page size
  /// (`ringbuf_map_alloc`). As libbpf does: a size that already is one, and
  /// 0 (so the kernel's refusal shows the missing size), pass through;
  /// another is rounded up to the next one, or passed through when none
  /// fits in 32 bits.
  static func ringBufferSize(_ requested: UInt32, page: Int) -> UInt32 {
    let pageSize = UInt64(max(page, 1))
    let size = UInt64(requested)
    if size == 0 { return 0 }
    if size % pageSize == 0, (size / pageSize).nonzeroBitCount == 1 { return requested }
    var multiple: UInt64 = 1
    while multiple * pageSize <= UInt64(UInt32.max) {
      if multiple * pageSize > size { return UInt32(multiple * pageSize) }
      multiple <<= 1
    }
    return requested
  }

  /// Creates one map; a warning or a pin to do goes into `created`.
  func createMap(_ spec: Object.Map, btf: PreparedBTF, into created: inout CreatedMaps) throws(LoadError)
    -> LoadedObject.Map
  {
    if spec.type == .unspec {
      throw .mapDefinition(map: spec.name, reason: "has no type; add __uint(type, BPF_MAP_TYPE_...) to its definition")
    }
    var a = try attributes(for: spec, btf: btf)
    let isFrozen = a.flags.contains(.readOnlyProgram) && spec.role != .defined && spec.role != .structOps
    var pinPath = spec.pinPath
    if pinPath == nil, spec.pinning == .byName {
      pinPath = object.options.pinRoot + "/" + spec.name
    }
    if let reused = spec.reusedMap {
      let fd: OwnedFD = try reused.withDescriptor { (descriptor) throws(LoadError) in
        do throws(SyscallError) { return try descriptor.duplicate() } catch {
          throw .mapSetup(map: spec.name, operation: "dup of the reused map '\(reused.name)'", error)
        }
      }
      log(.debug, "not created: reusing the map '\(reused.name)' given as reusedMap", map: spec.name)
      return makeHandle(spec, a, fd: fd, pinPath: nil, reused: true, frozen: isFrozen, mapping: nil)
    }
    if let pinPath, let existing = try openPinnedIfCompatible(spec, a, path: pinPath) {
      log(.debug, "not created: reusing the map pinned at \(pinPath)", map: spec.name)
      return makeHandle(spec, a, fd: existing, pinPath: pinPath, reused: true, frozen: isFrozen, mapping: nil)
    }
    // Map-in-map: an inner map built from the template, closed after creation.
    var innerTemplate: OwnedFD?
    if let inner = spec.innerMap, spec.type == .arrayOfMaps || spec.type == .hashOfMaps {
      innerTemplate = try createInnerTemplate(inner, of: spec, btf: btf)
    }
    a.innerMapFD = innerTemplate?.borrowed
    var fd: OwnedFD
    do throws(SyscallError) {
      fd = try kernel.createMap(a)
    } catch {
      try explainMissingMapType(spec, error)
      guard a.btfFD != nil else { throw .mapCreation(map: spec.name, error) }
      // Some kernels refuse BTF for some types; libbpf retries without.
      a.btfFD = nil
      a.btfKeyTypeID = 0
      a.btfValueTypeID = 0
      do throws(SyscallError) { fd = try kernel.createMap(a) } catch {
        throw .mapCreation(map: spec.name, error)
      }
      log(.warning, "created without BTF key/value types (the kernel refused them)", map: spec.name)
    }
    _ = consume innerTemplate

    var mapping: MappedRegion?
    if let contents = try initialContents(spec) {
      do throws(SyscallError) {
        try kernel.updateElement(map: fd.borrowed, key: [0, 0, 0, 0], value: contents)
      } catch {
        throw .mapSetup(map: spec.name, operation: "writing the initial value", error)
      }
      if isFrozen {
        do throws(SyscallError) { try kernel.freeze(map: fd.borrowed) } catch {
          throw .mapSetup(map: spec.name, operation: "BPF_MAP_FREEZE", error)
        }
      }
      if a.flags.contains(.mmapable), !contents.isEmpty {
        let length = (contents.count + kernel.pageSize - 1) / kernel.pageSize * kernel.pageSize
        do throws(SyscallError) {
          mapping = try kernel.mapMemory(fd.borrowed, length: length, writable: !isFrozen)
        } catch {
          // libbpf fails the load too: the section was made mappable because
          // user space may name its variables.
          throw .dataSectionMapping(map: spec.name, section: spec.sectionName ?? spec.name, error)
        }
      }
    }
    if spec.type == .arena { mapping = try mapArena(spec, fd.borrowed) }
    let handle = makeHandle(spec, a, fd: fd, pinPath: pinPath, reused: false, frozen: isFrozen, mapping: mapping)
    log(.debug, "created: \(a.type.kernelName), key \(a.keySize) B, value \(a.valueSize) B, \(a.maxEntries) entries", map: spec.name)
    if let pinPath { created.toPin.append((handle, pinPath)) }
    return handle
  }

  /// After a refused create: when the probes say the kernel has no such
  /// map type, say so with the first release that has it.
  func explainMissingMapType(_ spec: Object.Map, _ error: SyscallError) throws(LoadError) {
    try explainMissingMapType(spec.type, map: spec.name, error)
  }

  func explainMissingMapType(_ type: MapType, map name: String, _ error: SyscallError) throws(LoadError) {
    guard error.errno != .EPERM, !kernel.features.supports(type) else { return }
    throw .unsupported(feature: "\(type.kernelName) (map '\(name)')",
                       minimumKernel: MinimumKernel.of(type) ?? "a newer kernel")
  }

  func makeHandle(_ spec: Object.Map, _ a: MapCreateAttributes, fd: consuming OwnedFD, pinPath: String?,
                  reused: Bool, frozen: Bool, mapping: consuming MappedRegion?) -> LoadedObject.Map {
    LoadedObject.Map(
      kernel: kernel,
      name: spec.name, sectionName: spec.sectionName, type: a.type, keySize: a.keySize, valueSize: a.valueSize,
      maxEntries: a.maxEntries, flags: a.flags, pinPath: pinPath, isReused: reused, isFrozen: frozen,
      recordType: spec.recordType, fd: fd, mapping: mapping)
  }

  /// The initial value of an internal map, nil for other maps.
  func initialContents(_ spec: Object.Map) throws(LoadError) -> [UInt8]? {
    switch spec.role {
    case .defined, .structOps: return nil
    case .data(let section): return object.sectionBytes[section]
    case .kconfig: return try kconfigBytes()
    }
  }

  /// `.kconfig` contents from the kernel's configuration and the overrides.
  func kconfigBytes() throws(LoadError) -> [UInt8]? {
    guard let kconfig else { return nil }
    var config: KernelConfig
    if let found = kernel.kernelConfig() {
      config = found
    } else {
      config = KernelConfig()
      log(.info, "no kernel configuration (/proc/config.gz, /boot/config-$(uname -r)): __kconfig externs get only libbpf's specials and the overrides")
    }
    let code = kernel.kernelVersionCode
    config["LINUX_KERNEL_VERSION"] = .integer(Int64(code), text: String(code))
    config = config.addingLibbpfSpecials(
      release: nil, hasBPFCookie: kernel.features.supports(.bpfCookie),
      hasSyscallWrapper: KernelConfig.syscallWrapperSymbol.map { kernel.kernelSymbolAddress($0) != nil } ?? false)
    for (name, text) in object.options.kconfigOverrides.sorted(by: { $0.key < $1.key }) {
      do throws(KernelConfigError) { try config.override(name, with: text) } catch {
        throw .invalidValue(name: name, reason: error.description)
      }
    }
    let (bytes, defaulted) = try kconfig.contents(config: config, byteOrder: file.byteOrder)
    if !defaulted.isEmpty {
      log(.debug, "weak __kconfig externs not in the kernel configuration, left 0: \(defaulted.joined(separator: ", "))")
    }
    return bytes
  }

  /// Opens the map pinned at `path` if there is one; throws when it differs
  /// from what would be created.
  func openPinnedIfCompatible(_ spec: Object.Map, _ a: MapCreateAttributes, path: String)
    throws(LoadError) -> OwnedFD?
  {
    let fd: OwnedFD
    do throws(SyscallError) { fd = try kernel.openPinned(at: path) } catch {
      if error.errno == .ENOENT { return nil }
      throw .mapSetup(map: spec.name, operation: "opening the pinned map at \(path)", error)
    }
    let info: MapDescription
    do throws(SyscallError) { info = try kernel.mapDescription(fd.borrowed) } catch {
      throw .mapSetup(map: spec.name, operation: "reading the pinned map's info", error)
    }
    var differences = [String]()
    if info.type != a.type { differences.append("type \(info.type) vs \(a.type)") }
    if info.keySize != a.keySize { differences.append("key size \(info.keySize) vs \(a.keySize)") }
    if info.valueSize != a.valueSize { differences.append("value size \(info.valueSize) vs \(a.valueSize)") }
    if info.maxEntries != a.maxEntries { differences.append("max entries \(info.maxEntries) vs \(a.maxEntries)") }
    if info.flags != a.flags {
      differences.append("flags 0x\(String(info.flags.rawValue, radix: 16)) vs 0x\(String(a.flags.rawValue, radix: 16))")
    }
    if info.mapExtra != a.mapExtra { differences.append("map_extra \(info.mapExtra) vs \(a.mapExtra)") }
    guard differences.isEmpty else {
      throw .pinnedMapIncompatible(map: spec.name, path: path, differences: differences)
    }
    return fd
  }

  /// Map-in-map slots from `.values` (after maps) and prog array slots
  /// (after programs).
  func fillSlots(maps: CreatedMaps, programs: [LoadedObject.Program]) throws(LoadError) {
    for spec in object.maps {
      guard let definition = spec.definition, !definition.initialValues.isEmpty,
            let handle = maps.byName[spec.name], !handle.isReused, let mapFD = handle.borrowedFD
      else { continue }
      for value in definition.initialValues {
        let target: BorrowedFD?
        switch spec.type {
        case .arrayOfMaps, .hashOfMaps:
          target = maps.byName[value.symbolName]?.borrowedFD
          if target == nil {
            throw .invalidConfiguration(reason: "map '\(spec.name)': slot \(value.index) names map '\(value.symbolName)', which was not created")
          }
        case .progArray:
          // A program not loaded (autoload off) leaves its slot empty.
          target = programs.first(where: { $0.name == value.symbolName })?.borrowedFD
        default:
          target = nil
        }
        guard let target else {
          if spec.type == .progArray {
            log(.debug, "slot \(value.index) left empty: program '\(value.symbolName)' was not loaded", map: spec.name)
          }
          continue
        }
        let key = Object.bytes(of: UInt32(value.index), order: .host)
        let fdValue = Object.bytes(of: UInt32(bitPattern: target.rawValue), order: .host)
        do throws(SyscallError) {
          try kernel.updateElement(map: mapFD, key: key, value: fdValue)
        } catch {
          throw .mapSetup(map: spec.name, operation: "setting slot \(value.index) to '\(value.symbolName)'", error)
        }
      }
    }
  }

  func pinMaps(_ maps: CreatedMaps) throws(LoadError) {
    for (handle, path) in maps.toPin {
      guard let fd = handle.borrowedFD else { continue }
      do throws(SyscallError) { try kernel.pin(fd, at: path) } catch {
        throw .mapSetup(map: handle.name, operation: "pinning at \(path)", error)
      }
    }
  }
}
