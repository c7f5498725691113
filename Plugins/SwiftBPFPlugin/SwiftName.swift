/// The skeleton's Swift type name for a source: `bootstrap.bpf.c` →
/// `Bootstrap`, `tc_counter.bpf.c` → `TcCounter` (the words of the file
/// name, each capitalised: the same rule as `swiftbpf gen`'s C names).
enum SwiftName {
  static func skeleton(forSource fileName: String) -> String {
    let stem = fileName.hasSuffix(".bpf.c") ? String(fileName.dropLast(".bpf.c".count)) : fileName
    let words = stem.split { !($0.isLetter || $0.isNumber) }
    var name = words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    if name.isEmpty { name = "Skeleton" }
    if let first = name.first, first.isNumber { name = "BPF" + name }
    return name
  }
}
