// tc: count the packets an interface receives, with a tcx ingress program.
//
//   sudo .build/debug/tc INTERFACE [--duration SECONDS]
//
// tcx programs need an interface, which their SEC() name cannot carry: the
// program is attached by hand, and the link it returns is ours to close.
import ExampleSupport
import SwiftBPF

let options = ExampleOptions(usage: "tc INTERFACE [--duration SECONDS]")
guard let interface = options.positional.first else { fail(options.name, "which interface? (tc eth0)") }
let ifindex = interfaceIndex(interface, options: options)

do {
  let loaded = try Tc().load()
  guard let program = loaded.programs.countIngress else { fail(options.name, "count_ingress was not loaded") }
  // Ingress comes from the program's SEC("tcx/ingress"); other tcx programs
  // already on the interface keep running (this one returns TCX_NEXT).
  let link = try program.attach(to: .tcx(ifindex: ifindex))

  print("counting packets received on \(interface) \(options.durationText)")
  for second in Ticks(every: .seconds(1), for: options.duration) {
    let c = try loaded.bss.read()
    print("\(second) s: \(c.packets) packets, \(c.bytes) bytes (IPv4 \(c.ipv4), IPv6 \(c.ipv6), ARP \(c.arp))")
  }
  link.close()
} catch {
  fail(options.name, error)
}
