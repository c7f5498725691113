import SwiftBPF

/// Our side of the C-dump benchmark: the BTF module's C header dumper.
///
/// The dumper lands from branch `cdump`; until then `render` returns nil and
/// the dump rows print "n/a" for our side.
enum OurCDump {
  static var isAvailable: Bool { false }

  /// The whole BTF as one C header, or nil when there is no dumper yet.
  static func render(_ btf: BTF) throws -> String? {
    nil
  }
}
