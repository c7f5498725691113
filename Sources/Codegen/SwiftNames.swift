/// How C identifiers become Swift names in generated code: types in
/// UpperCamelCase (`exec_event` → `ExecEvent`), members, variables and
/// constants in lowerCamelCase (`filename_len` → `filenameLen`). A name that
/// is a Swift keyword is escaped with backticks; one that would not be an
/// identifier at all (empty, starting with a digit) gets a `_` prefix.
package enum SwiftNames {
  /// `exec_event` → `ExecEvent`, `__u32` → `U32`, `TCP_STATE` → `TcpState`.
  package static func typeName(_ c: String) -> String {
    let words = self.words(c)
    guard !words.isEmpty else { return "_" }
    let name = identifier(words.map(capitalized).joined())
    // These cannot name a type even in backticks.
    return ["Any", "Self", "Type", "Protocol"].contains(name) ? name + "_" : name
  }

  /// `filename_len` → `filenameLen`, `pid` → `pid`, `TASK_RUNNING` → `taskRunning`.
  package static func memberName(_ c: String) -> String {
    let words = self.words(c)
    guard let first = words.first else { return "_" }
    let name = first.lowercased() + words.dropFirst().map(capitalized).joined()
    return escaped(identifier(name))
  }

  /// The name as written in a declaration: a keyword gets backticks.
  package static func escaped(_ name: String) -> String {
    keywords.contains(name) ? "`\(name)`" : name
  }

  /// The words of a C identifier: split at `_` (and any other character that
  /// is not a letter or digit, as in section names like `.bss`), and at a
  /// lower-to-upper change (`myValue` → `my`, `Value`); leading and doubled
  /// separators vanish.
  static func words(_ c: String) -> [Substring] {
    var words: [Substring] = []
    let isSeparator = { (ch: Character) in !(ch.isASCII && (ch.isLetter || ch.isNumber)) }
    for part in c.split(whereSeparator: isSeparator) {
      var start = part.startIndex
      var previousWasLower = false
      for index in part.indices {
        let ch = part[index]
        if ch.isUppercase && previousWasLower {
          words.append(part[start ..< index])
          start = index
        }
        previousWasLower = ch.isLowercase || ch.isNumber
      }
      words.append(part[start...])
    }
    return words
  }

  /// `word` with its first letter upper case and the rest lower case, unless
  /// the word mixes cases already (`myValue` keeps its inner capital).
  static func capitalized(_ word: Substring) -> String {
    guard let first = word.first else { return "" }
    let rest = word.dropFirst()
    let restText = rest.allSatisfy { !$0.isLowercase } ? rest.lowercased() : String(rest)
    return first.uppercased() + restText
  }

  /// A valid identifier: a leading digit gets `_`.
  static func identifier(_ name: String) -> String {
    guard let first = name.first else { return "_" }
    return first.isNumber ? "_" + name : name
  }

  /// Swift keywords (and names that cannot be a member without backticks).
  static let keywords: Set<String> = [
    "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init",
    "inout", "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public",
    "rethrows", "static", "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue",
    "default", "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return",
    "throw", "switch", "where", "while", "Any", "as", "await", "false", "is", "nil", "self", "Self",
    "super", "throws", "true", "try", "Type", "Protocol", "borrowing", "consuming", "package",
  ]
}
