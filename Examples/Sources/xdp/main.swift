// xdp: per-CPU packet counters and a drop list of IPv4 sources, in XDP.
//
//   sudo .build/debug/xdp INTERFACE [--drop IPV4]... [--duration SECONDS]
//
// Shows maps from Swift: the drop list (a hash map) is filled before the
// program sees any packet, and the counters (a per-CPU array) are read as
// one value per CPU and summed.
import ExampleSupport
import Glibc
import SwiftBPF

let options = ExampleOptions(usage: "xdp INTERFACE [--drop IPV4]... [--duration SECONDS]", valueOptions: ["drop"])
guard let interface = options.positional.first else { fail(options.name, "which interface? (xdp eth0)") }
let ifindex = interfaceIndex(interface, options: options)

/// An IPv4 address as the packet carries it (network byte order), which is
/// how the program looks it up.
func ipv4Key(_ text: String) -> UInt32 {
  var address = in_addr()
  guard inet_pton(AF_INET, text, &address) == 1 else { fail(options.name, "not an IPv4 address: \(text)") }
  return address.s_addr
}

do {
  let loaded = try Xdp().load()
  for address in options.values("drop") {
    try loaded.maps.dropList.update(ipv4Key(address), 0)  // value: packets dropped so far
  }
  guard let program = loaded.programs.xdpFilter else { fail(options.name, "xdp_filter was not loaded") }
  let link = try program.attach(to: .xdp(ifindex: ifindex))

  print("watching \(interface) \(options.durationText)"
    + (options.values("drop").isEmpty ? "" : ", dropping IPv4 from \(options.values("drop").joined(separator: ", "))"))
  for second in Ticks(every: .seconds(1), for: options.duration) {
    // One `Counters` per possible CPU: each CPU counted without contention.
    let passed = try loaded.maps.stats.lookup(0) ?? []
    let dropped = try loaded.maps.stats.lookup(1) ?? []
    print("\(second) s: passed \(passed.reduce(0) { $0 + $1.packets }) packets "
      + "(\(passed.reduce(0) { $0 + $1.bytes }) bytes), dropped \(dropped.reduce(0) { $0 + $1.packets })")
  }
  for (source, count) in try loaded.maps.dropList.lookupAll() {
    var address = in_addr(s_addr: source)
    var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
    inet_ntop(AF_INET, &address, &text, socklen_t(text.count))
    print("dropped from \(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)): \(count)")
  }
  link.close()
} catch {
  fail(options.name, error)
}
