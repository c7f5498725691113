import FoundationEssentials
import SwiftBPF

/// A map's entries read from the kernel as raw bytes, with the map's BTF
/// when it has one (`swiftbpf map dump`, `swiftbpf run --maps`).
struct MapContents {
  enum Value {
    case single([UInt8])
    /// One slot per possible CPU, each `valueSize` bytes.
    case perCPU([[UInt8]])
  }

  struct Entry {
    var key: [UInt8]
    var value: Value
  }

  /// The name to report the map under (the object's, or the kernel's).
  var name: String
  var info: MapInfo
  /// The map's BTF with its key and value types, when the kernel has them.
  var btf: (btf: BTF, key: BTF.TypeID, value: BTF.TypeID)?
  var entries: [Entry]

  /// Types whose elements cannot be walked with `BPF_MAP_GET_NEXT_KEY`:
  /// event buffers, queues, stacks, bloom filters, arenas, and the local
  /// storages (keyed by a task, socket, inode or cgroup fd: the kernel
  /// answers ENOTSUPP).
  static let keyless: Set<MapType> = [
    .ringbuf, .userRingbuf, .perfEventArray, .queue, .stack, .bloomFilter, .arena,
    .taskStorage, .skStorage, .inodeStorage, .cgrpStorage,
  ]

  /// Kernel: the types whose lookup copies one value per possible CPU.
  static let perCPUTypes: Set<MapType> = [.percpuHash, .percpuArray, .lruPercpuHash, .percpuCgroupStorage]

  static func isDumpable(_ type: MapType) -> Bool { !keyless.contains(type) }

  /// Walks the map with next-key and looks every key up. A key deleted
  /// between the two calls is skipped, as the kernel no longer has it.
  ///
  /// Kernel: per-CPU lookups fill `roundup(valueSize, 8)` bytes per
  /// possible CPU (`/sys/devices/system/cpu/possible`), not per online one.
  static func read(_ fd: BorrowedFD, name: String? = nil) throws(MapCommandError) -> MapContents {
    let info: MapInfo
    do { info = try BPF.mapInfo(fd) } catch { throw .syscall(error, map: name ?? "fd \(fd.rawValue)", id: nil) }
    let label = name ?? info.name
    guard isDumpable(info.type) else { throw .notDumpable(map: label, id: info.id, type: info.type) }
    let isPerCPU = perCPUTypes.contains(info.type)
    let slot = (Int(info.valueSize) + 7) / 8 * 8
    // The kernel writes a slot for every possible CPU: a guessed count
    // could be too small for what it writes, so no list, no dump.
    guard !isPerCPU || FileManager.default.isReadableFile(atPath: "/sys/devices/system/cpu/possible") else {
      throw .possibleCPUsUnknown(map: label, id: info.id)
    }
    let cpus = isPerCPU ? SystemKernel.shared.possibleCPUCount() : 1
    let keySize = Int(info.keySize)
    let valueBytes = isPerCPU ? slot * cpus : Int(info.valueSize)

    var entries: [Entry] = []
    // One spare byte so zero-sized keys or values still have an address.
    let key = UnsafeMutableRawPointer.allocate(byteCount: max(keySize, 1), alignment: 8)
    let next = UnsafeMutableRawPointer.allocate(byteCount: max(keySize, 1), alignment: 8)
    let value = UnsafeMutableRawPointer.allocate(byteCount: max(valueBytes, 1), alignment: 8)
    defer {
      key.deallocate()
      next.deallocate()
      value.deallocate()
    }
    var first = true
    do throws(SyscallError) {
      while try BPF.nextKey(map: fd, after: first ? nil : UnsafeRawPointer(key), into: next) {
        first = false
        key.copyMemory(from: next, byteCount: keySize)
        guard try BPF.lookup(map: fd, key: key, value: value) else { continue }
        let keyCopy = Array(UnsafeRawBufferPointer(start: key, count: keySize))
        if isPerCPU {
          let slots = (0..<cpus).map { cpu in
            Array(UnsafeRawBufferPointer(start: value + cpu * slot, count: Int(info.valueSize)))
          }
          entries.append(Entry(key: keyCopy, value: .perCPU(slots)))
        } else {
          entries.append(Entry(key: keyCopy, value: .single(Array(UnsafeRawBufferPointer(start: value, count: valueBytes)))))
        }
      }
    } catch {
      throw .syscall(error, map: label, id: info.id)
    }
    return MapContents(name: label, info: info, btf: btf(of: info), entries: entries)
  }

  /// The map's BTF, fetched by its id; nil when the map has none, or when
  /// it cannot be read (the dump then shows raw bytes, as for a map without BTF).
  ///
  /// A map's BTF is normally the object's own, complete BTF; it is split
  /// only when a kernel module's BTF describes the map, and then sits on
  /// vmlinux.
  static func btf(of info: MapInfo) -> (btf: BTF, key: BTF.TypeID, value: BTF.TypeID)? {
    guard info.btfID != 0, info.btfValueTypeID != 0, info.btfKeyTypeID != 0 || info.keySize == 0 else { return nil }
    guard let fd = try? BPF.open(.btf, id: info.btfID), let bytes = try? BPF.btfData(fd.borrowed) else { return nil }
    let btf: BTF
    if let whole = try? BTF(bytes: bytes) {
      btf = whole
    } else if let base = try? BTF.kernel(), let split = try? BTF(bytes: bytes, base: base) {
      btf = split
    } else {
      return nil
    }
    return (btf, BTF.TypeID(info.btfKeyTypeID), BTF.TypeID(info.btfValueTypeID))
  }
}
