import ArgumentParser
import Dispatch
import Glibc
import Synchronization
import SwiftBPF

/// `swiftbpf run OBJ [--duration SECONDS] [--event-type NAME] [--maps] [--pin DIR] [--verbose]`:
/// load the object, auto-attach every program whose SEC() name says where,
/// and print the events of its ring buffers and perf buffers until Ctrl-C or
/// the duration ends; with `--maps`, print the object's maps and their
/// entries; then detach and exit 0.
struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Load a BPF object, attach its programs and print their events.",
    discussion: """
      Events are printed one per line, prefixed by the map they came from: as hex bytes, or \
      field by field with --event-type NAME (a struct in the object's BTF). Attach progress \
      and lost samples go to stderr, and with --verbose the loader's log. Ctrl-C (or the end \
      of --duration) detaches and exits 0. With --maps, each map the object declares \
      (not its data sections) is printed when the run ends, with its entries decoded from \
      the object's BTF; ring and perf buffers by name only.
      """)

  @Argument(help: "A BPF ELF object built by clang (-target bpf -g).")
  var object: String

  @Option(name: .long, help: "Stop after this many seconds (default: until Ctrl-C).")
  var duration: Double?

  @Option(name: .long, help: """
    Decode each event as this struct from the object's BTF (default: a ring buffer's \
    declared record type, __type(value, struct ...), else hex).
    """)
  var eventType: String?

  @Option(name: .long, help: "Target BTF for CO-RE instead of the running kernel's.")
  var targetBtf: String?

  @Flag(name: .long, help: "When the run ends, print each map the object declares with its entries.")
  var maps = false

  @Option(name: .long, help: "Pin root for maps with pinning by name (default /sys/fs/bpf).")
  var pin: String?

  @OptionGroup var logging: LoggingOptions

  func validate() throws {
    if let duration, !(duration > 0) { throw ValidationError("--duration must be a positive number of seconds") }
  }

  func run() throws {
    logging.apply()
    do {
      try session()
    } catch let exit as ExitCode {
      throw exit
    } catch {
      throw ExitCode(CommandOutput.report(error, json: false))
    }
  }

  private func session() throws {
    let stop = StopSignal()
    // OpenOptions' default logger goes to the backend bootstrapped in main:
    // silent, or everything on stderr with --verbose.
    var options = OpenOptions(targetBTFPath: targetBtf)
    if let pin { options.pinRoot = pin }
    let opened = try Object.open(path: object, options: options)
    let objectBTF = try opened.file.btf.map { try BTF(bytes: $0) }
    let decoder = try eventType.map { name throws -> EventDecoder in
      guard let objectBTF else { throw BTFFileError.noBTF(object) }
      return try EventDecoder(btf: objectBTF, structName: name, order: opened.file.byteOrder)
    }
    let loaded = try opened.load()
    defer { loaded.close() }

    // Attach what the section names allow; report the rest and go on.
    let specs = loaded.usdtSpecTable()
    var links: [Link] = []
    var failures = 0
    for program in loaded.programs {
      do throws(AttachError) {
        if let link = try program.autoAttach(usdtSpecs: specs) {
          links.append(link)
          log("attached \(program.name) (\(program.sectionName)) to \(link.target)")
        } else {
          log("not attached: \(program.name) (\(program.sectionName)): its section name gives nothing to attach to")
        }
      } catch {
        failures += 1
        log("swiftbpf: \(program.name): \(error)")
      }
    }
    defer {
      for link in links { link.close() }
      if !links.isEmpty { log("detached \(links.count) link\(links.count == 1 ? "" : "s")") }
    }

    // Every ring buffer and perf buffer on one poller.
    let poller = try EventPoller()
    var sourceNames: [String] = []
    // Per source: --event-type, else the ring buffer's declared record type.
    var decoders: [EventDecoder?] = []
    var buffers: [() -> Void] = []
    defer { for close in buffers { close() } }
    for map in loaded.maps {
      switch map.type {
      case .ringbuf:
        let ring = try RingBuffer(map: map)
        buffers.append(ring.close)
        try poller.add(ring)
        sourceNames.append(map.name)
        decoders.append(decoder ?? map.recordType.flatMap { declared in
          objectBTF.map { EventDecoder(btf: $0, type: declared.typeID, order: opened.file.byteOrder) }
        })
      case .perfEventArray:
        let perf = try PerfBuffer(map: map)
        buffers.append(perf.close)
        try poller.add(perf)
        sourceNames.append(map.name)
        decoders.append(decoder)
      default:
        continue
      }
    }
    if sourceNames.isEmpty { log("no ring buffer or perf buffer: nothing to print") }
    log("running" + (duration.map { " for \($0) s" } ?? "") + "; Ctrl-C to stop")

    let deadline = duration.map { ContinuousClock.now + .milliseconds(Int64($0 * 1000)) }
    while !stop.isRequested {
      if let deadline, ContinuousClock.now >= deadline { break }
      let printed = try poller.poll(timeout: .milliseconds(100)) { source, record in
        let name = sourceNames.indices.contains(source) ? sourceNames[source] : "?"
        record.withUnsafeBytes { bytes in
          let sourceDecoder = decoders.indices.contains(source) ? decoders[source] : decoder
          print("\(name): " + (sourceDecoder?.format(bytes) ?? hex(bytes)))
        }
      } onLost: { source, cpu, count in
        let name = sourceNames.indices.contains(source) ? sourceNames[source] : "?"
        log("\(name): lost \(count) samples on CPU \(cpu)")
      }
      // Events reach a pipe as they happen, not when the buffer fills.
      if printed > 0 { fflush(nil) }
    }
    if maps { printMaps(loaded) }
    if failures > 0 { throw ExitCode(1) }
  }

  /// The object's own maps (data sections are variables, not tables), read
  /// while the programs are still attached. A map that cannot be read is
  /// reported under its name and the others still print.
  private func printMaps(_ loaded: LoadedObject) {
    for map in loaded.maps where map.sectionName == nil {
      guard MapContents.isDumpable(map.type) else {
        let id = (try? map.info().id).map { "id \($0), " } ?? ""
        print("map '\(map.name)' (\(id)\(map.type.kernelName))")
        continue
      }
      do {
        let contents = try map.withFD { fd in try MapContents.read(fd, name: map.name) }
        print(MapDumpReport(contents: contents).text, terminator: "")
      } catch {
        print("map '\(map.name)' (\(map.type.kernelName)): cannot read its entries: \(error)")
      }
    }
    fflush(nil)
  }

  private func log(_ line: String) {
    CommandOutput.printError(line)
  }
}

/// Ctrl-C and SIGTERM ask the run loop to stop (it checks between polls), so
/// links and buffers are released by the normal path, not by the signal.
final class StopSignal {
  private final class Flag: Sendable {
    let requested = Atomic<Bool>(false)
  }

  private let flag = Flag()
  private let sources: [any DispatchSourceSignal]

  init() {
    var sources: [any DispatchSourceSignal] = []
    for number in [SIGINT, SIGTERM] {
      // Dispatch delivers the signal once the default action is off.
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler { [flag] in flag.requested.store(true, ordering: .releasing) }
      source.resume()
      sources.append(source)
    }
    self.sources = sources
  }

  deinit {
    for source in sources { source.cancel() }
  }

  var isRequested: Bool { flag.requested.load(ordering: .acquiring) }
}
