// usdt: a USDT probe in this program (the USDTSite target), traced by BPF.
//
//   sudo .build/debug/usdt [--duration SECONDS]
//
// USDT probes are markers compiled into a program; the loader finds them in
// the executable's .note.stapsdt section, tells the BPF side where each
// argument lives, and places a uprobe on each site.
import ExampleSupport
import SwiftBPF
import USDTSite

let options = ExampleOptions(usage: "usdt [--duration SECONDS]")

do {
  let loaded = try Usdt().load()
  // on_example_tick's SEC("usdt//proc/self/exe:swiftbpf_example:tick") says where.
  try loaded.attach()

  print("firing swiftbpf_example:tick once a second \(options.durationText)")
  for second in Ticks(every: .seconds(1), for: options.duration) {
    usdt_site_tick(second, Int32(1000 + second))
    let bss = try loaded.bss.read()
    print("fired tick(\(second), \(1000 + second)); BPF saw \(bss.ticks) ticks, "
      + "last counter \(bss.lastCounter), last value \(bss.lastValue)")
  }
  loaded.detach()
} catch {
  fail(options.name, error)
}
