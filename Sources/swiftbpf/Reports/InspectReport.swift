import SwiftBPF

/// The `inspect` report. Its JSON form is a stable contract (README.md):
/// field names and meanings only ever gain optional members.
struct InspectReport: Encodable {
  struct ProgramEntry: Encodable {
    var name: String
    var section: String
    /// Kernel name (`BPF_PROG_TYPE_XDP`); nil when the SEC() name is unknown.
    var type: String?
    /// Kernel name (`BPF_TRACE_RAW_TP`); nil when the type needs none.
    var attachType: String?
    /// What the SEC() name says to attach to (`syscalls/sys_enter_openat`).
    var attachTarget: String?
    /// Size in 8-byte instruction slots, as the kernel counts.
    var instructions: Int
    var autoload: Bool
    var sleepable: Bool
    /// Why the section name is not understood (only when `type` is nil).
    var sectionError: String?

    enum CodingKeys: String, CodingKey {
      case name, section, type, attachType, attachTarget, instructions, autoload, sleepable, sectionError
    }

    // Written out so that absent values are `null`, not missing keys: the
    // contract's shape does not depend on the object.
    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(name, forKey: .name)
      try container.encode(section, forKey: .section)
      try container.encode(type, forKey: .type)
      try container.encode(attachType, forKey: .attachType)
      try container.encode(attachTarget, forKey: .attachTarget)
      try container.encode(instructions, forKey: .instructions)
      try container.encode(autoload, forKey: .autoload)
      try container.encode(sleepable, forKey: .sleepable)
      try container.encodeIfPresent(sectionError, forKey: .sectionError)
    }
  }

  struct MapEntry: Encodable {
    var name: String
    var type: String
    var keySize: UInt32
    var valueSize: UInt32
    var maxEntries: UInt32
    var flags: UInt32
    var pinning: String
    /// A ring buffer's `__type(value, T)`: T, whose size is not the map's
    /// value size (0 for the kernel). Absent for other maps.
    var recordType: RecordTypeEntry?
  }

  struct RecordTypeEntry: Encodable {
    var name: String
    var size: Int
  }

  struct DataSectionEntry: Encodable {
    var name: String
    var size: UInt64
    var readonly: Bool
  }

  struct ExternEntry: Encodable {
    var name: String
    /// `kconfig`, `ksym`, `kfunc` (or `variable` when there is no BTF).
    var kind: String
  }

  var license: String?
  var byteOrder: String

  enum CodingKeys: String, CodingKey {
    case license, byteOrder, programs, maps, dataSections, externs
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(license, forKey: .license)
    try container.encode(byteOrder, forKey: .byteOrder)
    try container.encode(programs, forKey: .programs)
    try container.encode(maps, forKey: .maps)
    try container.encode(dataSections, forKey: .dataSections)
    try container.encode(externs, forKey: .externs)
  }
  var programs: [ProgramEntry]
  var maps: [MapEntry]
  var dataSections: [DataSectionEntry]
  var externs: [ExternEntry]

  init(_ file: ObjectFile) {
    license = file.license
    byteOrder = file.byteOrder.rawValue
    programs = file.programs.compactMap { program in
      switch program.definition {
      case nil:
        nil  // a subprogram: `programs` holds none
      case .success(let section)?:
        ProgramEntry(
          name: program.name, section: program.sectionName,
          type: section.programType.kernelName,
          attachType: section.expectedAttachType?.kernelName,
          attachTarget: section.attachTarget == nil ? nil : section.targetText,
          instructions: program.slotCount, autoload: section.autoload,
          sleepable: section.isSleepable, sectionError: nil)
      case .failure(let unknown)?:
        ProgramEntry(
          name: program.name, section: program.sectionName, type: nil, attachType: nil,
          attachTarget: nil, instructions: program.slotCount,
          autoload: !program.sectionName.hasPrefix("?"), sleepable: false,
          sectionError: unknown.description)
      }
    }
    maps = file.maps.map { map in
      MapEntry(
        name: map.name, type: map.type.kernelName, keySize: map.keySize,
        valueSize: map.valueSize, maxEntries: map.maxEntries, flags: map.flags,
        pinning: map.pinning.description,
        recordType: map.recordType.map { RecordTypeEntry(name: $0.name, size: $0.size) })
    }
    dataSections = file.dataSections.map {
      DataSectionEntry(name: $0.name, size: $0.size, readonly: $0.isReadOnly)
    }
    externs = file.externs.map { ExternEntry(name: $0.name, kind: Self.kindName($0.kind)) }
  }

  static func kindName(_ kind: Extern.Kind) -> String {
    switch kind {
    case .kconfig: "kconfig"
    case .ksymVariable: "ksym"
    case .kfunc: "kfunc"
    case .unknownVariable: "variable"
    }
  }

  /// The human form: one block per kind of thing, aligned columns.
  var text: String {
    var out = "license: \(license ?? "(none)")\nbyte order: \(byteOrder)\n"
    out += "\nprograms (\(programs.count)):\n"
    out += TextTable(
      header: ["NAME", "SECTION", "TYPE", "ATTACH TYPE", "TARGET", "INSNS", "FLAGS"],
      rows: programs.map { p in
        var flags: [String] = []
        if !p.autoload { flags.append("no-autoload") }
        if p.sleepable { flags.append("sleepable") }
        return [
          p.name, p.section, p.type ?? "unknown section", p.attachType ?? "-",
          p.attachTarget ?? "-", String(p.instructions), flags.joined(separator: ","),
        ]
      }
    ).rendered
    for p in programs {
      if let error = p.sectionError { out += "  note: \(p.name): \(error)\n" }
    }
    out += "\nmaps (\(maps.count)):\n"
    out += TextTable(
      header: ["NAME", "TYPE", "KEY", "VALUE", "MAX", "FLAGS", "PINNING"],
      rows: maps.map {
        [$0.name, $0.type, String($0.keySize), String($0.valueSize), String($0.maxEntries),
         "0x" + String($0.flags, radix: 16), $0.pinning]
      }
    ).rendered
    out += "\ndata sections (\(dataSections.count)):\n"
    out += TextTable(
      header: ["NAME", "SIZE", "ACCESS"],
      rows: dataSections.map { [$0.name, String($0.size), $0.readonly ? "read-only" : "read-write"] }
    ).rendered
    out += "\nexterns (\(externs.count)):\n"
    out += TextTable(header: ["NAME", "KIND"], rows: externs.map { [$0.name, $0.kind] }).rendered
    return out
  }
}
