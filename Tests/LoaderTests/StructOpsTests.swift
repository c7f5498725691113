import Foundation
import Loader
import Syscall
import Testing
import TestSupport
import UAPI

/// struct_ops maps: created with the kernel's `bpf_struct_ops_<struct>` as
/// value type, their value prepared for registration. Expected ids, sizes and
/// member offsets come from bpftool's dump of the kernel's BTF; names and
/// flags from Fixtures/src/struct_ops.bpf.c's header.
@Suite struct StructOpsTests {
  /// `[id] STRUCT 'name' size=N` and the bit offsets of its members, from bpftool.
  static func kernelStruct(_ name: String) throws -> (id: UInt32, size: Int, members: [String: Int])? {
    guard let bpftool = Toolchain.systemTool("bpftool"),
          FileManager.default.isReadableFile(atPath: "/sys/kernel/btf/vmlinux")
    else {
      if TestEnvironment.mustNotSkip { Issue.record("bpftool or /sys/kernel/btf/vmlinux missing") }
      return nil
    }
    let lines = try runProcess(bpftool, ["btf", "dump", "file", "/sys/kernel/btf/vmlinux"]).stdout
      .split(separator: "\n")
    let start = try #require(lines.firstIndex { $0.contains("] STRUCT '\(name)' size=") })
    let header = lines[start]
    let id = try #require(UInt32(header.dropFirst().prefix { $0 != "]" }))
    let size = try #require(Int(header.split(separator: "size=").last?.prefix { $0.isNumber } ?? ""))
    var members = [String: Int]()
    for line in lines[(start + 1)...] {
      guard line.hasPrefix("\t'") else { break }
      let member = String(line.dropFirst(2).prefix { $0 != "'" })
      members[member] = Int(line.split(separator: "bits_offset=").last ?? "")
    }
    return (id, size, members)
  }

  /// The member names of kernel struct `name`, in order, from bpftool.
  static func memberOrder(_ name: String) throws -> [String] {
    guard let bpftool = Toolchain.systemTool("bpftool") else { return [] }
    let lines = try runProcess(bpftool, ["btf", "dump", "file", "/sys/kernel/btf/vmlinux"]).stdout.split(separator: "\n")
    let start = try #require(lines.firstIndex { $0.contains("] STRUCT '\(name)' size=") })
    return lines[(start + 1)...].prefix { $0.hasPrefix("\t'") }.map { String($0.dropFirst(2).prefix { $0 != "'" }) }
  }

  @Test func mapsCreatedWithTheKernelWrapperAndValuePrepared() throws {
    guard let wrapper = try Self.kernelStruct("bpf_struct_ops_tcp_congestion_ops"),
          let ops = try Self.kernelStruct("tcp_congestion_ops") else { return }
    let kernel = FakeKernel()
    let loaded = try Object.open(path: Fixture.object("struct_ops.bpf.o").path).load(kernel: kernel)
    defer { loaded.close() }
    for (name, flags) in [("swiftbpf_reno", UInt32(0x2000)), ("swiftbpf_reno_legacy", 0)] {
      let created = try #require(kernel.map(name), "\(name) not created").attributes
      #expect(created.type == .structOps && created.keySize == 4 && created.maxEntries == 1)
      #expect(created.valueSize == UInt32(wrapper.size))
      #expect(created.btfVmlinuxValueTypeID == wrapper.id)
      #expect(created.flags.rawValue == flags, "\(name)")  // BPF_F_LINK for .struct_ops.link
      #expect(created.btfFD != nil)
    }
    let value = try #require(loaded.map(named: "swiftbpf_reno_legacy")?.structOpsValue)
    #expect(value.count == wrapper.size)
    let data = try #require(wrapper.members["data"]) / 8
    let name = data + (try #require(ops.members["name"])) / 8
    #expect(Array(value[name ..< name + 16].prefix { $0 != 0 }) == Array("swiftbpf_legacy".utf8))
    let fd = try #require(loaded.program(named: "legacy_ssthresh")?.borrowedFD)
    let slot = data + (try #require(ops.members["ssthresh"])) / 8
    #expect(Array(value[slot ..< slot + 8]) == withUnsafeBytes(of: UInt64(fd.rawValue).littleEndian) { Array($0) })
    let unset = data + (try #require(ops.members["set_state"])) / 8
    #expect(value[unset ..< unset + 8].allSatisfy { $0 == 0 })
  }

  @Test(.kernel) func preparedValueRegistersTheCongestionControl() throws {
    let loaded = try Object.open(path: Fixture.object("struct_ops.bpf.o").path).load()
    defer { loaded.close() }
    let map = try #require(loaded.map(named: "swiftbpf_reno_legacy"))
    let value = try #require(map.structOpsValue)
    #expect(try map.info().btfVmlinuxValueTypeID != 0)
    let fd = try #require(map.borrowedFD)
    var key: UInt32 = 0
    // Storing the value registers a .struct_ops (non-link) map.
    try withUnsafePointer(to: &key) { k in try value.withUnsafeBytes { try BPF.update(map: fd, key: k, value: $0.baseAddress!) } }
    let available = try String(contentsOfFile: "/proc/sys/net/ipv4/tcp_available_congestion_control", encoding: .utf8)
    #expect(available.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.contains("swiftbpf_legacy"))
    // Deleting it unregisters.
    _ = try withUnsafePointer(to: &key) { try BPF.delete(map: fd, key: $0) }
  }
}
