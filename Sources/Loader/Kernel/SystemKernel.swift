import BTF
import Glibc
import Synchronization
import Syscall
import UAPI

/// The real kernel: bpf(2) through `Syscall`, files under /proc and /sys.
///
/// Kernel BTF, configuration, symbols and CPU count are read once per
/// instance and cached (a `SystemKernel.shared` serves every load in a process).
public final class SystemKernel: KernelInterface {
  /// One instance per process, so the caches are shared.
  public static let shared = SystemKernel()

  private let btfCache = Mutex<BTF?>(nil)
  private let configCache = Mutex<[String: String]??>(nil)
  private let symbolCache = Mutex<KernelSymbols?>(nil)

  public init() {}

  public func createMap(_ attributes: MapCreateAttributes) throws(SyscallError) -> OwnedFD {
    try BPF.createMap(attributes)
  }

  public func loadProgram(_ attributes: ProgramLoadAttributes, log: inout VerifierLog?) throws(SyscallError) -> OwnedFD {
    if var filled = log {
      defer { log = filled }
      return try BPF.loadProgram(attributes, log: &filled)
    }
    return try BPF.loadProgram(attributes)
  }

  public func loadBTF(_ bytes: [UInt8], log: inout VerifierLog?) throws(SyscallError) -> OwnedFD {
    if var filled = log {
      defer { log = filled }
      return try BPF.loadBTF(bytes, log: &filled)
    }
    return try BPF.loadBTF(bytes)
  }

  public func updateElement(map: BorrowedFD, key: [UInt8], value: [UInt8]) throws(SyscallError) {
    let result = key.withUnsafeBytes { k in
      value.withUnsafeBytes { v in
        Result { () throws(SyscallError) in
          guard let vb = v.baseAddress else {
            throw .invalidArgument(.bpf(.mapUpdateElement), reason: "empty value")
          }
          try BPF.update(map: map, key: k.baseAddress, value: vb)
        }
      }
    }
    try result.get()
  }

  public func freeze(map: BorrowedFD) throws(SyscallError) { try BPF.freeze(map: map) }
  public func mapDescription(_ map: BorrowedFD) throws(SyscallError) -> MapDescription {
    let info = try BPF.mapInfo(map)
    return MapDescription(type: info.type, keySize: info.keySize, valueSize: info.valueSize,
                          maxEntries: info.maxEntries, flags: info.flags, mapExtra: info.mapExtra)
  }
  public func openPinned(at path: String) throws(SyscallError) -> OwnedFD { try BPF.getPinned(at: path) }
  public func pin(_ object: BorrowedFD, at path: String) throws(SyscallError) { try BPF.pin(object, at: path) }

  public func mapMemory(_ map: BorrowedFD, length: Int, writable: Bool) throws(SyscallError) -> MappedRegion {
    try MappedRegion.map(map, length: length, protection: writable ? [.read, .write] : [.read])
  }

  public func possibleCPUCount() -> Int {
    PossibleCPUs.count(from: PossibleCPUs.read() ?? "0") ?? 1
  }

  public var pageSize: Int { Int(sysconf(Int32(_SC_PAGESIZE))) }

  public func kernelBTF() throws(LoadError) -> BTF {
    if let cached = btfCache.withLock({ $0 }) { return cached }
    do throws(BTFError) {
      let btf = try BTF.kernel()
      btfCache.withLock { $0 = btf }
      return btf
    } catch {
      throw .kernelBTF(error)
    }
  }

  public func kernelConfig() -> [String: String]? {
    if let cached = configCache.withLock({ $0 }) { return cached }
    let values = KernelConfig.load()
    configCache.withLock { $0 = .some(values) }
    return values
  }

  public func kernelSymbolAddress(_ name: String) -> UInt64? {
    let table = symbolCache.withLock { cached -> KernelSymbols in
      if let cached { return cached }
      let loaded = KernelSymbols.load()
      cached = loaded
      return loaded
    }
    return table.address(of: name)
  }

  public var kernelVersionCode: UInt32 { KernelVersion.running }

  public var features: KernelFeatures { KernelFeatures.probed }
}

/// `/sys/devices/system/cpu/possible`: `0-3`, `0,2-5`...
enum PossibleCPUs {
  static func read() -> String? {
    guard let text = try? readSmallFile("/sys/devices/system/cpu/possible") else { return nil }
    return text
  }

  /// The number of CPUs a range list names; the kernel numbers them from 0,
  /// so this is the highest number plus one.
  static func count(from list: String) -> Int? {
    var highest = -1
    for part in list.split(whereSeparator: { $0 == "," || $0.isWhitespace }) {
      let bounds = part.split(separator: "-")
      guard let last = bounds.last.flatMap({ Int($0) }), bounds.count <= 2, last >= 0, last < 1 << 20 else {
        return nil
      }
      highest = max(highest, last)
    }
    return highest >= 0 ? highest + 1 : nil
  }
}

/// `LINUX_VERSION_CODE` from uname: `KERNEL_VERSION(a, b, c)` = a<<16 | b<<8 | min(c, 255).
enum KernelVersion {
  static var running: UInt32 {
    code(release: BTF.kernelRelease ?? "")
  }

  static func code(release: String) -> UInt32 {
    let numbers = release.split(whereSeparator: { !$0.isNumber }).prefix(3).map { UInt32($0) ?? 0 }
    let parts = numbers + Array(repeating: 0, count: max(0, 3 - numbers.count))
    return min(parts[0], 255) << 16 | min(parts[1], 255) << 8 | min(parts[2], 255)
  }
}

/// Reads a whole small text file (procfs, sysfs), or throws.
func readSmallFile(_ path: String) throws(SyscallError) -> String {
  let fd = open(path, O_RDONLY | O_CLOEXEC)
  guard fd >= 0 else { throw .current(.system("open")) }
  defer { _ = close(fd) }
  var bytes = [UInt8]()
  var chunk = [UInt8](repeating: 0, count: 65536)
  while true {
    let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    if n < 0 {
      if errno == EINTR { continue }
      throw .current(.system("read"))
    }
    if n == 0 { break }
    bytes.append(contentsOf: chunk[0..<n])
  }
  return String(decoding: bytes, as: UTF8.self)
}
