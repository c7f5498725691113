/// A dynamic PMU of `/sys/bus/event_source/devices/<name>`: its type number
/// and where its format puts the `retprobe` bit and `ref_ctr_offset`.
///
/// Kernel: the `uprobe` and `kprobe` PMUs (4.17); `format/retprobe` reads
/// `config:0`, `format/ref_ctr_offset` `config:32-63` (5.5).
struct DynamicPMU {
  let name: String
  let type: UInt32
  let retprobeBit: UInt64?
  let referenceCounterShift: UInt64?

  static let root = "/sys/bus/event_source/devices"

  /// The PMU, or nil when the kernel has none of that name.
  static func named(_ name: String) -> DynamicPMU? {
    guard case .success(let text) = SystemFiles.text("\(root)/\(name)/type"),
      let type = UInt32(text.trimmed)
    else { return nil }
    return DynamicPMU(name: name, type: type,
                      retprobeBit: formatBit("\(root)/\(name)/format/retprobe"),
                      referenceCounterShift: formatBit("\(root)/\(name)/format/ref_ctr_offset"))
  }

  /// The first bit of a `config:N` or `config:N-M` format file.
  static func formatBit(_ path: String) -> UInt64? {
    guard case .success(let text) = SystemFiles.text(path) else { return nil }
    let t = text.trimmed
    guard t.hasPrefix("config:") else { return nil }
    let range = t.dropFirst("config:".count).split(separator: "-")
    guard let first = range.first, let bit = UInt64(first), bit < 64 else { return nil }
    return bit
  }
}
