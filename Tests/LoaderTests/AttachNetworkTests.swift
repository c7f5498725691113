import Foundation
import Glibc
import Loader
import Syscall
import Testing
import TestSupport
import UAPI

/// XDP, tcx, cgroup, netns (sk_lookup, flow_dissector), netfilter and
/// sockmap programs attached for real and triggered by traffic. Namespaces,
/// veth pairs and cgroups are created per test and removed after.
@Suite(.kernel, .serialized) struct AttachNetworkTests {
  @Test func xdpAndTCXRunOnVethTraffic() throws {
    let stats = try AttachKit.enableStats()
    defer { _ = stats }
    let net = try AttachKit.VethNamespace()
    defer { net.close() }
    let loaded = try AttachKit.load("sections.bpf.o", only: ["xdp_prog", "tcx_ingress", "tcx_egress"])
    let xdp = try AttachKit.program(loaded, "xdp_prog")
    let ingress = try AttachKit.program(loaded, "tcx_ingress")
    let egress = try AttachKit.program(loaded, "tcx_egress")
    #expect(try xdp.autoAttach() == nil, "XDP needs an interface: no auto-attach")
    let links = [
      try xdp.attach(to: .xdp(ifindex: net.outsideIndex)),
      try ingress.attach(to: .tcx(ifindex: net.outsideIndex)),
      try egress.attach(to: .tcx(ifindex: net.outsideIndex)),
    ]
    #expect(try links[0].info().details == .xdp(ifindex: net.outsideIndex))
    #expect(try links[1].info().details == .tcx(ifindex: net.outsideIndex, attachType: .tcxIngress))
    let query = try BPF.query(target: .ifindex(net.outsideIndex), attachType: .tcxEgress)
    #expect(query.programIDs == [try egress.info().id])
    let before = (try AttachKit.runCount(xdp), try AttachKit.runCount(ingress))
    try net.sendTraffic()
    #expect(try AttachKit.eventually { try AttachKit.runCount(xdp) > before.0 })
    #expect(try AttachKit.eventually { try AttachKit.runCount(ingress) > before.1 })
    for link in links { link.close() }
    #expect(try BPF.query(target: .ifindex(net.outsideIndex), attachType: .tcxEgress).programIDs.isEmpty)
  }

  @Test func xdpGenericModeAndBusyInterface() throws {
    let net = try AttachKit.VethNamespace()
    defer { net.close() }
    let loaded = try AttachKit.load("sections.bpf.o", only: ["xdp_prog", "xdp_frags"])
    let link = try AttachKit.program(loaded, "xdp_prog").attach(to: .xdp(ifindex: net.outsideIndex, mode: .generic))
    let second = try AttachKit.program(loaded, "xdp_frags")
    do throws(AttachError) {
      _ = try second.attach(to: .xdp(ifindex: net.outsideIndex, mode: .generic))
      Issue.record("two XDP links on one interface")
    } catch {
      guard case .syscall(let e, let program, _, _) = error else { Issue.record("\(error)"); return }
      #expect(program == "xdp_frags")
      #expect(e.errno == .EBUSY || e.errno == .EEXIST)
    }
    link.close()
  }

  @Test func cgroupProgramsRunForASocketInAChildCgroup() throws {
    let stats = try AttachKit.enableStats()
    defer { _ = stats }
    let names = ["cgroup_sock_create", "cgroup_post_bind4", "cgroup_bind4", "cgroup_connect4",
                 "cgroup_sendmsg4", "cgroup_recvmsg4", "cgroup_getsockopt", "cgroup_setsockopt",
                 "cgroup_sysctl", "cgroup_dev", "cgroup_skb_ingress", "cgroup_skb_egress"]
    let cgroup = try AttachKit.childCgroup()
    defer { rmdir(cgroup) }
    let loaded = try AttachKit.load("sections.bpf.o", only: Set(names))
    var links: [Link] = []
    for name in names {
      let program = try AttachKit.program(loaded, name)
      #expect(try program.autoAttach() == nil, "cgroup programs need a cgroup: no auto-attach")
      links.append(try program.attach(to: .cgroup(path: cgroup)))
    }
    let info = try links[0].info()
    guard case .cgroup(_, let attachType) = info.details else { Issue.record("\(info)"); return }
    #expect(attachType == .cgroupInetSockCreate)
    let before = try names.map { try AttachKit.runCount(AttachKit.program(loaded, $0)) }
    let run = try runProcess(AttachKit.netClient, ["--cgroup", cgroup, "echo", "udp", "127.0.0.1", "9", "sysctl", "dev"])
    #expect(run.status == 0, "\(run.stderr)")
    for (i, name) in names.enumerated() {
      let after = try AttachKit.runCount(AttachKit.program(loaded, name))
      #expect(after > before[i], "\(name) did not run")
    }
    for link in links { link.close() }
  }

  @Test func cgroupDeviceAttachByDescriptor() throws {
    let cgroup = try AttachKit.childCgroup()
    defer { rmdir(cgroup) }
    let fd = open(cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    try #require(fd >= 0)
    defer { close(fd) }
    let loaded = try AttachKit.load("sections.bpf.o", only: ["cgroup_skb_any"])
    let program = try AttachKit.program(loaded, "cgroup_skb_any")
    do throws(AttachError) {
      _ = try program.attach(to: .cgroupFD(BorrowedFD(fd)))
      Issue.record("cgroup/skb has no attach type; it must be given")
    } catch {
      guard case .invalidRequest = error else { Issue.record("\(error)"); return }
    }
    let link = try program.attach(to: .cgroupFD(BorrowedFD(fd), attachType: .cgroupInetEgress))
    #expect(try BPF.query(target: .fd(BorrowedFD(fd)), attachType: .cgroupInetEgress).programIDs == [try program.info().id])
    link.close()
  }

  @Test func skLookupAndFlowDissectorOnANamespace() throws {
    let stats = try AttachKit.enableStats()
    defer { _ = stats }
    let net = try AttachKit.VethNamespace()
    defer { net.close() }
    let loaded = try AttachKit.load("sections.bpf.o", only: ["sk_lookup_prog", "flow_dissector_prog"])
    let lookup = try AttachKit.program(loaded, "sk_lookup_prog")
    let dissector = try AttachKit.program(loaded, "flow_dissector_prog")
    let a = try lookup.attach(to: .networkNamespace(path: net.path))
    let b = try dissector.attach(to: .networkNamespace(path: net.path))
    for link in [a, b] {
      guard case .netns(let inode, _) = try link.info().details else { Issue.record("not a netns link"); continue }
      var st = stat()
      #expect(stat(net.path, &st) == 0)
      #expect(UInt64(inode) == UInt64(st.st_ino))
    }
    let before = try AttachKit.runCount(lookup)
    let dissectorBefore = try AttachKit.runCount(dissector)
    // RPS on the namespace's loopback makes every received packet hashed,
    // through the flow dissector (`ip netns exec` mounts that namespace's sysfs).
    try AttachKit.run(net.ip, ["netns", "exec", net.name, "/bin/sh", "-c",
                               "echo 1 > /sys/class/net/lo/queues/rx-0/rps_cpus"])
    #expect(try net.client(["tcp", "127.0.0.1", "1", "echo"]) == 0)
    #expect(try AttachKit.eventually { try AttachKit.runCount(dissector) > dissectorBefore },
            "the flow dissector ran for packets received on lo")
    #expect(try AttachKit.eventually { try AttachKit.runCount(lookup) > before }, "sk_lookup ran for the SYN")
    _ = (a, b)
  }

  @Test func netfilterRunsOnLocalIn() throws {
    let stats = try AttachKit.enableStats()
    defer { _ = stats }
    let loaded = try AttachKit.load("sections.bpf.o", only: ["netfilter_prog"])
    let program = try AttachKit.program(loaded, "netfilter_prog")
    // Kernel: NFPROTO_IPV4 = 2, NF_INET_LOCAL_IN = 1.
    let link = try program.attach(to: .netfilter(protocolFamily: 2, hook: 1, priority: -90))
    #expect(try link.info().details == .netfilter(protocolFamily: 2, hook: 1, priority: -90, flags: 0))
    let before = try AttachKit.runCount(program)
    #expect(try runProcess(AttachKit.netClient, ["echo"]).status == 0)
    #expect(try AttachKit.runCount(program) > before)
    link.close()
  }

  /// sk_msg on the sending socket and sk_skb stream verdict on the
  /// receiving one, both in sockmaps, over a loopback TCP connection.
  @Test func sockMapProgramsRunOnTCPData() throws {
    let stats = try AttachKit.enableStats()
    defer { _ = stats }
    let loaded = try AttachKit.load("sections.bpf.o", only: ["sk_msg_prog", "sk_skb_verdict"])
    let msg = try AttachKit.program(loaded, "sk_msg_prog")
    let verdict = try AttachKit.program(loaded, "sk_skb_verdict")
    let sending = LoadedObject.Map.adopting(
      try BPF.createMap(MapCreateAttributes(type: .sockmap, keySize: 4, valueSize: 4, maxEntries: 1)),
      name: "sending", type: .sockmap)
    let receiving = LoadedObject.Map.adopting(
      try BPF.createMap(MapCreateAttributes(type: .sockmap, keySize: 4, valueSize: 4, maxEntries: 1)),
      name: "receiving", type: .sockmap)
    let links = [try msg.attach(to: .sockMap(sending)), try verdict.attach(to: .sockMap(receiving))]
    #expect(try links[0].info().type == .sockmap || !links[0].isBPFLink)

    let (client, server) = try Self.tcpPair()
    defer { close(client); close(server) }
    try sending.withFD { try Self.put(client, in: $0) }
    try receiving.withFD { try Self.put(server, in: $0) }
    let before = (try AttachKit.runCount(msg), try AttachKit.runCount(verdict))
    let sent = "hello".withCString { send(client, $0, 5, 0) }
    #expect(sent == 5)
    var buffer = [UInt8](repeating: 0, count: 16)
    var pfd = pollfd(fd: server, events: Int16(POLLIN), revents: 0)
    #expect(poll(&pfd, 1, 2000) == 1)
    #expect(recv(server, &buffer, 16, 0) == 5)
    #expect(try AttachKit.runCount(msg) > before.0)
    #expect(try AttachKit.runCount(verdict) > before.1)
    for link in links { link.close() }
  }

  static func put(_ socket: Int32, in map: BorrowedFD) throws {
    var key: UInt32 = 0
    var value = UInt32(bitPattern: socket)
    try withUnsafePointer(to: &key) { k in
      try withUnsafePointer(to: &value) { v in try BPF.update(map: map, key: k, value: v, flags: .any) }
    }
  }

  static func tcpPair() throws -> (Int32, Int32) {
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    try #require(listener >= 0)
    defer { close(listener) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    try withUnsafeMutablePointer(to: &address) { pointer in
      try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
        try #require(bind(listener, sa, length) == 0)
        try #require(getsockname(listener, sa, &length) == 0)
      }
    }
    try #require(listen(listener, 1) == 0)
    let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    try withUnsafePointer(to: &address) { pointer in
      try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
        try #require(connect(client, sa, length) == 0)
      }
    }
    let server = accept(listener, nil, nil)
    try #require(server >= 0)
    return (client, server)
  }
}
