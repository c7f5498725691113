import BTF
import Glibc
import Loader
import Synchronization
import Syscall
import Testing
import UAPI

/// A kernel that records what the loader asks for and hands out real
/// descriptors (unlinked temporary files, so ownership, closing and mmap are real) without
/// bpf(2): the loader's logic runs as any user.
final class FakeKernel: KernelInterface {
  struct CreatedMap: Sendable {
    var fd: CInt
    var attributes: MapCreateAttributes
    var id: UInt32
  }
  struct Update: Sendable {
    var map: String
    var key: [UInt8]
    var value: [UInt8]
  }
  struct LoadCall: Sendable {
    var attributes: ProgramLoadAttributes
    var logLevel: UInt32?
    var logCapacity: Int?
  }
  /// A scripted refusal of `BPF_PROG_LOAD` for one program name.
  struct Refusal: Sendable {
    var errno: Errno
    var log: String
    /// The log size the fake claims the full log needs (log_true_size).
    var trueSize: UInt32
  }
  struct State: Sendable {
    var maps: [CreatedMap] = []
    var loads: [LoadCall] = []
    var updates: [Update] = []
    /// `BPF_MAP_DELETE_ELEM` calls (the value is empty).
    var deletions: [Update] = []
    var frozen: [String] = []
    var pins: [String: MapCreateAttributes] = [:]
    var btfUploads: [[UInt8]] = []
    var nextID: UInt32 = 1
  }

  let state = Mutex(State())
  /// Arena mappings asked for (`FakeKernel+Arena.swift`).
  let arenaMappings = Mutex<[ArenaMapping]>([])

  /// The attach side's record (`FakeKernel+Attach.swift`).
  struct AttachState: Sendable {
    var calls: [AttachCall] = []
    var links: [FakeLink] = []
    var nextLinkID: UInt32 = 1
  }
  let attachState = Mutex(AttachState())
  /// Refuse `BPF_LINK_CREATE` with this errno (a kernel without the link type).
  let linkRefusal: Errno?
  /// Refuse the batch map commands with this errno (a kernel before 5.6).
  let batchRefusal: Errno?
  /// Scripted answers to feature probes.
  let probes: FakeProbeKernel
  /// Ring buffer maps in ordinary memory, by the inode of their descriptor.
  let ringBuffers = Mutex<[ino_t: FakeRingBuffer]>([:])
  /// Map elements written through the element calls, by map id.
  let elements = Mutex<[UInt32: Elements]>([:])
  /// Perf event rings of bpf-output events, by the inode of their descriptor.
  let perfRings = Mutex<[ino_t: FakePerfRing]>([:])
  let cpus: Int
  let refusals: [String: Refusal]
  let kernelFeatures: KernelFeatures
  let config: KernelConfig?
  let symbols: [String: UInt64]
  let btf: BTF?
  /// Refuse `BPF_BTF_LOAD` (a kernel whose BTF loader rejects the object's BTF).
  let refusesBTF: Bool
  /// Refuse `mmap` of maps with this errno (the kernel's ENOTSUPP for a map
  /// value with a spin lock, kptr or graph root).
  let mmapRefusal: Errno?

  init(cpus: Int = 3, refusals: [String: Refusal] = [:], features: KernelFeatures = .everything,
       config: [String: String]? = ["CONFIG_BPF_SYSCALL": "y", "CONFIG_BPF_JIT": "y", "CONFIG_HZ": "250"],
       symbols: [String: UInt64] = ["__start_BTF": 0xffff_ffff_8200_0000], btf: BTF? = nil,
       refusesBTF: Bool = false, programBTF: [UInt8]? = nil, linkRefusal: Errno? = nil,
       batchRefusal: Errno? = nil, probes: FakeProbeKernel = FakeProbeKernel(), mmapRefusal: Errno? = nil) {
    self.refusesBTF = refusesBTF
    self.mmapRefusal = mmapRefusal
    self.linkRefusal = linkRefusal
    self.batchRefusal = batchRefusal
    self.probes = probes
    self.programBTFBytes = programBTF
    self.cpus = cpus
    self.refusals = refusals
    self.kernelFeatures = features
    self.config = config.map { values in
      var parsed = KernelConfig()
      for (name, text) in values { try? parsed.override(name, with: text) }
      return parsed
    }
    self.symbols = symbols
    self.btf = btf
  }

  var snapshot: State { state.withLock { $0 } }

  /// A fresh unlinked temporary file of `size` bytes.
  static func memfd(size: Int) throws(SyscallError) -> OwnedFD {
    var template = Array("/tmp/swiftbpf-fake-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else { throw .current(.system("mkostemp")) }
    template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    let owned = try OwnedFD.adopt(fd)
    if ftruncate(owned.rawValue, off_t(max(size, 4096))) != 0 { throw .current(.system("ftruncate")) }
    return owned
  }

  /// The created map's name; found by inode, since a reader may pass its
  /// own duplicate of the descriptor.
  func name(of fd: BorrowedFD) -> String {
    let inode = Self.inode(fd.rawValue)
    return state.withLock { s in
      s.maps.last(where: { $0.fd == fd.rawValue || (inode != nil && Self.inode($0.fd) == inode) })?.attributes.name
    } ?? "fd\(fd.rawValue)"
  }

  func createMap(_ attributes: MapCreateAttributes) throws(SyscallError) -> OwnedFD {
    if !kernelFeatures.supports(attributes.type) { throw .failed(.bpf(.mapCreate), .EINVAL) }
    let fd = try Self.memfd(size: Int(attributes.valueSize))
    state.withLock { s in
      s.maps.append(CreatedMap(fd: fd.rawValue, attributes: attributes, id: s.nextID))
      s.nextID += 1
    }
    return fd
  }

  func loadProgram(_ attributes: ProgramLoadAttributes, log: inout VerifierLog?) throws(SyscallError) -> OwnedFD {
    state.withLock { $0.loads.append(LoadCall(attributes: attributes, logLevel: log?.level, logCapacity: log?.capacity)) }
    if let refusal = refusals[attributes.name] {
      if var filled = log {
        let bytes = Array(refusal.log.utf8)
        filled.bytes = Array(bytes.prefix(max(0, filled.capacity - 1)))
        filled.trueSize = refusal.trueSize
        log = filled
        if Int(refusal.trueSize) > filled.capacity { throw .failed(.bpf(.programLoad), .ENOSPC) }
      }
      throw .failed(.bpf(.programLoad), refusal.errno)
    }
    return try Self.memfd(size: 8)
  }

  func loadBTF(_ bytes: [UInt8], log: inout VerifierLog?) throws(SyscallError) -> OwnedFD {
    state.withLock { $0.btfUploads.append(bytes) }
    if refusesBTF {
      if var filled = log {
        filled.bytes = Array("[1] STRUCT foo size=0 vlen=0\nInvalid size\n".utf8)
        log = filled
      }
      throw .failed(.bpf(.btfLoad), .EINVAL)
    }
    return try Self.memfd(size: 8)
  }

  func updateElement(map: BorrowedFD, key: [UInt8], value: [UInt8]) throws(SyscallError) {
    let name = name(of: map)
    let isArray = state.withLock { s in s.maps.last(where: { $0.fd == map.rawValue })?.attributes.type == .array }
    state.withLock { $0.updates.append(Update(map: name, key: key, value: value)) }
    // Arrays keep element 0 at the start of the file, so mappings see it.
    if isArray, key == [0, 0, 0, 0] {
      _ = value.withUnsafeBytes { pwrite(map.rawValue, $0.baseAddress, $0.count, 0) }
    }
  }

  func freeze(map: BorrowedFD) throws(SyscallError) {
    let name = name(of: map)
    state.withLock { $0.frozen.append(name) }
  }

  func mapDescription(_ map: BorrowedFD) throws(SyscallError) -> MapDescription {
    guard let created = state.withLock({ s in s.maps.last(where: { $0.fd == map.rawValue }) }) else {
      throw .failed(.bpf(.objectGetInfoByFD), .EBADF)
    }
    let a = created.attributes
    return MapDescription(type: a.type, keySize: a.keySize, valueSize: a.valueSize,
                          maxEntries: a.maxEntries, flags: a.flags, mapExtra: a.mapExtra)
  }

  /// BTF the fake's loaded programs "were loaded with" (tests set it).
  let programBTFBytes: [UInt8]?
  func programBTF(_ program: BorrowedFD) throws(SyscallError) -> [UInt8]? { programBTFBytes }

  func openPinned(at path: String) throws(SyscallError) -> OwnedFD {
    guard let attributes = state.withLock({ $0.pins[path] }) else { throw .failed(.bpf(.objectGet), .ENOENT) }
    let fd = try Self.memfd(size: 8)
    state.withLock { s in
      s.maps.append(CreatedMap(fd: fd.rawValue, attributes: attributes, id: s.nextID))
      s.nextID += 1
    }
    return fd
  }

  func pin(_ object: BorrowedFD, at path: String) throws(SyscallError) {
    if attachState.withLock({ s in s.links.contains { $0.fd == object.rawValue } }) {
      record(.pin(path: path))
      return
    }
    try state.withLock { (s) throws(SyscallError) in
      guard s.pins[path] == nil else { throw .failed(.bpf(.objectPin), .EEXIST) }
      guard let map = s.maps.last(where: { $0.fd == object.rawValue }) else { throw .failed(.bpf(.objectPin), .EBADF) }
      s.pins[path] = map.attributes
    }
  }

  func unpin(at path: String) throws(SyscallError) {
    try state.withLock { (s) throws(SyscallError) in
      guard s.pins.removeValue(forKey: path) != nil else { throw .failed(.system("unlink"), .ENOENT) }
    }
  }

  func mapMemory(_ map: BorrowedFD, length: Int, writable: Bool) throws(SyscallError) -> MappedRegion {
    if let mmapRefusal { throw .failed(.system("mmap"), mmapRefusal) }
    return try MappedRegion.map(map, length: length, protection: writable ? [.read, .write] : [.read])
  }

  func possibleCPUCount() -> Int { cpus }
  var pageSize: Int { 4096 }

  func kernelBTF() throws(LoadError) -> BTF {
    if let btf { return btf }
    do throws(BTFError) { return try BTF.kernel() } catch { throw .kernelBTF(error) }
  }

  func kernelConfig() -> KernelConfig? { config }
  func kernelSymbolAddress(_ name: String) -> UInt64? { symbols[name] }
  var kernelVersionCode: UInt32 { 6 << 16 | 18 << 8 }
  var features: KernelFeatures { kernelFeatures }
}

extension FakeKernel {
  /// The kernel keeps 15 bytes of a name (BPF_OBJ_NAME_LEN 16 with the NUL).
  static func kernelName(_ name: String) -> String { String(decoding: Array(name.utf8.prefix(15)), as: UTF8.self) }
  /// The attributes of the map created with this name.
  func map(_ name: String) -> CreatedMap? { snapshot.maps.first { $0.attributes.name == Self.kernelName(name) } }
  /// The last load of the program with this name.
  func load(_ name: String) -> LoadCall? { snapshot.loads.last { $0.attributes.name == Self.kernelName(name) } }
}

/// The `LoadError` `body` throws, or nil (recording an issue) when it
/// succeeds or throws something else.
func loadError(_ body: () throws -> Void) -> LoadError? {
  do {
    try body()
    Issue.record("expected a LoadError, but it succeeded")
  } catch let error as LoadError {
    return error
  } catch {
    Issue.record("expected a LoadError, got \(error)")
  }
  return nil
}
