import Syscall
import UAPI

/// A map's life beyond this process: pinning in bpffs, reopening a pinned
/// map, and freezing it against user-space writes.
extension LoadedObject.Map {
  /// Pins the map at `path` (in a bpffs): it outlives this process until the
  /// pin is removed. Kernel: `BPF_OBJ_PIN`.
  public func pin(at path: String) throws(MapError) {
    try withKernelCall { (kernel, fd) throws(SyscallError) in try kernel.pin(fd, at: path) }
    pinState.withLock { $0 = path }
  }

  /// Removes the pin at `path` (default: where this map is pinned, by the
  /// load or by `pin(at:)`); the map lives on while descriptors to it remain.
  /// Throws `MapError.notPinned` when there is no path to remove.
  ///
  /// Kernel: unlink(2) of the bpffs file, as libbpf's `bpf_map__unpin`.
  public func unpin(at path: String? = nil) throws(MapError) {
    guard let target = path ?? pinPath else { throw .notPinned(map: name) }
    do throws(SyscallError) { try kernel.unpin(at: target) } catch { throw .syscall(error, map: name) }
    pinState.withLock { if $0 == target { $0 = nil } }
  }

  /// Makes the map read-only for user space (programs may still write).
  /// Kernel: `BPF_MAP_FREEZE`, Linux 5.2.
  public func freeze() throws(MapError) {
    try withKernelCall { (kernel, fd) throws(SyscallError) in try kernel.freeze(map: fd) }
  }

  /// A handle for a map descriptor made elsewhere (`BPF.createMap`, received
  /// from another process), described by the kernel; the handle owns it.
  /// With `expecting`, a map of another type is refused.
  ///
  /// Kernel: `BPF_OBJ_GET_INFO_BY_FD`.
  public static func adopting(
    _ fd: consuming OwnedFD, expecting type: MapType? = nil, kernel: any KernelInterface = SystemKernel.shared
  ) throws(MapError) -> LoadedObject.Map {
    try describe(fd, label: "fd \(fd.rawValue)", pinPath: nil, expecting: type, kernel: kernel)
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
    return try describe(fd, label: path, pinPath: path, expecting: type, kernel: kernel)
  }

  /// Opens the map with kernel id `id` (as `bpftool map list` shows it),
  /// described by the kernel; with `expecting`, another type is refused.
  ///
  /// Kernel: `BPF_MAP_GET_FD_BY_ID` (needs CAP_SYS_ADMIN).
  public static func open(
    id: UInt32, expecting type: MapType? = nil, kernel: any KernelInterface = SystemKernel.shared
  ) throws(MapError) -> LoadedObject.Map {
    let fd: OwnedFD
    do throws(SyscallError) { fd = try kernel.openMap(id: id) } catch { throw .syscall(error, map: "id \(id)") }
    return try describe(fd, label: "id \(id)", pinPath: nil, expecting: type, kernel: kernel)
  }

  private static func describe(
    _ fd: consuming OwnedFD, label: String, pinPath: String?, expecting type: MapType?, kernel: any KernelInterface
  ) throws(MapError) -> LoadedObject.Map {
    let info: MapInfo
    do throws(SyscallError) { info = try kernel.mapInfo(fd.borrowed) } catch { throw .syscall(error, map: label) }
    let name = info.name.isEmpty ? label : info.name
    if let type, info.type != type {
      throw .wrongType(map: name, type: info.type, use: "\(label) was expected to hold a \(type)")
    }
    return LoadedObject.Map(
      kernel: kernel, name: name, sectionName: nil, type: info.type, keySize: info.keySize,
      valueSize: info.valueSize, maxEntries: info.maxEntries, flags: info.flags, pinPath: pinPath,
      isReused: true, isFrozen: false, fd: fd, mapping: nil)
  }
}
