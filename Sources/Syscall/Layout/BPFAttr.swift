// Our layout of `union bpf_attr`, one namespace per command's part of it.
// Written from the kernel's documented UAPI; every offset and size is checked
// by BPFAttrLayoutTests against the running kernel's BTF through the C compiler.

typealias U32 = KernelField<UInt32>
typealias S32 = KernelField<Int32>
typealias U64 = KernelField<UInt64>

/// The parts of `union bpf_attr`, by command.
///
/// Kernel: `union bpf_attr` (include/uapi/linux/bpf.h). A command reads only
/// its own part; the size we pass is the end of the last field we know, so
/// older kernels see zeros where newer fields would be.
package enum BPFAttr {
  static let cType = "union bpf_attr"

  /// Kernel: `BPF_MAP_CREATE`.
  package enum MapCreate {
    static let mapType = U32(0, "map_type")
    static let keySize = U32(4, "key_size")
    static let valueSize = U32(8, "value_size")
    static let maxEntries = U32(12, "max_entries")
    static let mapFlags = U32(16, "map_flags")
    static let innerMapFD = U32(20, "inner_map_fd")
    static let numaNode = U32(24, "numa_node")
    static let mapName = KernelBytesField(28, count: 16, "map_name")
    static let mapIfindex = U32(44, "map_ifindex")
    static let btfFD = U32(48, "btf_fd")
    static let btfKeyTypeID = U32(52, "btf_key_type_id")
    static let btfValueTypeID = U32(56, "btf_value_type_id")
    static let btfVmlinuxValueTypeID = U32(60, "btf_vmlinux_value_type_id")
    static let mapExtra = U64(64, "map_extra")
    static let valueTypeBTFObjFD = S32(72, "value_type_btf_obj_fd")
    static let mapTokenFD = S32(76, "map_token_fd")

    package static let layout = KernelLayout(
      cType: cType, name: "BPF_MAP_CREATE", size: mapTokenFD.end,
      fields: [mapType.info, keySize.info, valueSize.info, maxEntries.info, mapFlags.info,
               innerMapFD.info, numaNode.info, mapName.info, mapIfindex.info, btfFD.info,
               btfKeyTypeID.info, btfValueTypeID.info, btfVmlinuxValueTypeID.info,
               mapExtra.info, valueTypeBTFObjFD.info, mapTokenFD.info])
  }

  /// Kernel: `BPF_MAP_LOOKUP_ELEM`, `BPF_MAP_UPDATE_ELEM`, `BPF_MAP_DELETE_ELEM`,
  /// `BPF_MAP_GET_NEXT_KEY`, `BPF_MAP_LOOKUP_AND_DELETE_ELEM`, `BPF_MAP_FREEZE`.
  package enum MapElement {
    static let mapFD = U32(0, "map_fd")
    static let key = U64(8, "key")
    static let value = U64(16, "value")
    static let nextKey = U64(16, "next_key")
    static let flags = U64(24, "flags")

    package static let layout = KernelLayout(
      cType: cType, name: "BPF_MAP_*_ELEM", size: flags.end,
      fields: [mapFD.info, key.info, value.info, nextKey.info, flags.info])
  }

  /// Kernel: `BPF_MAP_*_BATCH` (the `batch` member).
  package enum MapBatch {
    static let inBatch = U64(0, "batch.in_batch")
    static let outBatch = U64(8, "batch.out_batch")
    static let keys = U64(16, "batch.keys")
    static let values = U64(24, "batch.values")
    static let count = U32(32, "batch.count")
    static let mapFD = U32(36, "batch.map_fd")
    static let elemFlags = U64(40, "batch.elem_flags")
    static let flags = U64(48, "batch.flags")

    package static let layout = KernelLayout(
      cType: cType, name: "BPF_MAP_*_BATCH", size: flags.end,
      fields: [inBatch.info, outBatch.info, keys.info, values.info, count.info, mapFD.info,
               elemFlags.info, flags.info])
  }

  /// Kernel: `BPF_PROG_LOAD`.
  package enum ProgramLoad {
    static let progType = U32(0, "prog_type")
    static let insnCount = U32(4, "insn_cnt")
    static let insns = U64(8, "insns")
    static let license = U64(16, "license")
    static let logLevel = U32(24, "log_level")
    static let logSize = U32(28, "log_size")
    static let logBuf = U64(32, "log_buf")
    static let kernVersion = U32(40, "kern_version")
    static let progFlags = U32(44, "prog_flags")
    static let progName = KernelBytesField(48, count: 16, "prog_name")
    static let progIfindex = U32(64, "prog_ifindex")
    static let expectedAttachType = U32(68, "expected_attach_type")
    static let progBTFFD = U32(72, "prog_btf_fd")
    static let funcInfoRecSize = U32(76, "func_info_rec_size")
    static let funcInfo = U64(80, "func_info")
    static let funcInfoCount = U32(88, "func_info_cnt")
    static let lineInfoRecSize = U32(92, "line_info_rec_size")
    static let lineInfo = U64(96, "line_info")
    static let lineInfoCount = U32(104, "line_info_cnt")
    static let attachBTFID = U32(108, "attach_btf_id")
    static let attachProgFD = U32(112, "attach_prog_fd")
    static let attachBTFObjFD = U32(112, "attach_btf_obj_fd")
    static let coreReloCount = U32(116, "core_relo_cnt")
    static let fdArray = U64(120, "fd_array")
    static let coreRelos = U64(128, "core_relos")
    static let coreReloRecSize = U32(136, "core_relo_rec_size")
    static let logTrueSize = U32(140, "log_true_size")
    static let progTokenFD = S32(144, "prog_token_fd")
    static let fdArrayCount = U32(148, "fd_array_cnt")

    package static let layout = KernelLayout(
      cType: cType, name: "BPF_PROG_LOAD", size: fdArrayCount.end,
      fields: [progType.info, insnCount.info, insns.info, license.info, logLevel.info,
               logSize.info, logBuf.info, kernVersion.info, progFlags.info, progName.info,
               progIfindex.info, expectedAttachType.info, progBTFFD.info,
               funcInfoRecSize.info, funcInfo.info, funcInfoCount.info, lineInfoRecSize.info,
               lineInfo.info, lineInfoCount.info, attachBTFID.info, attachProgFD.info,
               attachBTFObjFD.info, coreReloCount.info, fdArray.info, coreRelos.info,
               coreReloRecSize.info, logTrueSize.info, progTokenFD.info, fdArrayCount.info])
  }

  /// Kernel: `BPF_OBJ_PIN`, `BPF_OBJ_GET`.
  package enum ObjectPath {
    static let pathname = U64(0, "pathname")
    static let bpfFD = U32(8, "bpf_fd")
    static let fileFlags = U32(12, "file_flags")
    static let pathFD = S32(16, "path_fd")

    package static let layout = KernelLayout(
      cType: cType, name: "BPF_OBJ_PIN/GET", size: pathFD.end,
      fields: [pathname.info, bpfFD.info, fileFlags.info, pathFD.info])
  }

  /// Kernel: `BPF_PROG_ATTACH`, `BPF_PROG_DETACH`.
  package enum ProgramAttach {
    static let targetFD = U32(0, "target_fd")
    static let targetIfindex = U32(0, "target_ifindex")
    static let attachBPFFD = U32(4, "attach_bpf_fd")
    static let attachType = U32(8, "attach_type")
    static let attachFlags = U32(12, "attach_flags")
    static let replaceBPFFD = U32(16, "replace_bpf_fd")
    static let relativeFD = U32(20, "relative_fd")
    static let relativeID = U32(20, "relative_id")
    static let expectedRevision = U64(24, "expected_revision")

    package static let layout = KernelLayout(
      cType: cType, name: "BPF_PROG_ATTACH/DETACH", size: expectedRevision.end,
      fields: [targetFD.info, targetIfindex.info, attachBPFFD.info, attachType.info,
               attachFlags.info, replaceBPFFD.info, relativeFD.info, relativeID.info,
               expectedRevision.info])
  }

  /// Kernel: `BPF_PROG_TEST_RUN` (the `test` member).
  package enum TestRun {
    static let progFD = U32(0, "test.prog_fd")
    static let retval = U32(4, "test.retval")
    static let dataSizeIn = U32(8, "test.data_size_in")
    static let dataSizeOut = U32(12, "test.data_size_out")
    static let dataIn = U64(16, "test.data_in")
    static let dataOut = U64(24, "test.data_out")
    static let repeatCount = U32(32, "test.repeat")
    static let duration = U32(36, "test.duration")
    static let ctxSizeIn = U32(40, "test.ctx_size_in")
    static let ctxSizeOut = U32(44, "test.ctx_size_out")
    static let ctxIn = U64(48, "test.ctx_in")
    static let ctxOut = U64(56, "test.ctx_out")
    static let flags = U32(64, "test.flags")
    static let cpu = U32(68, "test.cpu")
    static let batchSize = U32(72, "test.batch_size")

    package static let layout = KernelLayout(
      cType: cType, name: "BPF_PROG_TEST_RUN", size: batchSize.end,
      fields: [progFD.info, retval.info, dataSizeIn.info, dataSizeOut.info, dataIn.info,
               dataOut.info, repeatCount.info, duration.info, ctxSizeIn.info, ctxSizeOut.info,
               ctxIn.info, ctxOut.info, flags.info, cpu.info, batchSize.info])
  }

  /// Kernel: `BPF_*_GET_NEXT_ID`, `BPF_*_GET_FD_BY_ID`.
  package enum ObjectID {
    static let startID = U32(0, "start_id")
    static let progID = U32(0, "prog_id")
    static let mapID = U32(0, "map_id")
    static let btfID = U32(0, "btf_id")
    static let linkID = U32(0, "link_id")
    static let nextID = U32(4, "next_id")
    static let openFlags = U32(8, "open_flags")

    package static let layout = KernelLayout(
      cType: cType, name: "BPF_*_GET_NEXT_ID/FD_BY_ID", size: openFlags.end,
      fields: [startID.info, progID.info, mapID.info, btfID.info, linkID.info, nextID.info,
               openFlags.info])
  }

  /// Kernel: `BPF_OBJ_GET_INFO_BY_FD` (the `info` member).
  package enum Info {
    static let bpfFD = U32(0, "info.bpf_fd")
    static let infoLen = U32(4, "info.info_len")
    static let info = U64(8, "info.info")

    package static let layout = KernelLayout(
      cType: cType, name: "BPF_OBJ_GET_INFO_BY_FD", size: info.end,
      fields: [bpfFD.info, infoLen.info, info.info])
  }

  /// Kernel: `BPF_PROG_QUERY` (the `query` member).
  package enum Query {
    static let targetFD = U32(0, "query.target_fd")
    static let targetIfindex = U32(0, "query.target_ifindex")
    static let attachType = U32(4, "query.attach_type")
    static let queryFlags = U32(8, "query.query_flags")
    static let attachFlags = U32(12, "query.attach_flags")
    static let progIDs = U64(16, "query.prog_ids")
    static let progCount = U32(24, "query.prog_cnt")
    static let count = U32(24, "query.count")
    static let progAttachFlags = U64(32, "query.prog_attach_flags")
    static let linkIDs = U64(40, "query.link_ids")
    static let linkAttachFlags = U64(48, "query.link_attach_flags")
    static let revision = U64(56, "query.revision")

    package static let layout = KernelLayout(
      cType: cType, name: "BPF_PROG_QUERY", size: revision.end,
      fields: [targetFD.info, targetIfindex.info, attachType.info, queryFlags.info,
               attachFlags.info, progIDs.info, progCount.info, count.info,
               progAttachFlags.info, linkIDs.info, linkAttachFlags.info, revision.info])
  }

  /// Kernel: `BPF_RAW_TRACEPOINT_OPEN` (the `raw_tracepoint` member).
  package enum RawTracepoint {
    static let name = U64(0, "raw_tracepoint.name")
    static let progFD = U32(8, "raw_tracepoint.prog_fd")
    static let cookie = U64(16, "raw_tracepoint.cookie")

    package static let layout = KernelLayout(
      cType: cType, name: "BPF_RAW_TRACEPOINT_OPEN", size: cookie.end,
      fields: [name.info, progFD.info, cookie.info])
  }

  /// Kernel: `BPF_BTF_LOAD`.
  package enum BTFLoad {
    static let btf = U64(0, "btf")
    static let logBuf = U64(8, "btf_log_buf")
    static let size = U32(16, "btf_size")
    static let logSize = U32(20, "btf_log_size")
    static let logLevel = U32(24, "btf_log_level")
    static let logTrueSize = U32(28, "btf_log_true_size")
    static let flags = U32(32, "btf_flags")
    static let tokenFD = S32(36, "btf_token_fd")

    package static let layout = KernelLayout(
      cType: cType, name: "BPF_BTF_LOAD", size: tokenFD.end,
      fields: [btf.info, logBuf.info, size.info, logSize.info, logLevel.info,
               logTrueSize.info, flags.info, tokenFD.info])
  }

  /// Kernel: `BPF_LINK_CREATE` (the `link_create` member and its per-target union).
  package enum LinkCreate {
    static let progFD = U32(0, "link_create.prog_fd")
    static let mapFD = U32(0, "link_create.map_fd")
    static let targetFD = U32(4, "link_create.target_fd")
    static let targetIfindex = U32(4, "link_create.target_ifindex")
    static let attachType = U32(8, "link_create.attach_type")
    static let flags = U32(12, "link_create.flags")
    static let targetBTFID = U32(16, "link_create.target_btf_id")
    static let iterInfo = U64(16, "link_create.iter_info")
    static let iterInfoLen = U32(24, "link_create.iter_info_len")
    static let perfEventCookie = U64(16, "link_create.perf_event.bpf_cookie")
    static let kprobeMultiFlags = U32(16, "link_create.kprobe_multi.flags")
    static let kprobeMultiCount = U32(20, "link_create.kprobe_multi.cnt")
    static let kprobeMultiSyms = U64(24, "link_create.kprobe_multi.syms")
    static let kprobeMultiAddrs = U64(32, "link_create.kprobe_multi.addrs")
    static let kprobeMultiCookies = U64(40, "link_create.kprobe_multi.cookies")
    static let tracingTargetBTFID = U32(16, "link_create.tracing.target_btf_id")
    static let tracingCookie = U64(24, "link_create.tracing.cookie")
    static let netfilterPF = U32(16, "link_create.netfilter.pf")
    static let netfilterHooknum = U32(20, "link_create.netfilter.hooknum")
    static let netfilterPriority = S32(24, "link_create.netfilter.priority")
    static let netfilterFlags = U32(28, "link_create.netfilter.flags")
    static let tcxRelativeFD = U32(16, "link_create.tcx.relative_fd")
    static let tcxRelativeID = U32(16, "link_create.tcx.relative_id")
    static let tcxExpectedRevision = U64(24, "link_create.tcx.expected_revision")
    static let uprobeMultiPath = U64(16, "link_create.uprobe_multi.path")
    static let uprobeMultiOffsets = U64(24, "link_create.uprobe_multi.offsets")
    static let uprobeMultiRefCtrOffsets = U64(32, "link_create.uprobe_multi.ref_ctr_offsets")
    static let uprobeMultiCookies = U64(40, "link_create.uprobe_multi.cookies")
    static let uprobeMultiCount = U32(48, "link_create.uprobe_multi.cnt")
    static let uprobeMultiFlags = U32(52, "link_create.uprobe_multi.flags")
    static let uprobeMultiPID = U32(56, "link_create.uprobe_multi.pid")
    static let netkitRelativeFD = U32(16, "link_create.netkit.relative_fd")
    static let netkitRelativeID = U32(16, "link_create.netkit.relative_id")
    static let netkitExpectedRevision = U64(24, "link_create.netkit.expected_revision")
    static let cgroupRelativeFD = U32(16, "link_create.cgroup.relative_fd")
    static let cgroupRelativeID = U32(16, "link_create.cgroup.relative_id")
    static let cgroupExpectedRevision = U64(24, "link_create.cgroup.expected_revision")

    /// Through the end of the largest target part (uprobe_multi), padded to 8
    /// as the kernel's union member is.
    package static let layout = KernelLayout(
      cType: cType, name: "BPF_LINK_CREATE", size: 64,
      fields: [progFD.info, mapFD.info, targetFD.info, targetIfindex.info, attachType.info,
               flags.info, targetBTFID.info, iterInfo.info, iterInfoLen.info,
               perfEventCookie.info, kprobeMultiFlags.info, kprobeMultiCount.info,
               kprobeMultiSyms.info, kprobeMultiAddrs.info, kprobeMultiCookies.info,
               tracingTargetBTFID.info, tracingCookie.info, netfilterPF.info,
               netfilterHooknum.info, netfilterPriority.info, netfilterFlags.info,
               tcxRelativeFD.info, tcxRelativeID.info, tcxExpectedRevision.info,
               uprobeMultiPath.info, uprobeMultiOffsets.info, uprobeMultiRefCtrOffsets.info,
               uprobeMultiCookies.info, uprobeMultiCount.info, uprobeMultiFlags.info,
               uprobeMultiPID.info, netkitRelativeFD.info, netkitRelativeID.info,
               netkitExpectedRevision.info, cgroupRelativeFD.info, cgroupRelativeID.info,
               cgroupExpectedRevision.info])
  }

  /// Kernel: `BPF_LINK_UPDATE` (the `link_update` member).
  package enum LinkUpdate {
    static let linkFD = U32(0, "link_update.link_fd")
    static let newProgFD = U32(4, "link_update.new_prog_fd")
    static let newMapFD = U32(4, "link_update.new_map_fd")
    static let flags = U32(8, "link_update.flags")
    static let oldProgFD = U32(12, "link_update.old_prog_fd")
    static let oldMapFD = U32(12, "link_update.old_map_fd")

    package static let layout = KernelLayout(
      cType: cType, name: "BPF_LINK_UPDATE", size: oldProgFD.end,
      fields: [linkFD.info, newProgFD.info, newMapFD.info, flags.info, oldProgFD.info,
               oldMapFD.info])
  }

  /// Kernel: `BPF_LINK_DETACH` (the `link_detach` member).
  package enum LinkDetach {
    static let linkFD = U32(0, "link_detach.link_fd")
    package static let layout = KernelLayout(
      cType: cType, name: "BPF_LINK_DETACH", size: linkFD.end, fields: [linkFD.info])
  }

  /// Kernel: `BPF_ENABLE_STATS` (the `enable_stats` member).
  package enum EnableStats {
    static let type = U32(0, "enable_stats.type")
    package static let layout = KernelLayout(
      cType: cType, name: "BPF_ENABLE_STATS", size: type.end, fields: [type.info])
  }

  /// Kernel: `BPF_ITER_CREATE` (the `iter_create` member).
  package enum IterCreate {
    static let linkFD = U32(0, "iter_create.link_fd")
    static let flags = U32(4, "iter_create.flags")
    package static let layout = KernelLayout(
      cType: cType, name: "BPF_ITER_CREATE", size: flags.end,
      fields: [linkFD.info, flags.info])
  }

  /// Kernel: `BPF_PROG_BIND_MAP` (the `prog_bind_map` member).
  package enum ProgramBindMap {
    static let progFD = U32(0, "prog_bind_map.prog_fd")
    static let mapFD = U32(4, "prog_bind_map.map_fd")
    static let flags = U32(8, "prog_bind_map.flags")
    package static let layout = KernelLayout(
      cType: cType, name: "BPF_PROG_BIND_MAP", size: flags.end,
      fields: [progFD.info, mapFD.info, flags.info])
  }

  /// Every command layout, for tests and documentation.
  package static let allLayouts: [KernelLayout] = [
    MapCreate.layout, MapElement.layout, MapBatch.layout, ProgramLoad.layout,
    ObjectPath.layout, ProgramAttach.layout, TestRun.layout, ObjectID.layout, Info.layout,
    Query.layout,
    RawTracepoint.layout, BTFLoad.layout, LinkCreate.layout, LinkUpdate.layout,
    LinkDetach.layout, EnableStats.layout, IterCreate.layout, ProgramBindMap.layout,
  ]
}
