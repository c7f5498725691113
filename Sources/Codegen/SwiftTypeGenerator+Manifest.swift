import BTF

/// A Swift listing of the generated types for the layout tests: for each
/// type its BTF id, and for each C member the key path Swift reaches it by
/// and how (stored, computed, bitfield). The tests compare what the Swift
/// compiler makes of these key paths (`MemoryLayout.offset(of:)`, the bytes
/// an accessor writes) with the member's offset read from BTF.
///
/// The listing calls `.record(_:btfID:members:)`, `.enumeration(_:btfID:)`,
/// `.stored`, `.computed` and `.bitfield`, which the test target defines.
extension SwiftTypeGenerator {
  package func layoutManifest(named variable: String) -> String {
    var lines = [
      "// The layout tests' listing of the generated types (SwiftTypeGenerator.layoutManifest).",
      "import LayoutTestSupport",
      "",
      "let \(variable): [LayoutManifestEntry] = [",
    ]
    for name in registered.keys.sorted() {
      guard let declaration = registered[name], let id = declaration.btfID else { continue }
      if declaration.isEnum {
        lines.append("  .enumeration(\(name).self, btfID: \(id.rawValue)),")
        continue
      }
      lines.append("  .record(\(name).self, btfID: \(id.rawValue), members: [")
      for member in declaration.members {
        lines.append("    .\(member.role.rawValue)(\"\(member.cName)\", \\\(name).\(member.swiftName)),")
      }
      lines.append("  ]),")
    }
    lines.append("]")
    return lines.joined(separator: "\n") + "\n"
  }
}
