import ELFReader
import Foundation
import Loader
import Testing
import TestSupport

/// The generated skeleton (Generated/SkeletonFixture.swift) without root:
/// the embedded object, the open phase and the loaded phase over the fake
/// kernel. Expected values come from the C source (Fixtures/src/skeleton.bpf.c)
/// and from the object file itself.
@Suite("Skeleton: the generated skeleton of skeleton.bpf.o over the fake kernel")
struct SkeletonFakeKernelTests {
  @Test func theEmbeddedObjectIsTheFixtureByteForByte() throws {
    let embedded = try EmbeddedObject.decode(base64: SkeletonFixture.objectBase64, name: "skeleton")
    #expect(embedded == (try Fixture.bytes("obj/skeleton.bpf.o")))
  }

  @Test func base64ThatIsNotBase64IsATypedError() {
    #expect(throws: LoadError.self) { try EmbeddedObject.decode(base64: "AAA*", name: "x") }
    #expect(throws: LoadError.self) { try EmbeddedObject.decode(base64: "AAA", name: "x") }
    #expect(throws: LoadError.self) { try EmbeddedObject.decode(base64: "AA==AAAA", name: "x") }
    #expect((try? EmbeddedObject.decode(base64: "TWFu\nTWFu\nTQ==", name: "x")) == Array("ManManM".utf8))
  }

  @Test func theOpenPhaseReadsTheInitialValuesOfTheSource() throws {
    let open = try SkeletonFixture()
    #expect(SkeletonFixture.objectName == "skeleton")
    #expect(open.rodata.multiplier == 1)
    #expect(open.rodata.labelString == "skel")
    #expect(open.data.seed == 7)
    #expect(open.bss.runs == 0)
    #expect(open.maps.totals.maxEntries == 64)
    #expect(open.maps.events.maxEntries == 64 * 1024)
    #expect(open.programs.compute.sectionName == "syscall")
    #expect(open.programs.onGetpid.sectionName == "tp/syscalls/sys_enter_getpid")
  }

  @Test func openPhaseValuesAreWhatTheKernelIsGiven() throws {
    let kernel = FakeKernel()
    var open = try SkeletonFixture()
    open.rodata.multiplier = 9
    open.data.seed = -3
    open.bss.runs = 40
    open.maps.totals.maxEntries = 100
    open.programs.onGetpid.autoload = false
    let skeleton = try open.load(kernel: kernel)
    #expect(kernel.map("totals")?.attributes.maxEntries == 100)
    #expect(try skeleton.rodata.multiplier == 9)
    #expect(try skeleton.data.seed == -3)
    #expect(try skeleton.bss.runs == 40)
    #expect(skeleton.programs.onGetpid == nil)
    // The static `hidden_data` (5) is not exposed but keeps its initial value.
    let data = try #require(skeleton.object.data(".data"))
    #expect(try data.read(at: 4, count: 4) == [5, 0, 0, 0])
  }

  @Test func kconfigOverridesAreReadBackFromTheirPlaceInTheKconfigMap() throws {
    var open = try SkeletonFixture()
    open.kconfig.configHz = 99
    open.kconfig.configSwiftbpfName = "fake"
    open.kconfig.linuxKernelVersion = 0x06_12_00
    open.kconfig.configBpfJit = LibbpfTristate(rawValue: 1)
    let skeleton = try open.load(kernel: FakeKernel())
    // Each value at its own offset in the libbpf layout (alignment, then
    // size, then name), not at offset 0 where the ELF lists externs.
    #expect(try skeleton.kconfig.configHz == 99)
    #expect(try skeleton.kconfig.configSwiftbpfName == "fake")
    #expect(try skeleton.kconfig.linuxKernelVersion == 0x06_12_00)
    #expect(try skeleton.kconfig.configBpfJit.rawValue == 1)
  }

  @Test func typedMapsOfTheSkeletonWorkOverTheFake() throws {
    let skeleton = try SkeletonFixture().load(kernel: FakeKernel())
    var total = SkelTotal()
    total.sum = 12
    total.count = 3
    try skeleton.maps.totals.update(7, total)
    #expect(try skeleton.maps.totals.lookup(7)?.sum == 12)
    try skeleton.maps.jobs.push(41)
    #expect(try skeleton.maps.jobs.pop() == 41)
    #expect(skeleton.maps.rawSized.keySize == 4 && skeleton.maps.rawSized.valueSize == 8)
  }

  @Test func theSkeletonsLayoutsHaveTheSectionSizes() throws {
    // Section sizes from the ELF section headers (the format), not from the generator.
    let file = try ObjectFile(path: Fixture.object("skeleton.bpf.o").path)
    func size(_ name: String) -> Int? { file.dataSections.first { $0.name == name }.map { Int($0.size) } }
    #expect(MemoryLayout<SkeletonFixtureRodata>.size == size(".rodata"))
    #expect(MemoryLayout<SkeletonFixtureData>.size == size(".data"))
    #expect(MemoryLayout<SkeletonFixtureBss>.size == size(".bss"))
  }
}
