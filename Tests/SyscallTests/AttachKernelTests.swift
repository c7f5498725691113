import Foundation
import Glibc
import Testing
import TestSupport
import UAPI
@testable import Syscall

/// Legacy attach/detach and iterators against the running kernel.
@Suite(.kernel) struct AttachKernelTests {
  typealias H = KernelHelpers

  /// sk_skb stream verdict on a sockmap: attach and detach need no sockets.
  @Test func progAttachAndDetachOnSockmap() throws {
    let sockmap = try BPF.createMap(MapCreateAttributes(type: .sockmap, keySize: 4, valueSize: 4,
                                                        maxEntries: 1))
    let program = try BPF.loadProgram(ProgramLoadAttributes(
      type: .skSkb, instructions: returnProgram(1), license: "GPL", name: "swbpf_skb"))
    let attach = BPF.AttachAttributes(target: .fd(sockmap.borrowed), program: program.borrowed,
                                      attachType: .skSkbStreamVerdict)
    try BPF.attach(attach)
    let query = try BPF.query(target: .fd(sockmap.borrowed), attachType: .skSkbStreamVerdict)
    #expect(query.programIDs == [try BPF.programInfo(program.borrowed).id])
    try BPF.detach(attach)
    #expect(try BPF.query(target: .fd(sockmap.borrowed), attachType: .skSkbStreamVerdict)
              .programIDs.isEmpty)
    do {
      try BPF.detach(attach)
      Issue.record("detached a program that was no longer attached")
    } catch {
      #expect(error.operation == .bpf(.programDetach))
      #expect(error.errno == .ENOENT)
    }
  }

  /// A `bpf_map` iterator: the attach BTF ID of `bpf_iter_bpf_map` comes from
  /// bpftool's reading of the kernel BTF; the program prints nothing, so each
  /// iteration reads as an empty file.
  @Test func iteratorLinkAndCreate() throws {
    guard let bpftool = Toolchain.systemTool("bpftool") else {
      if TestEnvironment.mustNotSkip { Issue.record("bpftool missing") }
      try Test.cancel("skipped: bpftool missing")
    }
    let dump = try runProcess(bpftool, ["btf", "dump", "file", "/sys/kernel/btf/vmlinux"])
    let line = try #require(dump.stdout.split(separator: "\n").first { $0.contains("FUNC 'bpf_iter_bpf_map'") })
    let idText = line.dropFirst().prefix { $0 != "]" }
    let btfID = try #require(UInt32(idText))

    var attributes = ProgramLoadAttributes(type: .tracing, instructions: returnProgram(0),
                                           license: "GPL", name: "swbpf_iter")
    attributes.expectedAttachType = .traceIter
    attributes.attachBTFID = btfID
    let program = try BPF.loadProgram(attributes)
    let link = try BPF.createLink(LinkCreateAttributes(
      program: program.borrowed, target: .none, attachType: .traceIter))
    let info = try BPF.linkInfo(link.borrowed)
    #expect(info.type == .iter)
    #expect(info.details == .iterator(targetName: "bpf_map", mapID: 0))

    let iteration = try BPF.createIterator(link: link.borrowed)
    #expect(iteration.rawValue > 2)
    var buffer = [UInt8](repeating: 0, count: 256)
    let n = buffer.withUnsafeMutableBytes { read(iteration.rawValue, $0.baseAddress, $0.count) }
    #expect(n == 0, "the program writes nothing")
  }

  @Test func lookupAndDeleteBatchEmptiesHash() throws {
    let map = try BPF.createMap(MapCreateAttributes(type: .hash, keySize: 4, valueSize: 8, maxEntries: 16))
    let keys: [UInt32] = [1, 2, 3]
    let values: [UInt64] = [10, 20, 30]
    _ = try BPF.updateBatch(map: map.borrowed, keys: keys, values: values, count: 3)
    var outKeys = [UInt32](repeating: 0, count: 16)
    var outValues = [UInt64](repeating: 0, count: 16)
    var next: UInt32 = 0
    let result = try BPF.lookupBatch(map: map.borrowed, inBatch: nil, outBatch: &next,
                                     keys: &outKeys, values: &outValues, count: 16, delete: true)
    #expect(result.count == 3)
    #expect(result.done)
    #expect(Set(zip(outKeys.prefix(3), outValues.prefix(3)).map { "\($0)=\($1)" })
            == ["1=10", "2=20", "3=30"])
    var key: UInt32 = 0
    #expect(try BPF.nextKey(map: map.borrowed, after: nil, into: &key) == false, "map is empty")
  }
}

/// Without privileges (the unprivileged CI run), bpf(2) refuses with EPERM
/// and the error says what is needed.
@Suite struct UnprivilegedTests {
  @Test(.enabled(if: !Kernel.canLoad, "runs only without CAP_BPF"))
  func createMapWithoutPrivilegesIsEPERMWithHint() {
    do {
      _ = try BPF.createMap(MapCreateAttributes(type: .array, keySize: 4, valueSize: 4, maxEntries: 1))
      Issue.record("created a map without privileges")
    } catch {
      #expect(error.errno == .EPERM)
      #expect(error.operation == .bpf(.mapCreate))
      #expect(error.description.contains("CAP_BPF"))
    }
  }
}
