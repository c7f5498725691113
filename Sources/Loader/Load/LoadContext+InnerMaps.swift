import ELFReader
import Syscall
import UAPI

extension LoadContext {
  /// The inner map template of a map-in-map, created as libbpf creates it:
  /// the template's definition goes through the same size rules as a map
  /// of its own (a ring buffer's size rounded to a power-of-2 multiple of
  /// the page size, a perf event array of 0 entries sized to the possible
  /// CPUs), with its BTF key and value types when the type takes BTF (and
  /// without, when the kernel refuses them). The kernel copies the
  /// template's shape (and, from its BTF, special fields such as a
  /// `bpf_spin_lock`) into the outer map; the caller closes it once the
  /// outer map exists.
  func createInnerTemplate(_ inner: MapDefinition, of spec: Object.Map, btf: PreparedBTF) throws(LoadError)
    -> OwnedFD
  {
    let name = String(decoding: Array((spec.name + ".inner").utf8.prefix(15)), as: UTF8.self)
    var a = MapCreateAttributes(
      type: inner.type, keySize: inner.keySize, valueSize: inner.valueSize, maxEntries: inner.maxEntries,
      flags: MapFlags(rawValue: inner.flags), name: name)
    a.mapExtra = inner.mapExtra
    a.numaNode = inner.numaNode
    switch inner.type {
    case .perfEventArray where inner.maxEntries == 0:
      a.maxEntries = UInt32(clamping: kernel.possibleCPUCount())
    case .ringbuf, .userRingbuf:
      a.maxEntries = Self.ringBufferSize(inner.maxEntries, page: kernel.pageSize)
    default:
      break
    }
    if let btfFD = btf.fd, !MapBTFPolicy.takesNoBTF(inner.type), inner.keyTypeID != nil || inner.valueTypeID != nil {
      a.btfFD = btfFD.borrowed
      a.btfKeyTypeID = inner.keyTypeID?.rawValue ?? 0
      a.btfValueTypeID = inner.valueTypeID?.rawValue ?? 0
    }
    let what = spec.name + " (inner map template)"
    do throws(SyscallError) {
      return try kernel.createMap(a)
    } catch {
      try explainMissingMapType(inner.type, map: what, error)
      guard a.btfFD != nil else { throw .mapCreation(map: what, error) }
      a.btfFD = nil
      a.btfKeyTypeID = 0
      a.btfValueTypeID = 0
      let fd: OwnedFD
      do throws(SyscallError) { fd = try kernel.createMap(a) } catch { throw .mapCreation(map: what, error) }
      log(.warning, "inner map template created without BTF key/value types (the kernel refused them)", map: spec.name)
      return fd
    }
  }
}
