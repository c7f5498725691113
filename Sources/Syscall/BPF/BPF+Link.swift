import UAPI

extension BPF {
  /// Attaches through a link; closing the returned descriptor detaches
  /// (unless the link is pinned).
  ///
  /// Kernel: `BPF_LINK_CREATE`.
  public static func createLink(_ a: LinkCreateAttributes) throws(SyscallError) -> OwnedFD {
    typealias L = BPFAttr.LinkCreate
    let command = BPFCommand.linkCreate
    return try AttrBuffer.with(size: L.layout.size) { (attr) throws(SyscallError) -> OwnedFD in
      var scratch = Scratch()
      var flags = a.flags
      attr.set(L.progFD, fd(a.program))
      attr.set(L.targetFD, a.target.raw)
      attr.set(L.attachType, a.attachType.rawValue)
      switch a.details {
      case .none:
        break
      case .targetBTFID(let id):
        attr.set(L.targetBTFID, id)
      case .iterator(let info):
        attr.set(L.iterInfo, scratch.copy(info))
        attr.set(L.iterInfoLen, try u32(info.count, "iter info size", command))
      case .perfEvent(let cookie):
        attr.set(L.perfEventCookie, cookie)
      case .kprobeMulti(let kflags, let symbols, let addresses, let cookies):
        let count = symbols.isEmpty ? addresses.count : symbols.count
        if !symbols.isEmpty, !addresses.isEmpty {
          throw .invalidArgument(.bpf(command), reason: "kprobe.multi takes symbols or addresses, not both")
        }
        if !cookies.isEmpty, cookies.count != count {
          throw .invalidArgument(.bpf(command),
            reason: "kprobe.multi has \(count) targets but \(cookies.count) cookies")
        }
        attr.set(L.kprobeMultiFlags, kflags)
        attr.set(L.kprobeMultiCount, try u32(count, "kprobe.multi count", command))
        attr.set(L.kprobeMultiSyms, scratch.cStringArray(symbols))
        attr.set(L.kprobeMultiAddrs, scratch.copy(addresses))
        attr.set(L.kprobeMultiCookies, scratch.copy(cookies))
      case .tracing(let id, let cookie):
        attr.set(L.tracingTargetBTFID, id)
        attr.set(L.tracingCookie, cookie)
      case .netfilter(let pf, let hook, let priority, let nfFlags):
        attr.set(L.netfilterPF, pf)
        attr.set(L.netfilterHooknum, hook)
        attr.set(L.netfilterPriority, priority)
        attr.set(L.netfilterFlags, nfFlags)
      case .tcx(let relative, let revision):
        attr.set(L.tcxRelativeFD, relative.raw)
        attr.set(L.tcxExpectedRevision, revision)
        flags |= relative.impliedFlags.rawValue
      case .uprobeMulti(let path, let offsets, let refs, let cookies, let uflags, let pid):
        for (name, list) in [("ref_ctr_offsets", refs), ("cookies", cookies)]
        where !list.isEmpty && list.count != offsets.count {
          throw .invalidArgument(.bpf(command),
            reason: "uprobe.multi has \(offsets.count) offsets but \(list.count) \(name)")
        }
        attr.set(L.uprobeMultiPath, scratch.cString(path))
        attr.set(L.uprobeMultiOffsets, scratch.copy(offsets))
        attr.set(L.uprobeMultiRefCtrOffsets, scratch.copy(refs))
        attr.set(L.uprobeMultiCookies, scratch.copy(cookies))
        attr.set(L.uprobeMultiCount, try u32(offsets.count, "uprobe.multi count", command))
        attr.set(L.uprobeMultiFlags, uflags)
        attr.set(L.uprobeMultiPID, pid)
      case .netkit(let relative, let revision):
        attr.set(L.netkitRelativeFD, relative.raw)
        attr.set(L.netkitExpectedRevision, revision)
        flags |= relative.impliedFlags.rawValue
      case .cgroup(let relative, let revision):
        attr.set(L.cgroupRelativeFD, relative.raw)
        attr.set(L.cgroupExpectedRevision, revision)
        flags |= relative.impliedFlags.rawValue
      }
      attr.set(L.flags, flags)
      return try callReturningFD(command, attr)
    }
  }

  /// Replaces the program of a link (with `oldProgram`: only if it is still that one).
  ///
  /// Kernel: `BPF_LINK_UPDATE`; `BPF_F_REPLACE` is set when `oldProgram` is given.
  public static func updateLink(
    _ link: BorrowedFD, newProgram: BorrowedFD, oldProgram: BorrowedFD? = nil
  ) throws(SyscallError) {
    typealias L = BPFAttr.LinkUpdate
    try AttrBuffer.with(size: L.layout.size) { (attr) throws(SyscallError) in
      attr.set(L.linkFD, fd(link))
      attr.set(L.newProgFD, fd(newProgram))
      if let oldProgram {
        attr.set(L.flags, AttachFlags.replace.rawValue)
        attr.set(L.oldProgFD, fd(oldProgram))
      }
      _ = try call(.linkUpdate, attr)
    }
  }

  /// Detaches a link's program while the link fd stays open (it becomes defunct).
  ///
  /// Kernel: `BPF_LINK_DETACH`; Linux 5.9.
  public static func detachLink(_ link: BorrowedFD) throws(SyscallError) {
    typealias L = BPFAttr.LinkDetach
    try AttrBuffer.with(size: L.layout.size) { (attr) throws(SyscallError) in
      attr.set(L.linkFD, fd(link))
      _ = try call(.linkDetach, attr)
    }
  }

  /// Opens a new iteration of an iterator link; read it like a file.
  ///
  /// Kernel: `BPF_ITER_CREATE`; Linux 5.8.
  public static func createIterator(link: BorrowedFD) throws(SyscallError) -> OwnedFD {
    typealias L = BPFAttr.IterCreate
    return try AttrBuffer.with(size: L.layout.size) { (attr) throws(SyscallError) -> OwnedFD in
      attr.set(L.linkFD, fd(link))
      return try callReturningFD(.iterCreate, attr)
    }
  }

  /// Attaches a raw tracepoint (or, with a nil name, a tracing/LSM program at
  /// its load-time target) and returns the link.
  ///
  /// Kernel: `BPF_RAW_TRACEPOINT_OPEN`; `cookie` needs Linux 6.10.
  public static func openRawTracepoint(
    name: String?, program: BorrowedFD, cookie: UInt64 = 0
  ) throws(SyscallError) -> OwnedFD {
    typealias L = BPFAttr.RawTracepoint
    return try AttrBuffer.with(size: L.layout.size) { (attr) throws(SyscallError) -> OwnedFD in
      var scratch = Scratch()
      if let name { attr.set(L.name, scratch.cString(name)) }
      attr.set(L.progFD, fd(program))
      attr.set(L.cookie, cookie)
      return try callReturningFD(.rawTracepointOpen, attr)
    }
  }
}
