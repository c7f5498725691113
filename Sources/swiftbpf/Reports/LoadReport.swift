import SwiftBPF

/// What `swiftbpf load` prints: per program and per map, as the README's
/// JSON contract spells it.
struct LoadReport: Encodable {
  struct ProgramEntry: Encodable {
    var name: String
    var type: String
    var loaded: Bool
    var xlatedInstructions: Int?
    var jitedBytes: Int?
    var error: String?

    enum CodingKeys: String, CodingKey { case name, type, loaded, xlatedInstructions, jitedBytes, error }

    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(name, forKey: .name)
      try c.encode(type, forKey: .type)
      try c.encode(loaded, forKey: .loaded)
      try c.encode(xlatedInstructions, forKey: .xlatedInstructions)
      try c.encode(jitedBytes, forKey: .jitedBytes)
      try c.encode(error, forKey: .error)
    }
  }

  struct MapEntry: Encodable {
    var name: String
    var type: String
    var id: UInt32
  }

  var programs: [ProgramEntry]
  var maps: [MapEntry]
  /// Not part of the JSON: warnings shown in the text form.
  var warnings: [String] = []

  enum CodingKeys: String, CodingKey { case programs, maps }

  /// Loads the whole object; if that fails, each autoload program alone.
  /// The warnings are those the loader logged during the load reported
  /// (the whole one, or the last single program that loaded).
  static func make(path: String, options: OpenOptions) throws -> LoadReport {
    let collector = WarningCollector()
    var options = options
    options.logger = CLILogging.logger(collecting: collector)
    let opened = try Object.open(path: path, options: options)
    let wanted = opened.programs.filter(\.autoload)
    do {
      let loaded = try opened.load()
      defer { loaded.close() }
      // The load may add programs whose autoload is off (struct_ops
      // programs a created map uses) and drop some whose autoload is on.
      let reported = opened.programs.filter { $0.autoload || loaded.program(named: $0.name) != nil }
      return LoadReport(
        programs: reported.map { spec in entry(spec, loaded.program(named: spec.name), error: nil) },
        maps: loaded.maps.map(mapEntry), warnings: collector.take())
    } catch {
      var programs = [ProgramEntry]()
      var maps = [MapEntry]()
      var warnings = [String]()
      for spec in wanted {
        var single = opened
        for other in single.programs where other.name != spec.name {
          try single.withProgram(other.name) { $0.autoload = false }
        }
        _ = collector.take()
        do {
          let loaded = try single.load()
          defer { loaded.close() }
          programs.append(entry(spec, loaded.program(named: spec.name), error: nil))
          if maps.isEmpty { maps = loaded.maps.map(mapEntry) }
          warnings = collector.take()
        } catch let failure {
          programs.append(entry(spec, nil, error: String(describing: failure)))
        }
      }
      if programs.isEmpty { throw error }
      return LoadReport(programs: programs, maps: maps, warnings: warnings)
    }
  }

  static func entry(_ spec: Object.Program, _ loaded: LoadedObject.Program?, error: String?) -> ProgramEntry {
    let type = (spec.type ?? .unspec).kernelName
    guard let loaded else {
      return ProgramEntry(name: spec.name, type: type, loaded: false, error: error ?? "not loaded")
    }
    let info = try? loaded.info()
    return ProgramEntry(
      name: spec.name, type: type, loaded: true,
      xlatedInstructions: info.map { Int($0.translatedLength) / 8 }, jitedBytes: info.map { Int($0.jitedLength) },
      error: nil)
  }

  static func mapEntry(_ map: LoadedObject.Map) -> MapEntry {
    MapEntry(name: map.name, type: map.type.kernelName, id: (try? map.info().id) ?? 0)
  }

  var text: String {
    var out = "programs (\(programs.count)):\n"
    out += TextTable(
      header: ["NAME", "TYPE", "LOADED", "XLATED", "JITED"],
      rows: programs.map { p in
        [p.name, p.type, p.loaded ? "yes" : "no", p.xlatedInstructions.map(String.init) ?? "-",
         p.jitedBytes.map(String.init) ?? "-"]
      }).rendered
    for p in programs {
      if let error = p.error {
        out += "\n\(p.name): \(error.split(separator: "\n").joined(separator: "\n  "))\n"
      }
    }
    out += "\nmaps (\(maps.count)):\n"
    out += TextTable(header: ["NAME", "TYPE", "ID"], rows: maps.map { [$0.name, $0.type, String($0.id)] }).rendered
    for w in warnings { out += "\nwarning: \(w)\n" }
    return out
  }
}
