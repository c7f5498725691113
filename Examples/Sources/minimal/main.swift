// minimal: load a BPF program, attach it to a tracepoint, read a counter.
//
//   sudo .build/debug/minimal [--duration SECONDS]
//
// `Minimal` is generated at build time from minimal.bpf.c (SwiftBPFPlugin
// compiles it with clang and runs `swiftbpf gen skeleton`): the compiled
// object is embedded in it, with Swift types for its globals.
import ExampleSupport
import Glibc
import SwiftBPF

let options = ExampleOptions(usage: "minimal [--duration SECONDS]")

do {
  // Open: the object is parsed, nothing reaches the kernel yet.
  let skeleton = try Minimal()

  // Load: maps created (.bss is one), the program checked by the verifier.
  let loaded = try skeleton.load()

  // .bss is memory shared with the program: say which process to count.
  try loaded.bss.set(\.targetPid, to: getpid())

  // Attach every program whose SEC() name says where: here the tracepoint
  // syscalls/sys_enter_write.
  try loaded.attach()
  print("counting write() calls of process \(getpid()) \(options.durationText)")

  // Each line printed is itself a write(2), so the count grows by itself.
  for second in Ticks(every: .seconds(1), for: options.duration) {
    print("\(second) s: \(try loaded.bss.writes) write() calls")
  }

  // Links are also closed when `loaded` goes away; saying it is clearer.
  loaded.detach()
} catch {
  fail(options.name, error)
}
