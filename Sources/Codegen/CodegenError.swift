import BTF
import ELFReader

/// What stops `swiftbpf gen`: each case names the type (its C name and BTF
/// id) or the object, and what is wrong.
package enum CodegenError: Error, Sendable, CustomStringConvertible {
  /// The BTF could not be read or queried.
  case btf(BTFError, context: String)
  /// The object could not be read.
  case object(ELFError)
  /// The object has no `.BTF` section, so there are no types to write.
  case noBTF(object: String)
  /// `--type NAME` named no struct, union, enum or typedef.
  case unknownType(name: String)
  /// A type whose layout Swift cannot represent (a member at an offset no
  /// Swift storage reaches, a by-value use of a type without size, …).
  case unrepresentable(type: String, id: UInt32, reason: String)
  /// Two different declarations asked for one Swift name.
  case nameClash(name: String, reason: String)

  package var description: String {
    switch self {
    case .btf(let error, let context):
      return "\(context): \(error)"
    case .object(let error):
      return "\(error)"
    case .noBTF(let object):
      return "\(object) has no .BTF section: rebuild it with clang -g to generate types"
    case .unknownType(let name):
      return "no struct, union, enum or typedef named '\(name)' in the object's BTF"
    case .unrepresentable(let type, let id, let reason):
      return "cannot write \(type) (BTF id \(id)) in Swift: \(reason)"
    case .nameClash(let name, let reason):
      return "Swift name \(name) is claimed twice: \(reason)"
    }
  }
}
