extension BTF {
  /// A value read through a BTF type, shaped like JSON: what
  /// `bpftool map dump -j` prints under `"formatted"`.
  ///
  /// Integers keep their signedness so an `s64` of -1 prints as -1 and a
  /// `u64` of 2⁶⁴-1 as 18446744073709551615; 128-bit integers, which JSON
  /// numbers cannot hold, are hex strings (`"0x…"`), as bpftool prints them.
  package enum FormattedValue: Sendable, Hashable {
    case signed(Int64)
    case unsigned(UInt64)
    case bool(Bool)
    case float(Double)
    case string(String)
    case list([FormattedValue])
    /// Members in declaration order (a struct, a union, a data section's variable).
    case object([Field])

    package struct Field: Sendable, Hashable {
      package var name: String
      package var value: FormattedValue
      package init(_ name: String, _ value: FormattedValue) {
        self.name = name
        self.value = value
      }
    }

    /// One line of compact JSON (`{"pid": 1, "comm": "init"}`), for text reports.
    package var compactJSON: String {
      switch self {
      case .signed(let v): String(v)
      case .unsigned(let v): String(v)
      case .bool(let v): v ? "true" : "false"
      case .float(let v): v.isFinite ? String(v) : "null"
      case .string(let s): Self.quoted(s)
      case .list(let items): "[" + items.map(\.compactJSON).joined(separator: ", ") + "]"
      case .object(let fields):
        "{" + fields.map { Self.quoted($0.name) + ": " + $0.value.compactJSON }.joined(separator: ", ") + "}"
      }
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String {
      var out = "\""
      for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20:
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(scalar)
        }
      }
      return out + "\""
    }
  }
}

extension BTF.FormattedValue: Encodable {
  private struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  package func encode(to encoder: any Encoder) throws {
    switch self {
    case .signed(let v):
      var c = encoder.singleValueContainer()
      try c.encode(v)
    case .unsigned(let v):
      var c = encoder.singleValueContainer()
      try c.encode(v)
    case .bool(let v):
      var c = encoder.singleValueContainer()
      try c.encode(v)
    case .float(let v):
      var c = encoder.singleValueContainer()
      // JSON has no NaN or infinity.
      if v.isFinite { try c.encode(v) } else { try c.encodeNil() }
    case .string(let s):
      var c = encoder.singleValueContainer()
      try c.encode(s)
    case .list(let items):
      var c = encoder.unkeyedContainer()
      for item in items { try c.encode(item) }
    case .object(let fields):
      var c = encoder.container(keyedBy: Key.self)
      for field in fields { try c.encode(field.value, forKey: Key(stringValue: field.name)) }
    }
  }
}
