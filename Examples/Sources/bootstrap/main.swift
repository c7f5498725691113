// bootstrap: processes starting (exec) and exiting, with how long they ran.
//
//   sudo .build/debug/bootstrap [--min-duration MS] [--duration SECONDS]
//
// Shows the parts of a skeleton a real tool uses: a .rodata setting chosen
// before the load, a map resized before the load, and a ring buffer of
// typed records (`Event`, generated from `struct event` in bootstrap.h).
import ExampleSupport
import Glibc
import SwiftBPF

let options = ExampleOptions(
  usage: "bootstrap [--min-duration MS] [--duration SECONDS]", valueOptions: ["min-duration"])

do {
  var skeleton = try Bootstrap()

  // .rodata is fixed at load: the verifier then treats it as a constant.
  let minimumMilliseconds = options.value("min-duration").flatMap { UInt64($0) } ?? 0
  skeleton.rodata.minDurationNs = minimumMilliseconds * 1_000_000
  // Maps can be resized before they exist.
  skeleton.maps.execStart.maxEntries = 16_384

  let loaded = try skeleton.load()
  try loaded.attach()

  print("tracing exec and exit \(options.durationText)"
    + (minimumMilliseconds > 0 ? ", exits of processes older than \(minimumMilliseconds) ms" : ""))
  print(pad("EVENT", 6) + pad("COMM", 17) + pad("PID", 8) + pad("PPID", 8) + "DETAILS")

  // Records arrive as `Event` values, each checked against the C struct's size.
  let events = try loaded.rbEvents()
  try await runUntilStopped(for: options.duration) {
    for try await event in events {
      let details = event.exitEvent
        ? "exit code \(event.exitCode), ran \(event.durationNs / 1_000_000) ms"
        : event.filenameString
      print(pad(event.exitEvent ? "EXIT" : "EXEC", 6) + pad(event.commString, 17)
        + pad("\(event.pid)", 8) + pad("\(event.ppid)", 8) + details)
    }
  }
  loaded.detach()
} catch {
  fail(options.name, error)
}

/// `text` padded with spaces to `width` columns.
func pad(_ text: String, _ width: Int) -> String {
  text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
}
