/// A Swift type as the layout sees it: how it is spelled, and the size and
/// alignment it has (equal to the C ones for every type the generator writes).
struct TypeShape {
  var spelling: String
  var size: Int
  var alignment: Int

  /// A 1-byte integer that C calls `char` (arrays of it get a `String` accessor).
  var isChar = false
  /// A one-dimensional array of `char`.
  var isCharArray = false
  /// The type's instance properties, for forwarding from an anonymous member.
  var exposed: [(name: String, type: String)] = []
  /// How a bitfield of this type converts from its raw bits.
  var bitfield: BitfieldConversion?

  /// The fixed-size integer that stores `unit` bytes with alignment `unit`.
  static func unitSpelling(_ unit: Int) -> String {
    switch unit {
    case 2: return "UInt16"
    case 4: return "UInt32"
    case 8: return "UInt64"
    case 16: return "UInt128"
    default: return "UInt8"
    }
  }

  /// C's alignment of a scalar of `size` bytes on the BPF target: its size,
  /// 8 at most, except `__int128` (16; clang's BPF data layout has i128:128).
  static func scalarAlignment(_ size: Int) -> Int {
    size >= 16 ? 16 : max(1, min(size, 8))
  }
}

/// How a bitfield's raw bits become the member's Swift type.
enum BitfieldConversion {
  /// An integer type: loaded (sign-extended when signed) and stored as is.
  case integer(String)
  /// `_Bool`: one bit, stored as 0 or 1.
  case bool
  /// An enum: its raw value's type, wrapped in the enum struct.
  case enumeration(name: String, raw: String)
}
