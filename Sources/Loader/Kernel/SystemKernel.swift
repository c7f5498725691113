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
  private let configCache = Mutex<KernelConfig??>(nil)

  /// A kernel with caches of its own; use `shared` unless a test needs a
  /// fresh cache.
  public init() {}

  public func createMap(_ attributes: MapCreateAttributes) throws(SyscallError) -> OwnedFD {
    try BPF.createMap(attributes)
  }

  public func loadProgram(_ attributes: ProgramLoadAttributes, log: inout VerifierLog?) throws(SyscallError) -> OwnedFD {
    guard var filled = log else { return try BPF.loadProgram(attributes) }
    do throws(SyscallError) {
      let fd = try BPF.loadProgram(attributes, log: &filled)
      log = filled
      return fd
    } catch {
      log = filled
      throw error
    }
  }

  public func loadBTF(_ bytes: [UInt8], log: inout VerifierLog?) throws(SyscallError) -> OwnedFD {
    guard var filled = log else { return try BPF.loadBTF(bytes) }
    do throws(SyscallError) {
      let fd = try BPF.loadBTF(bytes, log: &filled)
      log = filled
      return fd
    } catch {
      log = filled
      throw error
    }
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
  public func programBTF(_ program: BorrowedFD) throws(SyscallError) -> [UInt8]? {
    let id = try BPF.programInfo(program).btfID
    guard id != 0 else { return nil }
    let btf = try BPF.open(.btf, id: id)
    return try BPF.btfData(btf.borrowed)
  }

  public func openPinned(at path: String) throws(SyscallError) -> OwnedFD { try BPF.getPinned(at: path) }
  public func pin(_ object: BorrowedFD, at path: String) throws(SyscallError) { try BPF.pin(object, at: path) }
  public func unpin(at path: String) throws(SyscallError) {
    if case .failure(let error) = SystemFiles.remove(path) { throw .failed(.system("unlink"), error.errno) }
  }

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

  public func kernelConfig() -> KernelConfig? {
    if let cached = configCache.withLock({ $0 }) { return cached }
    let config = try? KernelConfig.load()
    configCache.withLock { $0 = .some(config) }
    return config
  }

  public func kernelSymbolAddress(_ name: String) -> UInt64? {
    guard case .success(let symbols) = KernelSymbols.system else { return nil }
    return try? symbols.address(of: name)
  }

  public var kernelVersionCode: UInt32 { KernelRelease.current?.versionCode ?? 0 }

  public var features: KernelFeatures { KernelFeatures.probed }
}
