import Syscall

/// A class box for an `OwnedFD`, so a value type can hold one.
final class OwnedFDBox: Sendable {
  let fd: OwnedFD
  init(_ fd: consuming OwnedFD) { self.fd = fd }
  var borrowed: BorrowedFD { fd.borrowed }
}
