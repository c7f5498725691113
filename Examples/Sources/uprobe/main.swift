// uprobe: probes on a function of this very program, at entry and return.
//
//   sudo .build/debug/uprobe [--duration SECONDS]
//
// The entry probe attaches by itself (its SEC() name says
// "uprobe//proc/self/exe:uprobed_add"); the return probe is attached by hand
// to show how: `program.attach(to: .uprobe(path:function:isReturn:))`.
import ExampleSupport
import Glibc
import SwiftBPF

/// The probed function. `@_cdecl` gives it the plain symbol `uprobed_add`
/// that the probe names; `@inline(never)` keeps the call from vanishing.
@_cdecl("uprobed_add") @inline(never)
func uprobedAdd(_ a: Int32, _ b: Int32) -> Int32 { a &+ b }

/// Swift calls `uprobedAdd` directly; `@_cdecl` adds a C entry point named
/// `uprobed_add` that calls it. The probes are on that entry point, so call
/// through it: a C function pointer to a `@_cdecl` function is its address.
let add: @convention(c) (Int32, Int32) -> Int32 = uprobedAdd

let options = ExampleOptions(usage: "uprobe [--duration SECONDS]")

do {
  let loaded = try Uprobe().load()
  try loaded.attach()  // add_entry, from its SEC() name

  // The return probe: this executable, by path, and the function's name.
  guard let addReturn = loaded.programs.addReturn else { fail(options.name, "add_return was not loaded") }
  let link = try addReturn.attach(to: .uprobe(path: "/proc/self/exe", function: "uprobed_add", isReturn: true))

  print("calling uprobed_add once a second \(options.durationText)")
  for second in Ticks(every: .seconds(1), for: options.duration) {
    let sum = add(Int32(second), 10)
    let bss = try loaded.bss.read()  // one consistent copy of all the globals
    print("uprobed_add(\(second), 10) = \(sum); entry probe: \(bss.entries) calls, last (\(bss.lastA), \(bss.lastB)); "
      + "return probe: \(bss.returns) returns, last \(bss.lastSum)")
  }
  link.close()
  loaded.detach()
} catch {
  fail(options.name, error)
}
