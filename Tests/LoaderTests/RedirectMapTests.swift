import Glibc
import Syscall
import Testing
import TestSupport
import UAPI
@testable import Loader

/// Socket, device and CPU maps on the kernel: what is stored is checked by
/// the kernel itself (a missing interface, a descriptor that is not a
/// socket are refused), and read back as the kernel reports it.
@Suite(.kernel) struct RedirectMapTests {
  static func map(_ type: MapType, value: UInt32, entries: UInt32, name: String) throws -> LoadedObject.Map {
    try LoadedObject.Map.adopting(try BPF.createMap(MapCreateAttributes(
      type: type, keySize: 4, valueSize: value, maxEntries: entries, name: name)), expecting: type)
  }

  @Test func devmapSlotsNameInterfaces() throws {
    let handle = try Self.map(.devmap, value: 4, entries: 4, name: "tr_dev")
    defer { handle.close() }
    let map = try RedirectMap(handle)
    let loopback = if_nametoindex("lo")
    try #require(loopback != 0)
    try map.set(0, interface: loopback)
    #expect(try map.value(0) == loopback)
    #expect(throws: MapError.self, "no such interface: the kernel refuses it") { try map.set(1, interface: 999_999) }
    #expect(try map.clear(0))
    #expect(try map.value(0) == nil)
    #expect(throws: MapError.self) { try map.set(cpu: 0, queueSize: 64) }
  }

  @Test func cpumapSlotsHaveQueues() throws {
    let handle = try Self.map(.cpumap, value: 4, entries: UInt32(try KernelSupport.possibleCPUs()), name: "tr_cpu")
    defer { handle.close() }
    let map = try RedirectMap(handle)
    try map.set(cpu: 0, queueSize: 192)
    #expect(try map.value(0) == 192)
  }

  @Test func sockmapTakesSocketsOnly() throws {
    let handle = try Self.map(.sockmap, value: 4, entries: 2, name: "tr_sock")
    defer { handle.close() }
    let map = try RedirectMap(handle)
    var pair: [CInt] = [-1, -1]
    try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
    defer { close(pair[0]); close(pair[1]) }
    try map.set(0, socket: BorrowedFD(pair[0]))
    #expect(try map.clear(0))
    // Kernel: a sockmap answers the delete of an empty slot with EINVAL.
    #expect(throws: MapError.self) { try map.clear(0) }
    let notASocket = try FakeKernel.memfd(size: 8)
    #expect(throws: MapError.self, "a file is not a socket") { try map.set(1, socket: notASocket.borrowed) }
  }

  /// An xskmap takes AF_XDP sockets (this kernel accepts one before it is
  /// bound) and refuses other sockets with EOPNOTSUPP.
  @Test func xskmapTakesXDPSocketsOnly() throws {
    let handle = try Self.map(.xskmap, value: 4, entries: 4, name: "tr_xsk")
    defer { handle.close() }
    let map = try RedirectMap(handle)
    let afXDP: CInt = 44  // AF_XDP
    let xsk = socket(afXDP, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    try #require(xsk >= 0, "socket(AF_XDP): errno \(errno)")
    defer { close(xsk) }
    try map.set(2, xdpSocket: BorrowedFD(xsk))
    #expect(try map.clear(2))

    let udp = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    try #require(udp >= 0)
    defer { close(udp) }
    do {
      try map.set(0, xdpSocket: BorrowedFD(udp))
      Issue.record("the kernel took a UDP socket into an xskmap")
    } catch {
      guard case .syscall(let syscall, _) = error else { Issue.record("\(error)"); return }
      #expect(syscall.errno == .EOPNOTSUPP)
    }
    #expect(throws: MapError.self, "a sockmap setter on an xskmap") { try map.set(0, socket: BorrowedFD(xsk)) }
  }
}
