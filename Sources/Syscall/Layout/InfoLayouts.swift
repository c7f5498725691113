// Our layouts of the structures BPF_OBJ_GET_INFO_BY_FD fills, checked by
// InfoLayoutTests against the running kernel's BTF through the C compiler.

/// Kernel: `struct bpf_prog_info`.
package enum ProgramInfoLayout {
  static let cType = "struct bpf_prog_info"
  static let type = U32(0, "type")
  static let id = U32(4, "id")
  static let tag = KernelBytesField(8, count: 8, "tag")
  static let jitedProgLen = U32(16, "jited_prog_len")
  static let xlatedProgLen = U32(20, "xlated_prog_len")
  static let jitedProgInsns = U64(24, "jited_prog_insns")
  static let xlatedProgInsns = U64(32, "xlated_prog_insns")
  static let loadTime = U64(40, "load_time")
  static let createdByUID = U32(48, "created_by_uid")
  static let nrMapIDs = U32(52, "nr_map_ids")
  static let mapIDs = U64(56, "map_ids")
  static let name = KernelBytesField(64, count: 16, "name")
  static let ifindex = U32(80, "ifindex")
  /// `__u32 gpl_compatible:1`, bit 0 of the word at 84.
  static let gplCompatibleWord = U32(84, "gpl_compatible")
  static let netnsDev = U64(88, "netns_dev")
  static let netnsIno = U64(96, "netns_ino")
  static let nrJitedKsyms = U32(104, "nr_jited_ksyms")
  static let nrJitedFuncLens = U32(108, "nr_jited_func_lens")
  static let jitedKsyms = U64(112, "jited_ksyms")
  static let jitedFuncLens = U64(120, "jited_func_lens")
  static let btfID = U32(128, "btf_id")
  static let funcInfoRecSize = U32(132, "func_info_rec_size")
  static let funcInfo = U64(136, "func_info")
  static let nrFuncInfo = U32(144, "nr_func_info")
  static let nrLineInfo = U32(148, "nr_line_info")
  static let lineInfo = U64(152, "line_info")
  static let jitedLineInfo = U64(160, "jited_line_info")
  static let nrJitedLineInfo = U32(168, "nr_jited_line_info")
  static let lineInfoRecSize = U32(172, "line_info_rec_size")
  static let jitedLineInfoRecSize = U32(176, "jited_line_info_rec_size")
  static let nrProgTags = U32(180, "nr_prog_tags")
  static let progTags = U64(184, "prog_tags")
  static let runTimeNs = U64(192, "run_time_ns")
  static let runCount = U64(200, "run_cnt")
  static let recursionMisses = U64(208, "recursion_misses")
  static let verifiedInsns = U32(216, "verified_insns")
  static let attachBTFObjID = U32(220, "attach_btf_obj_id")
  static let attachBTFID = U32(224, "attach_btf_id")

  package static let layout = KernelLayout(
    cType: cType, name: "bpf_prog_info", size: 232,
    fields: [type.info, id.info, tag.info, jitedProgLen.info, xlatedProgLen.info,
             jitedProgInsns.info, xlatedProgInsns.info, loadTime.info, createdByUID.info,
             nrMapIDs.info, mapIDs.info, name.info, ifindex.info,
             KernelFieldInfo(cName: "gpl_compatible", offset: 84, size: 4, bit: (0, 1)),
             netnsDev.info, netnsIno.info, nrJitedKsyms.info, nrJitedFuncLens.info,
             jitedKsyms.info, jitedFuncLens.info, btfID.info, funcInfoRecSize.info,
             funcInfo.info, nrFuncInfo.info, nrLineInfo.info, lineInfo.info,
             jitedLineInfo.info, nrJitedLineInfo.info, lineInfoRecSize.info,
             jitedLineInfoRecSize.info, nrProgTags.info, progTags.info, runTimeNs.info,
             runCount.info, recursionMisses.info, verifiedInsns.info, attachBTFObjID.info,
             attachBTFID.info])
}

/// Kernel: `struct bpf_map_info`.
package enum MapInfoLayout {
  static let cType = "struct bpf_map_info"
  static let type = U32(0, "type")
  static let id = U32(4, "id")
  static let keySize = U32(8, "key_size")
  static let valueSize = U32(12, "value_size")
  static let maxEntries = U32(16, "max_entries")
  static let mapFlags = U32(20, "map_flags")
  static let name = KernelBytesField(24, count: 16, "name")
  static let ifindex = U32(40, "ifindex")
  static let btfVmlinuxValueTypeID = U32(44, "btf_vmlinux_value_type_id")
  static let netnsDev = U64(48, "netns_dev")
  static let netnsIno = U64(56, "netns_ino")
  static let btfID = U32(64, "btf_id")
  static let btfKeyTypeID = U32(68, "btf_key_type_id")
  static let btfValueTypeID = U32(72, "btf_value_type_id")
  static let btfVmlinuxID = U32(76, "btf_vmlinux_id")
  static let mapExtra = U64(80, "map_extra")

  /// Through `map_extra`; the later `hash` fields are not requested.
  package static let layout = KernelLayout(
    cType: cType, name: "bpf_map_info", size: mapExtra.end,
    fields: [type.info, id.info, keySize.info, valueSize.info, maxEntries.info,
             mapFlags.info, name.info, ifindex.info, btfVmlinuxValueTypeID.info,
             netnsDev.info, netnsIno.info, btfID.info, btfKeyTypeID.info,
             btfValueTypeID.info, btfVmlinuxID.info, mapExtra.info])
}

/// Kernel: `struct bpf_btf_info`.
package enum BTFInfoLayout {
  static let cType = "struct bpf_btf_info"
  static let btf = U64(0, "btf")
  static let btfSize = U32(8, "btf_size")
  static let id = U32(12, "id")
  static let name = U64(16, "name")
  static let nameLen = U32(24, "name_len")
  static let kernelBTF = U32(28, "kernel_btf")

  package static let layout = KernelLayout(
    cType: cType, name: "bpf_btf_info", size: kernelBTF.end,
    fields: [btf.info, btfSize.info, id.info, name.info, nameLen.info, kernelBTF.info])
}

/// Kernel: `struct bpf_link_info`: a header, then a union by link type.
package enum LinkInfoLayout {
  static let cType = "struct bpf_link_info"
  static let type = U32(0, "type")
  static let id = U32(4, "id")
  static let progID = U32(8, "prog_id")

  static let rawTPName = U64(16, "raw_tracepoint.tp_name")
  static let rawTPNameLen = U32(24, "raw_tracepoint.tp_name_len")
  static let rawTPCookie = U64(32, "raw_tracepoint.cookie")

  static let tracingAttachType = U32(16, "tracing.attach_type")
  static let tracingTargetObjID = U32(20, "tracing.target_obj_id")
  static let tracingTargetBTFID = U32(24, "tracing.target_btf_id")
  static let tracingCookie = U64(32, "tracing.cookie")

  static let cgroupID = U64(16, "cgroup.cgroup_id")
  static let cgroupAttachType = U32(24, "cgroup.attach_type")

  static let iterTargetName = U64(16, "iter.target_name")
  static let iterTargetNameLen = U32(24, "iter.target_name_len")
  static let iterMapID = U32(28, "iter.map.map_id")
  static let iterCgroupID = U64(32, "iter.cgroup.cgroup_id")
  static let iterCgroupOrder = U32(40, "iter.cgroup.order")
  static let iterTaskTID = U32(32, "iter.task.tid")
  static let iterTaskPID = U32(36, "iter.task.pid")

  static let netnsIno = U32(16, "netns.netns_ino")
  static let netnsAttachType = U32(20, "netns.attach_type")

  static let xdpIfindex = U32(16, "xdp.ifindex")
  static let structOpsMapID = U32(16, "struct_ops.map_id")

  static let netfilterPF = U32(16, "netfilter.pf")
  static let netfilterHooknum = U32(20, "netfilter.hooknum")
  static let netfilterPriority = S32(24, "netfilter.priority")
  static let netfilterFlags = U32(28, "netfilter.flags")

  static let kprobeMultiAddrs = U64(16, "kprobe_multi.addrs")
  static let kprobeMultiCount = U32(24, "kprobe_multi.count")
  static let kprobeMultiFlags = U32(28, "kprobe_multi.flags")
  static let kprobeMultiMissed = U64(32, "kprobe_multi.missed")
  static let kprobeMultiCookies = U64(40, "kprobe_multi.cookies")

  static let uprobeMultiPath = U64(16, "uprobe_multi.path")
  static let uprobeMultiOffsets = U64(24, "uprobe_multi.offsets")
  static let uprobeMultiRefCtrOffsets = U64(32, "uprobe_multi.ref_ctr_offsets")
  static let uprobeMultiCookies = U64(40, "uprobe_multi.cookies")
  static let uprobeMultiPathSize = U32(48, "uprobe_multi.path_size")
  static let uprobeMultiCount = U32(52, "uprobe_multi.count")
  static let uprobeMultiFlags = U32(56, "uprobe_multi.flags")
  static let uprobeMultiPID = U32(60, "uprobe_multi.pid")

  static let perfEventType = U32(16, "perf_event.type")
  static let perfUprobeFileName = U64(24, "perf_event.uprobe.file_name")
  static let perfUprobeNameLen = U32(32, "perf_event.uprobe.name_len")
  static let perfUprobeOffset = U32(36, "perf_event.uprobe.offset")
  static let perfUprobeCookie = U64(40, "perf_event.uprobe.cookie")
  static let perfUprobeRefCtrOffset = U64(48, "perf_event.uprobe.ref_ctr_offset")
  static let perfKprobeFuncName = U64(24, "perf_event.kprobe.func_name")
  static let perfKprobeNameLen = U32(32, "perf_event.kprobe.name_len")
  static let perfKprobeOffset = U32(36, "perf_event.kprobe.offset")
  static let perfKprobeAddr = U64(40, "perf_event.kprobe.addr")
  static let perfKprobeMissed = U64(48, "perf_event.kprobe.missed")
  static let perfKprobeCookie = U64(56, "perf_event.kprobe.cookie")
  static let perfTracepointName = U64(24, "perf_event.tracepoint.tp_name")
  static let perfTracepointNameLen = U32(32, "perf_event.tracepoint.name_len")
  static let perfTracepointCookie = U64(40, "perf_event.tracepoint.cookie")
  static let perfEventConfig = U64(24, "perf_event.event.config")
  static let perfEventEventType = U32(32, "perf_event.event.type")
  static let perfEventCookie = U64(40, "perf_event.event.cookie")

  static let tcxIfindex = U32(16, "tcx.ifindex")
  static let tcxAttachType = U32(20, "tcx.attach_type")
  static let netkitIfindex = U32(16, "netkit.ifindex")
  static let netkitAttachType = U32(20, "netkit.attach_type")
  static let sockmapMapID = U32(16, "sockmap.map_id")
  static let sockmapAttachType = U32(20, "sockmap.attach_type")

  package static let layout = KernelLayout(
    cType: cType, name: "bpf_link_info", size: 64,
    fields: [type.info, id.info, progID.info, rawTPName.info, rawTPNameLen.info,
             rawTPCookie.info, tracingAttachType.info, tracingTargetObjID.info,
             tracingTargetBTFID.info, tracingCookie.info, cgroupID.info,
             cgroupAttachType.info, iterTargetName.info, iterTargetNameLen.info,
             iterMapID.info, iterCgroupID.info, iterCgroupOrder.info, iterTaskTID.info,
             iterTaskPID.info, netnsIno.info, netnsAttachType.info, xdpIfindex.info,
             structOpsMapID.info, netfilterPF.info, netfilterHooknum.info,
             netfilterPriority.info, netfilterFlags.info, kprobeMultiAddrs.info,
             kprobeMultiCount.info, kprobeMultiFlags.info, kprobeMultiMissed.info,
             kprobeMultiCookies.info, uprobeMultiPath.info, uprobeMultiOffsets.info,
             uprobeMultiRefCtrOffsets.info, uprobeMultiCookies.info,
             uprobeMultiPathSize.info, uprobeMultiCount.info, uprobeMultiFlags.info,
             uprobeMultiPID.info, perfEventType.info, perfUprobeFileName.info,
             perfUprobeNameLen.info, perfUprobeOffset.info, perfUprobeCookie.info,
             perfUprobeRefCtrOffset.info, perfKprobeFuncName.info, perfKprobeNameLen.info,
             perfKprobeOffset.info, perfKprobeAddr.info, perfKprobeMissed.info,
             perfKprobeCookie.info, perfTracepointName.info, perfTracepointNameLen.info,
             perfTracepointCookie.info, perfEventConfig.info, perfEventEventType.info,
             perfEventCookie.info, tcxIfindex.info, tcxAttachType.info, netkitIfindex.info,
             netkitAttachType.info, sockmapMapID.info, sockmapAttachType.info])
}
