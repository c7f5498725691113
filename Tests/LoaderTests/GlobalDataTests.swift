import Foundation
import Loader
import Logging
import Syscall
import Testing
import TestSupport
import UAPI

/// Global data and `.kconfig` maps through the fake kernel. Expected names,
/// sizes and flags come from Fixtures/src/globals.bpf.c's header (what libbpf
/// 1.1 creates), initial values from its C source, offsets from llvm-objdump.
@Suite struct GlobalDataTests {
  static let path = Fixture.object("globals.bpf.o").path

  @Test func internalMapsAsLibbpfNamesThem() throws {
    let kernel = FakeKernel()
    let loaded = try Object.open(path: Self.path).load(kernel: kernel)
    defer { loaded.close() }
    let expected: [(String, UInt32, UInt32)] = [
      ("globals.data", 8, 0x400), ("globals.rodata", 12, 0x480), ("globals.bss", 24, 0x400),
      (".data.custom", 4, 0x400), (".rodata.custom", 8, 0x480), ("globals.kconfig", 17, 0x480),
    ]
    for (name, size, flags) in expected {
      let map = try #require(kernel.map(name), "\(name) not created")
      #expect(map.attributes.type == .array && map.attributes.keySize == 4 && map.attributes.maxEntries == 1)
      #expect(map.attributes.valueSize == size, "\(name)")
      #expect(map.attributes.flags.rawValue == flags, "\(name)")
    }
    // Read-only ones are frozen after their value is written.
    #expect(Set(kernel.snapshot.frozen) == ["globals.rodata", ".rodata.custom", "globals.kconfig"])
  }

  @Test func initialValuesAndValuesSetBeforeLoad() throws {
    guard let symbols = try Objdump.symbols(Fixture.object("globals.bpf.o")) else { return }
    func offset(_ name: String) throws -> Int {
      Int(try #require(symbols.first { $0.name == name }, "\(name) in llvm-objdump --syms").value)
    }
    var object = try Object.open(path: Self.path)
    try object.setVariable("rodata_limit", to: UInt32(99))
    try object.setVariable("bss_runs", to: UInt32(5))
    try object.setVariable("rodata_name", bytes: Array("abcdefg\0".utf8))
    let kernel = FakeKernel()
    let loaded = try object.load(kernel: kernel)
    defer { loaded.close() }
    let updates = kernel.snapshot.updates
    func value(_ map: String) throws -> [UInt8] {
      try #require(updates.first { $0.map == map }?.value, "no initial value for \(map)")
    }
    func u32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
      bytes[at ..< at + 4].enumerated().reduce(0) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
    }
    let data = try value("globals.data")
    #expect(u32(data, try offset("data_counter")) == 7)
    #expect(u32(data, try offset("static_data")) == 3)
    let rodata = try value("globals.rodata")
    #expect(u32(rodata, try offset("rodata_limit")) == 99)
    let name = try offset("rodata_name")
    #expect(Array(rodata[name ..< name + 8]) == Array("abcdefg\0".utf8))
    #expect(u32(try value(".data.custom"), try offset("custom_data")) == 5)
    let custom = try value(".rodata.custom")
    #expect(custom == withUnsafeBytes(of: UInt64(0x1122334455667788).littleEndian) { Array($0) })
    #expect(u32(try value("globals.bss"), try offset("bss_runs")) == 5)
    // The mapping shows the same bytes after load.
    #expect(try loaded.variable("rodata_limit", as: UInt32.self) == 99)
    #expect(try loaded.variable("data_counter", as: Int32.self) == 7)
  }

  @Test func sizeChecksAndReadOnlyAfterLoad() throws {
    var object = try Object.open(path: Self.path)
    #expect(throws: LoadError.self) { try object.setVariable("rodata_limit", to: UInt64(1)) }
    #expect(throws: LoadError.self) { try object.setVariable("rodata_name", bytes: [1, 2, 3]) }
    #expect(throws: LoadError.self) { try object.setVariable("no_such_variable", to: UInt32(1)) }
    let loaded = try object.load(kernel: FakeKernel())
    defer { loaded.close() }
    let error = try #require(loadError { try loaded.setVariable("rodata_limit", to: UInt32(1)) })
    guard case .readOnly = error else { Issue.record("unexpected \(error)"); return }
    try loaded.setVariable("data_counter", to: Int32(41))
    #expect(try loaded.variable("data_counter", as: Int32.self) == 41)
  }

  @Test func kconfigLaidOutAndFilled() throws {
    // Layout (libbpf's): by alignment, then size, then name: the four 4-byte
    // externs in name order at 0, 4, 8, 12, then the 1-byte bool at 16 = 17 bytes.
    let kernel = FakeKernel(config: ["CONFIG_BPF_SYSCALL": "y", "CONFIG_BPF_JIT": "m", "CONFIG_HZ": "300"])
    let object = try Object.open(path: Self.path, options: OpenOptions(kconfigOverrides: ["CONFIG_HZ": "1000"]))
    let loaded = try object.load(kernel: kernel)
    defer { loaded.close() }
    let bytes = try #require(kernel.snapshot.updates.first { $0.map == "globals.kconfig" }?.value)
    #expect(bytes.count == 17)
    #expect(Array(bytes[0 ..< 4]) == le32(2))  // CONFIG_BPF_JIT = m: TRI_MODULE
    #expect(Array(bytes[4 ..< 8]) == le32(1000))  // CONFIG_HZ, overridden
    #expect(Array(bytes[8 ..< 12]) == le32(0))  // CONFIG_SWIFTBPF_NOT_A_CONFIG: weak, absent
    #expect(Array(bytes[12 ..< 16]) == le32(6 << 16 | 18 << 8))  // LINUX_KERNEL_VERSION
    #expect(bytes[16] == 1)  // CONFIG_BPF_SYSCALL = y
  }

  @Test func strongKconfigMissingIsAnError() throws {
    // usdt.bpf.o has a strong LINUX_HAS_BPF_COOKIE (set by the loader); a
    // strong CONFIG_ that is absent must fail. globals' only strong one is
    // LINUX_KERNEL_VERSION, always known, so drop the whole config instead
    // and check weak ones still load.
    let kernel = FakeKernel(config: nil)
    let log = LogCapture()
    let loaded = try Object.open(path: Self.path, options: OpenOptions(logger: log.logger)).load(kernel: kernel)
    defer { loaded.close() }
    let bytes = try #require(kernel.snapshot.updates.first { $0.map == "globals.kconfig" }?.value)
    #expect(Array(bytes[0 ..< 12]) == [UInt8](repeating: 0, count: 12))
    // Both fallbacks are logged: no configuration at all, and the weak
    // externs (globals.bpf.c's header) left 0.
    #expect(log.records(.info, containing: "no kernel configuration").count == 1, "\(log.records)")
    let defaulted = log.records(.debug, containing: "weak __kconfig externs not in the kernel configuration")
    #expect(defaulted.count == 1)
    for name in ["CONFIG_BPF_SYSCALL", "CONFIG_BPF_JIT", "CONFIG_HZ", "CONFIG_SWIFTBPF_NOT_A_CONFIG"] {
      #expect(defaulted.first?.message.contains(name) == true, "\(name)")
    }
  }
}
