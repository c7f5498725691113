import Foundation
import Loader
import Testing
import TestSupport

/// The skeleton generated from `skeleton.bpf.o` (Generated/SkeletonFixture.swift)
/// on the kernel. Expected values come from the C source
/// (Fixtures/src/skeleton.bpf.c): `.data seed` is 7, `.rodata multiplier`
/// 1, `label` "skel"; one run of `compute` sets `last = {seed * multiplier,
/// runs}`, adds to `totals[seed]`, counts on this CPU in `per_cpu[0]` and
/// emits `{runs, last.value, "skel"}`.
@Suite("Skeleton: the generated skeleton of skeleton.bpf.o on the kernel", .kernel, .serialized)
struct SkeletonKernelTests {
  static func runCompute(_ skeleton: SkeletonFixture.Loaded) throws {
    let program = try #require(skeleton.programs.compute)
    let result = try program.testRun()
    #expect(result.returnValue == 0, "compute failed its check at line \(result.returnValue)")
  }

  @Test func rodataSetBeforeLoadChangesWhatTheProgramComputes() throws {
    var open = try SkeletonFixture()
    #expect(open.rodata.multiplier == 1)
    #expect(open.rodata.labelString == "skel")
    #expect(open.data.seed == 7)
    open.rodata.multiplier = 3
    let skeleton = try open.load()
    try Self.runCompute(skeleton)

    #expect(try skeleton.bss.runs == 1)
    #expect(try skeleton.bss.last.value == 21)
    #expect(try skeleton.bss.last.run == 1)
    #expect(try skeleton.rodata.multiplier == 3)
    #expect(try skeleton.rodata.read().labelString == "skel")
    // .rodata is frozen: writing through the mapping is refused.
    #expect(throws: LoadError.self) { try skeleton.rodata.set(\.multiplier, to: 4) }

    let total = try #require(try skeleton.maps.totals.lookup(7))
    #expect(total.sum == 21 && total.count == 1)
    let perCPU = try #require(try skeleton.maps.perCpu.lookup(0))
    #expect(perCPU.reduce(0, +) == 1, "one run counts once, on the CPU it ran on")
  }

  @Test func dataWrittenThroughTheMappingIsWhatTheProgramReads() throws {
    let skeleton = try SkeletonFixture().load()
    try skeleton.data.set(\.seed, to: 5)
    try Self.runCompute(skeleton)
    #expect(try skeleton.bss.last.value == 5)
    #expect(try skeleton.maps.totals.lookup(5)?.sum == 5)
    #expect(try skeleton.maps.totals.lookup(7) == nil)
    // A whole-struct write is seen too.
    var bss = try skeleton.bss.read()
    bss.runs = 100
    try skeleton.bss.write(bss)
    try Self.runCompute(skeleton)
    #expect(try skeleton.bss.runs == 101)
    // Atomic access through a pointer into the mapping.
    let previous = try skeleton.bss.withPointer(to: \.runs) { pointer in
      let old = pointer.pointee
      pointer.pointee = old + 10
      return old
    }
    #expect(previous == 101)
    #expect(try skeleton.bss.runs == 111)
  }

  @Test func typedEventsDecodeTheDeclaredRecordType() async throws {
    let skeleton = try SkeletonFixture().load()
    try Self.runCompute(skeleton)
    try Self.runCompute(skeleton)
    var received: [SkelEvent] = []
    for try await event in try skeleton.events() {
      received.append(event)
      if received.count == 2 { break }
    }
    #expect(received.map(\.seq) == [1, 2])
    #expect(received.map(\.value) == [7, 7])
    #expect(received.map(\.commString) == ["skel", "skel"])
  }

  @Test func openPhaseSettingsReachTheKernel() throws {
    var open = try SkeletonFixture()
    open.maps.totals.maxEntries = 128
    open.programs.onGetpid.autoload = false
    let pin = "/sys/fs/bpf/swiftbpf-skeleton-totals-\(getpid())"
    open.maps.totals.pinPath = pin
    defer { unlink(pin) }
    let skeleton = try open.load()
    #expect(try skeleton.maps.totals.map.info().maxEntries == 128)
    // The kernel's view of the pin: the object at that path is this map.
    let pinned = try LoadedObject.Map.open(pinnedAt: pin)
    #expect(try pinned.info().id == (try skeleton.maps.totals.map.info().id))
    #expect(skeleton.programs.onGetpid == nil)
    #expect(skeleton.programs.compute != nil)
    try skeleton.attach()
    #expect(skeleton.links.isEmpty, "the only auto-attachable program was not loaded")
  }

  @Test func attachRunsTheTracepointAndDetachStopsIt() throws {
    let skeleton = try SkeletonFixture().load()
    try skeleton.attach()
    let links = skeleton.links
    #expect(links.count == 1)
    #expect(links.first?.programName == "on_getpid")
    for _ in 0 ..< 5 { _ = getpid() }  // glibc does not cache it: one syscall each
    let seen = try skeleton.bss.getpidCalls
    #expect(seen >= 5, "every getpid of this process (and others) counts")

    skeleton.detach()
    #expect(skeleton.links.isEmpty)
    #expect(links.allSatisfy { !$0.isOpen })
    let afterDetach = try skeleton.bss.getpidCalls
    for _ in 0 ..< 5 { _ = getpid() }  // glibc does not cache it: one syscall each
    #expect(try skeleton.bss.getpidCalls == afterDetach, "no program runs after detach")
  }

  /// The descriptor count is checked alone in a child process (see
  /// SkeletonReleaseChildTests), where no other suite opens descriptors meanwhile.
  @Test func releasingTheSkeletonClosesEveryDescriptor() throws {
    let child = try Isolation.run(suite: "SkeletonReleaseChildTests")
    #expect(child.status == 0, "\(child.output.suffix(3000))")
    #expect(child.output.contains("releasedSkeletonsLeaveNoDescriptor"), "the child ran the check")
  }

}

/// `__kconfig` externs through the skeleton: the running kernel's values
/// (read independently from /proc/config.gz here) or the overrides set in
/// the open phase, as the program sees them and as Swift reads them back.
extension SkeletonKernelTests {
  /// `CONFIG_HZ` as /proc/config.gz states it (read with zcat).
  static func configuredHZ() throws -> Int32 {
    let zcat = try #require(Toolchain.systemTool("zcat"), "no zcat to read /proc/config.gz")
    let config = try runTool(zcat, ["/proc/config.gz"])
    let line = try #require(config.output.split(separator: "\n").first { $0.hasPrefix("CONFIG_HZ=") })
    return try #require(Int32(line.dropFirst("CONFIG_HZ=".count)))
  }

  @Test func kconfigValuesComeFromTheRunningKernel() throws {
    let skeleton = try SkeletonFixture().load()
    try Self.runCompute(skeleton)
    let hz = try Self.configuredHZ()
    #expect(try skeleton.kconfig.configHz == hz)
    #expect(try skeleton.bss.seenHz == hz)
    #expect(try skeleton.kconfig.configBpfSyscall == true, "CONFIG_BPF_SYSCALL=y here")
    #expect(try skeleton.bss.seenSyscall == true)
    #expect(try skeleton.kconfig.configSwiftbpfName == "", "a weak extern no kernel has is zero")
    #expect(try skeleton.kconfig.linuxKernelVersion != 0)
  }

  @Test func kconfigOverridesSetInTheOpenPhaseAreWhatTheProgramSees() throws {
    var open = try SkeletonFixture()
    open.kconfig.configHz = 1234
    open.kconfig.configBpfSyscall = false
    open.kconfig.configSwiftbpfName = "swift \"bpf\""
    open.kconfig.configBpfJit = LibbpfTristate(rawValue: 2)  // m
    let skeleton = try open.load()
    try Self.runCompute(skeleton)
    #expect(try skeleton.bss.seenHz == 1234)
    #expect(try skeleton.bss.seenSyscall == false)
    #expect(try skeleton.bss.read().seenNameString == "swift \"bpf\"")
    #expect(try skeleton.bss.seenJit == 2)
    #expect(try skeleton.kconfig.configHz == 1234)
    #expect(try skeleton.kconfig.configSwiftbpfName == "swift \"bpf\"")
    #expect(try skeleton.kconfig.configBpfJit.rawValue == 2)
  }
}

extension SkeletonKernelTests {
  /// A link made by hand and given to `keep` is closed by `detach()` with
  /// the automatic ones; a second `attach()` replaces only its own links.
  @Test func keptLinksAreDetachedWithTheOthers() throws {
    let skeleton = try SkeletonFixture().load()
    try skeleton.attach()
    let program = try #require(skeleton.programs.onGetpid)
    // The same program on the syscall's exit too (one program may not attach twice to one tracepoint).
    let manual = try program.attach(to: .tracepoint(category: "syscalls", name: "sys_exit_getpid"))
    skeleton.keep(manual)
    #expect(skeleton.links.count == 2)
    let firstAutomatic = try #require(skeleton.links.first)
    try skeleton.attach()
    #expect(skeleton.links.count == 2, "the kept link and a new automatic one")
    #expect(!firstAutomatic.isOpen, "re-attaching closed the earlier automatic link")
    #expect(manual.isOpen)
    let before = try skeleton.bss.getpidCalls
    _ = getpid()
    #expect(try skeleton.bss.getpidCalls - before == 2, "both links run the program")
    skeleton.detach()
    #expect(skeleton.links.isEmpty)
    #expect(!manual.isOpen)
  }
}

/// Runs only in the child process started by
/// `SkeletonKernelTests.releasingTheSkeletonClosesEveryDescriptor`.
@Suite(.kernel, .serialized,
       .enabled(if: Isolation.isChild(running: "SkeletonReleaseChildTests"), "runs alone in a child process"))
struct SkeletonReleaseChildTests {
  /// Maps, programs and links (attached, and one kept) are all closed when
  /// the loaded skeleton is released, over several cycles.
  @Test func releasedSkeletonsLeaveNoDescriptor() throws {
    let before = openDescriptorCount()
    for _ in 0 ..< 5 {
      let skeleton = try SkeletonFixture().load()
      try skeleton.attach()
      let program = try #require(skeleton.programs.onGetpid)
      skeleton.keep(try program.attach(to: .tracepoint(category: "syscalls", name: "sys_exit_getpid")))
      #expect(openDescriptorCount() > before)
    }
    #expect(openDescriptorCount() == before, "maps, programs and links are closed with the skeleton")
  }
}
