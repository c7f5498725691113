import Syscall
import Testing
import TestSupport
@testable import Loader

/// Global variables as any plain-data Swift type, before and after the
/// load. Values come from Fixtures/src/globals.bpf.c: `rodata_name` is
/// `const volatile char[8] = "swiftbp"`, `custom_ro` a u64
/// 0x1122334455667788 in `.rodata.custom`, `bss_total` a u64 and
/// `bss_runs` a u32 in `.bss`, which `check_globals` adds 1 to per run.
@Suite struct TypedVariableTests {
  static let path = Fixture.object("globals.bpf.o").path

  /// `char[8]` as Swift sees a C array: a tuple.
  typealias Name = (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8)

  static func string(_ name: Name) -> String {
    withUnsafeBytes(of: name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
  }

  struct Word: BitwiseCopyable, Equatable { var value: UInt64 }

  @Test func readAndSetBeforeLoad() throws {
    var object = try Object.open(path: Self.path)
    #expect(Self.string(try object.variable("rodata_name", as: Name.self)) == "swiftbp")
    #expect(try object.variable("custom_ro", as: Word.self) == Word(value: 0x1122_3344_5566_7788))
    let renamed: Name = (0x6e, 0x65, 0x77, 0, 0, 0, 0, 0)  // "new"
    try object.setVariable("rodata_name", to: renamed)
    #expect(Self.string(try object.variable("rodata_name", as: Name.self)) == "new")
    #expect(try object.variableBytes("rodata_name") == [0x6e, 0x65, 0x77, 0, 0, 0, 0, 0])
  }

  @Test func sizesAreCheckedAgainstTheVariablesBTF() throws {
    var object = try Object.open(path: Self.path)
    #expect(throws: LoadError.self, "u32 rodata_limit read as 8 bytes") { try object.variable("rodata_limit", as: Word.self) }
    #expect(throws: LoadError.self) { try object.setVariable("rodata_limit", to: Word(value: 1)) }
  }

  @Test func afterLoadThroughTheMapping() throws {
    let loaded = try Object.open(path: Self.path).load(kernel: FakeKernel())
    defer { loaded.close() }
    #expect(Self.string(try loaded.variable("rodata_name", as: Name.self)) == "swiftbp")
    try loaded.setVariable("bss_total", to: Word(value: 77))
    #expect(try loaded.variable("bss_total", as: Word.self) == Word(value: 77))
    #expect(try loaded.variable("bss_total", as: UInt64.self) == 77, "the integer form sees the same memory")
    // .rodata is mapped read-only: no writes, no mutable pointer.
    #expect(throws: LoadError.self) { try loaded.setVariable("rodata_name", to: Name(0, 0, 0, 0, 0, 0, 0, 0)) }
    #expect(throws: LoadError.self) { try loaded.withVariable("rodata_limit", as: UInt32.self) { $0.pointee } }
    #expect(throws: LoadError.self, "size mismatch") { try loaded.variable("bss_runs", as: Word.self) }
  }

  /// The pointer reaches the memory the BPF program updates.
  @Test(.kernel) func pointerIntoTheProgramsMemory() throws {
    let loaded = try KernelSupport.load("globals.bpf.o")
    defer { loaded.close() }
    #expect(try KernelSupport.run(loaded, "check_globals") == 0)
    #expect(try loaded.variable("bss_total", as: Word.self) == Word(value: 1))
    let before = try loaded.withVariable("bss_total", as: UInt64.self) { pointer -> UInt64 in
      let old = pointer.pointee
      pointer.pointee = old + 100
      return old
    }
    #expect(before == 1)
    #expect(try KernelSupport.run(loaded, "check_globals") == 0)
    #expect(try loaded.variable("bss_total", as: Word.self) == Word(value: 102), "the program added 1 to what Swift wrote")
  }
}
