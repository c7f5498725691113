import Testing
@testable import Syscall

/// Our offsets against the running kernel's `union bpf_attr`, info structs and
/// `perf_event_attr`, as the C compiler lays them out from the kernel's BTF
/// (bpftool's C dump). No root needed.
@Suite struct BPFAttrLayoutTests {
  static let layouts: [KernelLayout] = BPFAttr.allLayouts + [
    ProgramInfoLayout.layout, MapInfoLayout.layout, BTFInfoLayout.layout,
    LinkInfoLayout.layout, PerfEventAttrLayout.layout,
  ]

  @Test(arguments: layouts.map(\.name))
  func everyFieldMatchesKernelBTF(_ name: String) throws {
    let facts = try CompilerFacts.require(CompilerFacts.kernel)
    let layout = try #require(Self.layouts.first { $0.name == name })
    #expect(!layout.fields.isEmpty)
    for field in layout.fields {
      let key = CompilerFacts.key(layout.cType, field.cName)
      if let bit = field.bit {
        let first = try #require(facts["bit|\(field.cName)"], "no bit fact for \(field.cName)")
        #expect(Int(first) == field.offset * 8 + bit.first, "\(key) bit")
        #expect(facts["width|\(field.cName)"].map(Int.init) == bit.width, "\(key) width")
        continue
      }
      let offset = try #require(facts["off|\(key)"], "compiler printed no offset for \(key)")
      let size = try #require(facts["size|\(key)"], "compiler printed no size for \(key)")
      #expect(Int(offset) == field.offset, "\(key): offset ours \(field.offset), kernel \(offset)")
      #expect(Int(size) == field.size, "\(key): size ours \(field.size), kernel \(size)")
    }
  }

  /// The size we pass ends at our last field (or, for a union member with a
  /// padded tail, at the member's end) and never exceeds the kernel's type.
  @Test(arguments: layouts.map(\.name))
  func sizeEndsAtLastFieldWithinKernelType(_ name: String) throws {
    let facts = try CompilerFacts.require(CompilerFacts.kernel)
    let layout = try #require(Self.layouts.first { $0.name == name })
    let total = try #require(facts["sizeof|\(layout.cType)"])
    #expect(layout.size <= Int(total), "\(name): \(layout.size) > sizeof \(layout.cType) \(total)")
    let lastEnd = layout.fields.map { $0.offset + $0.size }.max() ?? 0
    let member = layout.fields.first?.cName.split(separator: ".").first.map(String.init)
    let memberSize = member.flatMap { facts["sizeof|\(layout.cType)|\($0)"] }.map(Int.init)
    let structSize = Int(total)
    #expect(layout.size == lastEnd || layout.size == memberSize || layout.size == structSize,
            "\(name): size \(layout.size), last field ends at \(lastEnd)")
  }

  @Test func perfEventAttrIsVersion8AndWholeStruct() throws {
    let facts = try CompilerFacts.require(CompilerFacts.kernel)
    // PERF_ATTR_SIZE_VER8 is 136 (a macro, not in BTF): the struct through config3.
    #expect(PerfEventAttrLayout.layout.size == 136)
    #expect(facts["sizeof|struct perf_event_attr"].map(Int.init) == PerfEventAttrLayout.layout.size)
  }

  @Test(arguments: PerfEventFlags.kernelNames.map(\.name))
  func perfFlagBitMatchesBitField(_ name: String) throws {
    let facts = try CompilerFacts.require(CompilerFacts.kernel)
    let ours = try #require(PerfEventFlags.kernelNames.first { $0.name == name }).bit
    let kernel = try #require(facts["bit|\(name)"])
    #expect(Int(kernel) == PerfEventAttrLayout.flagsOffset * 8 + ours)
    #expect(facts["width|\(name)"] == 1)
  }

  @Test func preciseIPIsTwoBitsAtShift() throws {
    let facts = try CompilerFacts.require(CompilerFacts.kernel)
    #expect(facts["bit|precise_ip"].map(Int.init)
            == PerfEventAttrLayout.flagsOffset * 8 + PerfEventFlags.preciseIPShift)
    #expect(facts["width|precise_ip"] == 2)
  }

  @Test func commandNumbersMatchEnumBPFCmd() throws {
    let facts = try CompilerFacts.require(CompilerFacts.kernel)
    for (number, name) in BPFCommand.kernelNames.enumerated() {
      #expect(facts["enum|\(name)"].map(Int.init) == number, "\(name)")
      #expect(BPFCommand(rawValue: CInt(number)).name == name)
    }
  }

  @Test func flagValuesMatchKernelEnums() throws {
    let facts = try CompilerFacts.require(CompilerFacts.kernel)
    let map: [(String, MapFlags)] = [
      ("BPF_F_NO_PREALLOC", .noPrealloc), ("BPF_F_NO_COMMON_LRU", .noCommonLRU),
      ("BPF_F_NUMA_NODE", .numaNode), ("BPF_F_RDONLY", .readOnly), ("BPF_F_WRONLY", .writeOnly),
      ("BPF_F_STACK_BUILD_ID", .stackBuildID), ("BPF_F_ZERO_SEED", .zeroSeed),
      ("BPF_F_RDONLY_PROG", .readOnlyProgram), ("BPF_F_WRONLY_PROG", .writeOnlyProgram),
      ("BPF_F_CLONE", .clone), ("BPF_F_MMAPABLE", .mmapable),
      ("BPF_F_PRESERVE_ELEMS", .preserveElements), ("BPF_F_INNER_MAP", .innerMap),
      ("BPF_F_LINK", .link), ("BPF_F_PATH_FD", .pathFD),
      ("BPF_F_VTYPE_BTF_OBJ_FD", .vtypeBTFObjFD), ("BPF_F_TOKEN_FD", .tokenFD),
      ("BPF_F_SEGV_ON_FAULT", .segvOnFault), ("BPF_F_NO_USER_CONV", .noUserConversion),
    ]
    for (name, flag) in map {
      #expect(facts["enum|\(name)"].map(UInt32.init) == flag.rawValue, "\(name)")
    }
    #expect(facts["enum|BPF_F_RDONLY"].map(UInt32.init) == BPF.FileFlags.readOnly.rawValue)
    #expect(facts["enum|BPF_F_WRONLY"].map(UInt32.init) == BPF.FileFlags.writeOnly.rawValue)
    #expect(facts["enum|BPF_F_PATH_FD"].map(UInt32.init) == BPF.FileFlags.pathFD.rawValue)
    #expect(facts["enum|BPF_F_LINK"].map(UInt32.init) == BPF.AttachFlags.link.rawValue)
    #expect(facts["enum|BPF_F_TOKEN_FD"].map(UInt32.init) == ProgramFlags.tokenFD.rawValue)
    let element: [(String, ElementFlags)] = [
      ("BPF_ANY", .any), ("BPF_NOEXIST", .noExist), ("BPF_EXIST", .exist), ("BPF_F_LOCK", .lock),
    ]
    for (name, flag) in element {
      #expect(facts["enum|\(name)"].map(UInt64.init) == flag.rawValue, "\(name)")
    }
    #expect(facts["enum|PERF_TYPE_HARDWARE"].map(UInt32.init) == PerfEventAttributes.typeHardware)
    #expect(facts["enum|PERF_TYPE_SOFTWARE"].map(UInt32.init) == PerfEventAttributes.typeSoftware)
    #expect(facts["enum|PERF_TYPE_TRACEPOINT"].map(UInt32.init) == PerfEventAttributes.typeTracepoint)
    #expect(facts["enum|PERF_TYPE_HW_CACHE"].map(UInt32.init) == PerfEventAttributes.typeHardwareCache)
    #expect(facts["enum|PERF_TYPE_RAW"].map(UInt32.init) == PerfEventAttributes.typeRaw)
    #expect(facts["enum|PERF_TYPE_BREAKPOINT"].map(UInt32.init) == PerfEventAttributes.typeBreakpoint)
    #expect(facts["enum|PERF_COUNT_SW_CPU_CLOCK"].map(UInt64.init) == PerfEventAttributes.softwareCPUClock)
    #expect(facts["enum|PERF_COUNT_SW_TASK_CLOCK"].map(UInt64.init) == PerfEventAttributes.softwareTaskClock)
    #expect(facts["enum|PERF_COUNT_SW_BPF_OUTPUT"].map(UInt64.init) == PerfEventAttributes.softwareBPFOutput)
    #expect(facts["enum|PERF_SAMPLE_RAW"].map(UInt64.init) == PerfEventAttributes.sampleRaw)
  }

  /// Link-info perf event subtypes the decoder switches on.
  @Test func perfEventLinkSubtypes() throws {
    let facts = try CompilerFacts.require(CompilerFacts.kernel)
    #expect(facts["enum|BPF_PERF_EVENT_UPROBE"] == 1)
    #expect(facts["enum|BPF_PERF_EVENT_URETPROBE"] == 2)
    #expect(facts["enum|BPF_PERF_EVENT_KPROBE"] == 3)
    #expect(facts["enum|BPF_PERF_EVENT_KRETPROBE"] == 4)
    #expect(facts["enum|BPF_PERF_EVENT_TRACEPOINT"] == 5)
    #expect(facts["enum|BPF_PERF_EVENT_EVENT"] == 6)
  }
}
