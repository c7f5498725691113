import Foundation
import Loader
import Syscall
import Testing
import TestSupport
import UAPI

/// Data sections that must not be memory-mapped (Fixtures/src/private_data.bpf.c).
///
/// Expected flags come from libbpf's rule applied to the C source: a data
/// section's map is `BPF_F_MMAPABLE` only when it declares a global variable
/// that is not `__hidden` (libbpf.c: map_is_mmapable, btf_fixup_datasec).
/// The kernel refuses `mmap` of an array whose value holds a `bpf_spin_lock`
/// (ENOTSUPP, bpf_map_mmap), so the locked sections only load unmapped.
@Suite struct PrivateDataSectionTests {
  static let path = Fixture.object("private_data.bpf.o").path

  /// Section → mappable, from the fixture's header.
  static let expected: [(String, Bool)] = [
    (".data.locked", false), (".bss.locked", false), (".data.quiet", false),
    (".data.shared", true), (".bss", true),
  ]

  @Test func onlySectionsWithPublicVariablesAreMappable() throws {
    let object = try Object.open(path: Self.path)
    for (section, mappable) in Self.expected {
      let map = try #require(object.map(named: section), "no map for \(section)")
      #expect(map.flags.contains(.mmapable) == mappable, "\(section)")
    }
    // The usual sections of globals.bpf.o keep their mapping (all have public variables).
    let globals = try Object.open(path: Fixture.object("globals.bpf.o").path)
    for section in [".data", ".rodata", ".bss", ".data.custom", ".rodata.custom"] {
      #expect(globals.map(named: section)?.flags.contains(.mmapable) == true, "\(section)")
    }
  }

  @Test func unmappableSectionsAreCreatedAndWrittenButNotMapped() throws {
    let kernel = FakeKernel()
    let loaded = try Object.open(path: Self.path).load(kernel: kernel)
    defer { loaded.close() }
    for (section, mappable) in Self.expected {
      let map = try #require(loaded.maps.first { $0.sectionName == section }, "\(section) not created")
      let created = try #require(kernel.map(map.name))
      #expect(created.attributes.flags.contains(.mmapable) == mappable, "\(section)")
      #expect(map.isMapped == mappable, "\(section)")
    }
    // The initial value still goes in with a map update (7: static quiet_value).
    let quiet = try #require(kernel.snapshot.updates.first { $0.map == FakeKernel.kernelName(".data.quiet") })
    #expect(quiet.value == withUnsafeBytes(of: UInt64(7).littleEndian) { Array($0) })
  }

  /// libbpf fails the load when a mappable section's mmap is refused; so does
  /// SwiftBPF, with one "mmap failed" and what to do.
  @Test func refusedMmapOfAMappableSectionFailsTheLoadOnce() throws {
    let kernel = FakeKernel(mmapRefusal: .ENOTSUPP)
    let error = loadError { _ = try Object.open(path: Self.path).load(kernel: kernel) }
    guard case .dataSectionMapping(let map, let section, let syscall)? = error else {
      Issue.record("expected dataSectionMapping, got \(String(describing: error))")
      return
    }
    #expect(section == ".data.shared")
    #expect(map == ".data.shared")
    #expect(syscall.errno == .ENOTSUPP)
    let text = error?.description ?? ""
    #expect(text.components(separatedBy: "mmap failed").count == 2, "\(text)")
    #expect(text.contains("static or __hidden"))
  }

  @Test(.kernel) func locksInPrivateSectionsLoadAndRun() throws {
    let loaded = try Object.open(path: Self.path).load()
    defer { loaded.close() }
    let program = try #require(loaded.program(named: "bump_locked"))
    #expect(try program.testRun().returnValue == 0)
    #expect(try program.testRun().returnValue == 0)
    for (section, mappable) in Self.expected {
      let map = try #require(loaded.maps.first { $0.sectionName == section })
      #expect(map.isMapped == mappable, "\(section)")
      #expect(map.flags.contains(.mmapable) == mappable, "\(section)")
    }
    #expect(try loaded.variable("shared_value", as: UInt64.self) == 3)
    #expect(try loaded.variable("bumps", as: UInt64.self) == 28)  // 14 per run
  }
}
