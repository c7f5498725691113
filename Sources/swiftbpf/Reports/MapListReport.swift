import SwiftBPF

/// What `map list` prints: every map in the kernel, by id.
struct MapListReport {
  struct Entry: Encodable {
    var id: UInt32
    var type: String
    var name: String
    var keySize: UInt32
    var valueSize: UInt32
    var maxEntries: UInt32
    var flags: UInt32
  }

  var maps: [Entry]

  init(_ infos: [MapInfo]) {
    maps = infos.map {
      Entry(id: $0.id, type: $0.type.kernelName, name: $0.name, keySize: $0.keySize,
            valueSize: $0.valueSize, maxEntries: $0.maxEntries, flags: $0.flags.rawValue)
    }
  }

  var text: String {
    "maps (\(maps.count)):\n" + TextTable(
      header: ["ID", "TYPE", "NAME", "KEY", "VALUE", "MAX ENTRIES", "FLAGS"],
      rows: maps.map { m in
        [String(m.id), m.type, m.name.isEmpty ? "-" : m.name, String(m.keySize), String(m.valueSize),
         String(m.maxEntries), "0x" + String(m.flags, radix: 16)]
      }).rendered
  }
}
