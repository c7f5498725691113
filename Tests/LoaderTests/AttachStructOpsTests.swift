import BTF
import Foundation
import Glibc
import Loader
import Syscall
import Testing
import TestSupport
import UAPI

/// A `tcp_congestion_ops` struct_ops map registered through a link: the
/// kernel lists the congestion control while the link is open, and not
/// after it is closed. The map and its three programs are built here from
/// the kernel's BTF (the loader creates struct_ops maps from objects).
@Suite(.kernel) struct AttachStructOpsTests {
  static let available = "/proc/sys/net/ipv4/tcp_available_congestion_control"

  static func congestionControls() throws -> [Substring] {
    try String(contentsOfFile: available, encoding: .utf8).split(whereSeparator: { $0 == " " || $0 == "\n" })
  }

  /// `r0 = value; exit`.
  static func returning(_ value: Int32) -> [UInt8] {
    var bytes: [UInt8] = [0xb7, 0, 0, 0]
    withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    return bytes + [0x95, 0, 0, 0, 0, 0, 0, 0]
  }

  @Test func tcpCongestionOpsRegistersThroughALink() throws {
    let vmlinux = try BTF.kernel()
    let ops = try vmlinux.type(named: "tcp_congestion_ops", kind: .struct)
    let value = try vmlinux.type(named: "bpf_struct_ops_tcp_congestion_ops", kind: .struct)
    guard case .struct(let valueRecord) = try vmlinux[value] else { Issue.record("not a struct"); return }
    var dataOffset: Int? = nil
    for m in try vmlinux.members(of: value) where vmlinux.name(m.name, equals: "data") { dataOffset = m.byteOffset }
    let data = try #require(dataOffset)
    var members: [String: (index: Int, offset: Int)] = [:]
    for (i, m) in try vmlinux.members(of: ops).enumerated() {
      members[try vmlinux.string(of: m.name)] = (i, m.byteOffset)
    }

    // The three members tcp_register_congestion_control requires.
    // Raw numbers (OwnedFD cannot go in an array), closed at the end.
    var programs: [(String, CInt)] = []
    defer { for (_, fd) in programs { close(fd) } }
    for (member, result) in [("ssthresh", Int32(2)), ("cong_avoid", 0), ("undo_cwnd", 2)] {
      let slot = try #require(members[member])
      var attributes = ProgramLoadAttributes(type: .structOps, instructions: Self.returning(result),
                                             license: "GPL", name: "sw_\(member)")
      attributes.attachBTFID = ops.rawValue
      attributes.expectedAttachType = AttachType(rawValue: UInt32(slot.index))
      programs.append((member, try BPF.loadProgram(attributes).release()))
    }

    let name = "swbpf\(UInt32.random(in: 0..<1_000_000))"
    var bytes = [UInt8](repeating: 0, count: Int(valueRecord.size))
    let nameSlot = try #require(members["name"])
    for (i, b) in name.utf8.enumerated() { bytes[data + nameSlot.offset + i] = b }
    for (member, fd) in programs {
      let slot = try #require(members[member])
      let at = data + slot.offset
      withUnsafeBytes(of: UInt64(fd).littleEndian) { for (i, b) in $0.enumerated() { bytes[at + i] = b } }
    }
    // The kernel wants a BTF fd beside btf_vmlinux_value_type_id (libbpf
    // passes the object's): a one-type BTF (`int`), encoded per the BTF spec.
    func le32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
    let btfBytes: [UInt8] = [0x9f, 0xeb, 1, 0] + le32(24) + le32(0) + le32(16) + le32(16) + le32(5)
      + le32(1) + le32(1 << 24) + le32(4) + le32(32) + Array("\0int\0".utf8)
    let btf = try BPF.loadBTF(btfBytes)
    var create = MapCreateAttributes(type: .structOps, keySize: 4, valueSize: valueRecord.size, maxEntries: 1)
    create.btfVmlinuxValueTypeID = value.rawValue
    create.flags = .link
    create.btfFD = btf.borrowed
    create.name = "swbpf_ops"
    let map = try BPF.createMap(create)
    var key: UInt32 = 0
    try withUnsafePointer(to: &key) { k in
      try bytes.withUnsafeBytes { v in try BPF.update(map: map.borrowed, key: k, value: try #require(v.baseAddress), flags: .any) }
    }
    #expect(!(try Self.congestionControls()).contains(Substring(name)), "a BPF_F_LINK map registers only through a link")

    let link = try StructOpsAttach.register(map: LoadedObject.Map.adopting(map, name: name, type: .structOps))
    #expect(try Self.congestionControls().contains(Substring(name)))
    #expect(try link.info().type == .structOps)
    link.close()
    #expect(try AttachKit.eventually { !(try Self.congestionControls()).contains(Substring(name)) })
  }
}
