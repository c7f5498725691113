import UAPI

extension BPF {
  /// Information about a link.
  ///
  /// Names (raw tracepoint, iterator target, perf event) live behind a user
  /// pointer whose place in the union depends on the link type, so the kernel
  /// is asked twice: once for the type, once with a name buffer at the right place.
  public static func linkInfo(_ link: BorrowedFD) throws(SyscallError) -> LinkInfo {
    typealias L = LinkInfoLayout
    let type = try withInfo(link, L.layout) { i, n in
      (LinkType(rawValue: i.get(L.type, limit: n)), PerfEventLinkType(rawValue: i.get(L.perfEventType, limit: n)))
    }
    let nameFields: (pointer: U64, length: U32)?
    switch type.0 {
    case .rawTracepoint: nameFields = (L.rawTPName, L.rawTPNameLen)
    case .iter: nameFields = (L.iterTargetName, L.iterTargetNameLen)
    case .perfEvent:
      switch type.1 {
      case .uprobe, .uretprobe: nameFields = (L.perfUprobeFileName, L.perfUprobeNameLen)
      case .kprobe, .kretprobe: nameFields = (L.perfKprobeFuncName, L.perfKprobeNameLen)
      case .tracepoint: nameFields = (L.perfTracepointName, L.perfTracepointNameLen)
      default: nameFields = nil
      }
    default: nameFields = nil
    }
    return try AttrBuffer.with(size: 512) { (name) throws(SyscallError) -> LinkInfo in
      try withInfo(link, L.layout, prepare: { info in
        if let nameFields {
          info.set(nameFields.pointer, address: UnsafeRawPointer(name.base))
          info.set(nameFields.length, UInt32(name.size))
        }
      }) { i, n in
        let raw = UnsafeRawBufferPointer(start: name.base, count: name.size)
        let text = nameFields == nil ? "" : String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        return LinkInfo(
          type: LinkType(rawValue: i.get(L.type, limit: n)), id: i.get(L.id, limit: n),
          programID: i.get(L.progID, limit: n), details: linkDetails(i, n, name: text))
      }
    }
  }

  static func linkDetails(_ i: AttrBuffer, _ n: Int, name: String) -> LinkInfo.Details {
    typealias L = LinkInfoLayout
    func attach(_ f: U32) -> AttachType { AttachType(rawValue: i.get(f, limit: n)) }
    switch LinkType(rawValue: i.get(L.type, limit: n)) {
    case .rawTracepoint:
      return .rawTracepoint(name: name, cookie: i.get(L.rawTPCookie, limit: n))
    case .tracing:
      return .tracing(attachType: attach(L.tracingAttachType),
                      targetObjectID: i.get(L.tracingTargetObjID, limit: n),
                      targetBTFID: i.get(L.tracingTargetBTFID, limit: n),
                      cookie: i.get(L.tracingCookie, limit: n))
    case .cgroup:
      return .cgroup(cgroupID: i.get(L.cgroupID, limit: n), attachType: attach(L.cgroupAttachType))
    case .iter:
      return .iterator(targetName: name, mapID: i.get(L.iterMapID, limit: n))
    case .netns:
      return .netns(inode: i.get(L.netnsIno, limit: n), attachType: attach(L.netnsAttachType))
    case .xdp:
      return .xdp(ifindex: i.get(L.xdpIfindex, limit: n))
    case .structOps:
      return .structOps(mapID: i.get(L.structOpsMapID, limit: n))
    case .netfilter:
      return .netfilter(protocolFamily: i.get(L.netfilterPF, limit: n),
                        hook: i.get(L.netfilterHooknum, limit: n),
                        priority: i.get(L.netfilterPriority, limit: n),
                        flags: i.get(L.netfilterFlags, limit: n))
    case .kprobeMulti:
      return .kprobeMulti(count: i.get(L.kprobeMultiCount, limit: n),
                          flags: i.get(L.kprobeMultiFlags, limit: n),
                          missed: i.get(L.kprobeMultiMissed, limit: n))
    case .uprobeMulti:
      return .uprobeMulti(count: i.get(L.uprobeMultiCount, limit: n),
                          flags: i.get(L.uprobeMultiFlags, limit: n),
                          pid: i.get(L.uprobeMultiPID, limit: n))
    case .perfEvent:
      let type = i.get(L.perfEventType, limit: n)
      let cookie: UInt64
      switch PerfEventLinkType(rawValue: type) {
      case .uprobe, .uretprobe: cookie = i.get(L.perfUprobeCookie, limit: n)
      case .kprobe, .kretprobe: cookie = i.get(L.perfKprobeCookie, limit: n)
      case .tracepoint: cookie = i.get(L.perfTracepointCookie, limit: n)
      case .event: cookie = i.get(L.perfEventCookie, limit: n)
      default: cookie = 0
      }
      return .perfEvent(type: type, name: name, cookie: cookie)
    case .tcx:
      return .tcx(ifindex: i.get(L.tcxIfindex, limit: n), attachType: attach(L.tcxAttachType))
    case .netkit:
      return .netkit(ifindex: i.get(L.netkitIfindex, limit: n),
                     attachType: attach(L.netkitAttachType))
    case .sockmap:
      return .sockmap(mapID: i.get(L.sockmapMapID, limit: n),
                      attachType: attach(L.sockmapAttachType))
    default:
      return .other
    }
  }
}
