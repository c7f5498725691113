import BTF
import Foundation
import Loader
import Syscall
import Testing
import TestSupport
import UAPI

/// Map-in-map inner templates created as libbpf creates them
/// (Fixtures/src/inner_maps.bpf.c): a ring buffer template's size rounded to
/// a power-of-2 multiple of the page size (libbpf.c: adjust_ringbuf_sz),
/// key and value size 0, and BTF key/value ids where the type takes BTF (the
/// kernel copies the template's spin lock from them). Expected sizes are the
/// fixture's, with the fake's and this machine's 4096-byte page.
@Suite struct InnerMapTemplateTests {
  static let path = Fixture.object("inner_maps.bpf.o").path

  /// The template created just before outer map `name`.
  static func template(of name: String, in kernel: FakeKernel) throws -> MapCreateAttributes {
    let maps = kernel.snapshot.maps
    let outer = try #require(kernel.map(name), "\(name) not created")
    let template = try #require(outer.attributes.innerMapFD, "\(name) has no inner map")
    let index = try #require(maps.firstIndex { $0.fd == outer.fd && $0.attributes.name == outer.attributes.name })
    try #require(index > 0 && maps[index - 1].fd == template.rawValue)
    return maps[index - 1].attributes
  }

  @Test func ringBufferTemplatesArePageRounded() throws {
    let kernel = FakeKernel()
    let loaded = try Object.open(path: Self.path).load(kernel: kernel)
    defer { loaded.close() }
    let rings = try Self.template(of: "rings", in: kernel)
    #expect(rings.type == .ringbuf && rings.keySize == 0 && rings.valueSize == 0 && rings.maxEntries == 16384)
    let user = try Self.template(of: "user_rings", in: kernel)
    #expect(user.type == .userRingbuf && user.keySize == 0 && user.valueSize == 0 && user.maxEntries == 8192)
    #expect(kernel.map("ring_a")?.attributes.maxEntries == 16384)
  }

  @Test func templateCarriesBTFForItsSpinLock() throws {
    let kernel = FakeKernel()
    let object = try Object.open(path: Self.path)
    let btf = try BTF(bytes: try #require(object.file.btf))
    let loaded = try object.load(kernel: kernel)
    defer { loaded.close() }
    let locks = try Self.template(of: "locks", in: kernel)
    #expect(locks.type == .array && locks.keySize == 4 && locks.valueSize == 16 && locks.maxEntries == 1)
    #expect(locks.btfFD != nil)
    #expect(locks.btfValueTypeID == (try btf.type(named: "locked_value", kind: BTF.Kind.struct)).rawValue)
    #expect(locks.btfKeyTypeID != 0)
    // Ring buffers take no BTF (MapBTFPolicy, as libbpf).
    #expect(try Self.template(of: "rings", in: kernel).btfFD == nil)
  }

  /// adjust_ringbuf_sz's cases: 0 and power-of-2 page multiples pass
  /// through; others round up; nothing fits above 2^31.
  static let sizes: [(UInt32, UInt32)] = [
    (0, 0), (1, 4096), (4096, 4096), (4097, 8192), (10000, 16384), (12288, 16384),
    (1 << 31, 1 << 31), ((1 << 31) + 1, (1 << 31) + 1), (UInt32.max, UInt32.max),
  ]

  @Test(arguments: sizes)
  func ringBufferSizeFollowsLibbpf(_ requested: UInt32, _ created: UInt32) throws {
    let kernel = FakeKernel()
    var object = try Object.open(path: Fixture.object("ringbuf.bpf.o").path)
    let ring = try #require(object.maps.first { $0.type == .ringbuf })
    try object.withMap(ring.name) { $0.maxEntries = requested }
    _ = try? object.load(kernel: kernel)
    #expect(kernel.map(ring.name)?.attributes.maxEntries == created)
  }

  @Test(.kernel) func loadsAndRunsOnThisKernel() throws {
    try #require(sysconf(Int32(_SC_PAGESIZE)) == 4096)
    let loaded = try Object.open(path: Self.path).load()
    defer { loaded.close() }
    let program = try #require(loaded.program(named: "use_inner"))
    #expect(try program.testRun().returnValue == 0)
    #expect(try loaded.map(named: "ring_a")?.info().maxEntries == 16384)
  }
}
