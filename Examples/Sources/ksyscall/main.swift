// ksyscall: a probe on the kill(2) system call, by its generic name.
//
//   sudo .build/debug/ksyscall [--duration SECONDS]
//
// Once a second the example sends signal 0 (a liveness check) to itself.
// ksyscall probes are kprobes: kernels without CONFIG_KPROBES refuse the
// attach, and the example exits 1 with the loader's error.
import ExampleSupport
import Glibc
import SwiftBPF

let options = ExampleOptions(usage: "ksyscall [--duration SECONDS]")

do {
  let loaded = try Ksyscall().load()
  try loaded.attach()

  print("calling kill(\(getpid()), 0) once a second \(options.durationText)")
  for second in Ticks(every: .seconds(1), for: options.duration) {
    kill(getpid(), 0)
    let bss = try loaded.bss.read()
    print("\(second) s: kill entered \(bss.calls) times (last pid \(bss.lastPid), signal \(bss.lastSignal)), "
      + "returned \(bss.returns) times (last \(bss.lastResult))")
  }
  loaded.detach()
} catch {
  fail(options.name, error)
}
