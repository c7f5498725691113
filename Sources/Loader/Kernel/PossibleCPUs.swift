/// `/sys/devices/system/cpu/possible`: `0-3`, `0,2-5`...
enum PossibleCPUs {
  static func read() -> String? {
    guard case .success(let text) = SystemFiles.text("/sys/devices/system/cpu/possible") else { return nil }
    return text
  }

  /// The number of CPUs a range list names; the kernel numbers them from 0,
  /// so this is the highest number plus one.
  static func count(from list: String) -> Int? {
    var highest = -1
    for part in list.split(whereSeparator: { $0 == "," || $0.isWhitespace }) {
      let bounds = part.split(separator: "-")
      guard let last = bounds.last.flatMap({ Int($0) }), bounds.count <= 2, last >= 0, last < 1 << 20 else {
        return nil
      }
      highest = max(highest, last)
    }
    return highest >= 0 ? highest + 1 : nil
  }
}
