import BTF
import Foundation
import Instructions
import Syscall
import TestSupport
import Testing
import UAPI
@testable import Loader

/// Fixtures arena.bpf.o (`__arena` globals in .addr_space.1 and the ARENA
/// map in .maps) and enum_fwd.bpf.o (a forward-declared enum in the BTF).
/// Expected values are libbpf 1.5's (src/libbpf.c): the arena is created
/// with its definition's flags, pages and map_extra, mapped at map_extra,
/// and the variables' bytes go to its last page; instructions naming them
/// point into the arena at that offset.
@Suite struct ArenaAndForwardEnumTests {
  static let arena = Fixture.object("arena.bpf.o").path
  static let enumFwd = Fixture.object("enum_fwd.bpf.o").path
  static let page = 4096

  @Test func arenaIsCreatedMappedAndFilledAsLibbpfDoes() throws {
    let kernel = FakeKernel()
    let loaded = try Object.open(path: Self.arena).load(kernel: kernel)
    defer { loaded.close() }
    let created = try #require(kernel.snapshot.maps.first { $0.attributes.type == .arena })
    #expect(created.attributes.flags.contains(.mmapable))
    #expect(created.attributes.maxEntries == 4)
    #expect(created.attributes.keySize == 0 && created.attributes.valueSize == 0)
    #expect(created.attributes.mapExtra == 1 << 44)

    let mapping = try #require(kernel.arenaMappings.withLock { $0.first })
    #expect(mapping.address == 1 << 44)
    #expect(mapping.length == 4 * Self.page)
    // 36 bytes of variables (llvm-objdump -s -j .addr_space.1), in the
    // last page: offset 3 pages.
    let offset = 3 * Self.page
    let base = try #require(UnsafeRawPointer(bitPattern: mapping.base))
    let copied = Array(UnsafeRawBufferPointer(start: base + offset, count: 36))
    let pair: [UInt8] = [1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0]
    #expect(copied == [0x2A, 0, 0, 0] + Array("arena".utf8) + [0, 0, 0] + [0, 0, 0, 0] + pair + [0, 0, 0, 0])
    #expect(Array(UnsafeRawBufferPointer(start: base, count: 16)) == [UInt8](repeating: 0, count: 16))

    // bump_arena's first instruction loads &arena_counter: the arena map's
    // fd as a map value, at the variables' offset.
    let load = try #require(kernel.snapshot.loads.first { $0.attributes.name == "bump_arena" })
    let insns = try InstructionSequence(decoding: load.attributes.instructions, order: .host)
    let first = try #require(insns.instructions.first)
    #expect(first.source == Register(Instruction.PseudoSource.mapValue))
    #expect(Int32(truncatingIfNeeded: first.immediate) == created.fd)
    #expect(first.immediate >> 32 == Int64(offset))
  }

  /// The kernel's answer is the reference: on a build that refuses arenas
  /// (EPERM here), the load stops with a typed error naming the map; where
  /// they are allowed, the program runs and sees the initial value.
  @Test(.kernel) func arenaOnTheKernel() throws {
    do {
      let loaded = try Object.open(path: Self.arena).load()
      defer { loaded.close() }
      let program = try #require(loaded.program(named: "bump_arena"))
      #expect(try program.testRun().returnValue == 0)
    } catch let error as LoadError {
      guard case .mapCreation(let map, let syscall) = error else {
        Issue.record("expected mapCreation, got \(error)")
        return
      }
      #expect(map == "arena")
      #expect(syscall.errno == .EPERM)
      #expect(error.description.contains("arena"))
    }
  }

  /// Opens (the parser accepted size 0) and uploads BTF where the enum has
  /// the size the kernel requires.
  @Test func forwardEnumObjectOpensAndItsBTFIsSized() throws {
    let kernel = FakeKernel()
    let loaded = try Object.open(path: Self.enumFwd).load(kernel: kernel)
    defer { loaded.close() }
    let upload = try #require(kernel.snapshot.btfUploads.last)
    let btf = try BTF(bytes: upload)
    let id = try #require(btf.firstType(named: "fwd_state", kind: .enum))
    guard case .enum(let e) = try btf[id] else { Issue.record("not an ENUM"); return }
    #expect(e.size == 4 && e.count == 0)
  }

  /// The kernel accepts the object's BTF (no "refused" warning) and the
  /// program runs.
  @Test(.kernel) func forwardEnumObjectLoadsWithItsBTF() throws {
    let log = LogCapture()
    let loaded = try Object.open(path: Self.enumFwd, options: OpenOptions(logger: log.logger)).load()
    defer { loaded.close() }
    #expect(log.records(.warning, containing: "BTF").isEmpty, "\(log.records)")
    let program = try #require(loaded.program(named: "check_fwd"))
    #expect(try program.testRun().returnValue == 0)
  }
}
