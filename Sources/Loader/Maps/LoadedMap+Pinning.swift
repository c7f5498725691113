import Syscall
import UAPI

/// A map's life beyond this process: pinning in bpffs, reopening a pinned
/// map, and freezing it against user-space writes.
extension LoadedObject.Map {
  /// Pins the map at `path` (in a bpffs): it outlives this process until the
  /// pin is removed. Kernel: `BPF_OBJ_PIN`.
  public func pin(at path: String) throws(MapError) {
    try withDescriptor(closed: { MapError.closed(map: name) }) { (fd) throws(MapError) in
      do throws(SyscallError) { try kernel.pin(fd, at: path) } catch { throw .syscall(error, map: name) }
    }
  }

  /// Makes the map read-only for user space (programs may still write).
  /// Kernel: `BPF_MAP_FREEZE`, Linux 5.2.
  public func freeze() throws(MapError) {
    try withDescriptor(closed: { MapError.closed(map: name) }) { (fd) throws(MapError) in
      do throws(SyscallError) { try kernel.freeze(map: fd) } catch { throw .syscall(error, map: name) }
    }
  }

  /// Opens the map pinned at `path`, described by the kernel (type, sizes,
  /// name). With `expecting`, a map of another type is refused with a typed
  /// error rather than misread.
  ///
  /// Kernel: `BPF_OBJ_GET`, then `BPF_OBJ_GET_INFO_BY_FD`.
  public static func open(
    pinnedAt path: String, expecting type: MapType? = nil, kernel: any KernelInterface = SystemKernel.shared
  ) throws(MapError) -> LoadedObject.Map {
    let fd: OwnedFD
    do throws(SyscallError) { fd = try kernel.openPinned(at: path) } catch { throw .syscall(error, map: path) }
    let info: MapInfo
    do throws(SyscallError) { info = try kernel.mapInfo(fd.borrowed) } catch { throw .syscall(error, map: path) }
    let name = info.name.isEmpty ? path : info.name
    if let type, info.type != type {
      throw .wrongType(map: name, type: info.type, use: "\(path) was expected to hold a \(type)")
    }
    return LoadedObject.Map(
      kernel: kernel, name: name, sectionName: nil, type: info.type, keySize: info.keySize,
      valueSize: info.valueSize, maxEntries: info.maxEntries, flags: info.flags, pinPath: path,
      isReused: true, isFrozen: false, fd: fd, mapping: nil)
  }
}
