#if canImport(Glibc)
import Glibc
#endif

/// A table of ours-vs-libbpf rows plus notes, printed at the end of a run.
///
/// Ratios are ours / libbpf: below 1 means we are faster or smaller.
struct Report {
  var title: String
  var notes: [String] = []
  private var rows: [[String]] = []

  init(title: String) { self.title = title }

  /// A median row and a min row; `target` is the highest acceptable ratio of
  /// medians, `aim` the one hoped for.
  mutating func addTime(_ what: String, ours: Timing?, libbpf: Timing?, target: Double? = nil, aim: Double? = nil) {
    let n = (ours ?? libbpf)?.samples.count ?? 0
    addRow(what, "time, median of \(n)", ours?.median, libbpf?.median, Report.milliseconds, target, aim)
    addRow("", "time, min", ours?.minimum, libbpf?.minimum, Report.milliseconds, nil, nil)
  }

  /// A rate row of ours alone against an absolute floor (`≥ atLeast`
  /// million events/s), from the median time of `events` events.
  mutating func addRate(_ what: String, events: Int, ours: Timing, atLeast: Double) {
    let rate = Double(events) / (ours.median / 1e9) / 1e6
    let verdict = "≥ \(Report.fixed(atLeast, 0))M events/s" + (rate >= atLeast ? ": met" : ": MISSED")
    rows.append([what, "events/s, median of \(ours.samples.count)", Report.fixed(rate, 1) + "M", "n/a", "-", verdict])
  }

  mutating func addMemory(_ what: String, ours: Int?, libbpf: Int?, target: Double? = nil) {
    addRow(what, "peak memory", ours.map { Double($0) }, libbpf.map { Double($0) },
           { Report.megabytes(Int($0)) }, target, nil)
  }

  private mutating func addRow(
    _ what: String, _ metric: String, _ ours: Double?, _ libbpf: Double?,
    _ format: (Double) -> String, _ target: Double?, _ aim: Double?
  ) {
    var ratio = "-"
    var verdict = ""
    if let ours, let libbpf, libbpf > 0 {
      let r = ours / libbpf
      ratio = Report.fixed(r, 3)
      if let target {
        verdict = "≤ \(Report.fixed(target, 2))" + (aim.map { " (aim \(Report.fixed($0, 2)))" } ?? "")
        verdict += r <= target ? ((aim.map { r <= $0 } ?? false) ? ": aim met" : ": met") : ": MISSED"
      }
    }
    rows.append([what, metric, ours.map(format) ?? "n/a", libbpf.map(format) ?? "n/a", ratio, verdict])
  }

  func render() -> String {
    let header = ["benchmark", "measure", "ours", "libbpf", "ours/libbpf", "target"]
    let all = [header] + rows
    var widths = [Int](repeating: 0, count: header.count)
    for row in all { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
    func line(_ row: [String]) -> String {
      row.enumerated().map { i, cell in
        let pad = String(repeating: " ", count: widths[i] - cell.count)
        return i >= 2 && i <= 4 ? pad + cell : cell + pad  // numbers right-aligned
      }.joined(separator: "  ")
    }
    var out = title + "\n"
    out += notes.map { "  " + $0 + "\n" }.joined()
    out += "\n" + line(header) + "\n"
    out += line(widths.map { String(repeating: "-", count: $0) }) + "\n"
    out += rows.map { line($0) + "\n" }.joined()
    return out
  }

  /// Date, online CPUs and load average, for reading the numbers later.
  static func machine() -> String {
    var now = time(nil)
    var parts = tm()
    gmtime_r(&now, &parts)
    var date = [CChar](repeating: 0, count: 32)
    _ = strftime(&date, date.count, "%Y-%m-%d %H:%M UTC", &parts)
    var load = [Double](repeating: 0, count: 3)
    let loads = getloadavg(&load, 3) == 3 ? load.map { fixed($0, 2) }.joined(separator: " ") : "?"
    let cpus = sysconf(Int32(_SC_NPROCESSORS_ONLN))
    let dateText = String(decoding: date.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return "\(dateText), \(cpus) CPUs, load average \(loads)"
  }

  static func milliseconds(_ nanoseconds: Double) -> String { fixed(nanoseconds / 1e6, 3) + " ms" }

  static func megabytes(_ bytes: Int) -> String { fixed(Double(bytes) / 1_048_576, 2) + " MiB" }

  /// `value` with `digits` decimals (no Foundation).
  static func fixed(_ value: Double, _ digits: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    var buffer = [CChar](repeating: 0, count: 64)
    _ = withVaList([digits, value]) { vsnprintf(&buffer, buffer.count, "%.*f", $0) }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
