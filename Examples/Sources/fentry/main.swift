// fentry: fentry and fexit programs on the kernel's do_unlinkat.
//
//   sudo .build/debug/fentry [--duration SECONDS]
//
// Once a second the example removes a file of its own, which the programs
// see. Kernels that refuse BPF trampolines (lockdown, no ftrace) refuse the
// load; the loader's error says so and the example exits 1.
import ExampleSupport
import Glibc
import SwiftBPF

let options = ExampleOptions(usage: "fentry [--duration SECONDS]")

do {
  let loaded = try Fentry().load()
  // fentry/fexit attach to the function named at load (attach_btf_id).
  try loaded.attach()

  print("removing a file once a second \(options.durationText)")
  let path = "/tmp/swiftbpf-fentry-\(getpid())"
  for second in Ticks(every: .seconds(1), for: options.duration) {
    close(open(path, O_CREAT | O_WRONLY, 0o600))
    unlink(path)
    let bss = try loaded.bss.read()
    print("\(second) s: do_unlinkat entered \(bss.entries) times, returned \(bss.exits) times; "
      + "last \"\(bss.lastNameString)\" -> \(bss.lastResult)")
  }
  loaded.detach()
} catch {
  fail(options.name, error)
}
