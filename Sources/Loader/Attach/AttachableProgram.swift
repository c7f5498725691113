import ELFReader
import Syscall
import UAPI

/// A loaded program as the attach code needs it: its descriptor, name,
/// type, expected attach type and (when known) its SEC() section.
///
/// The attach APIs work on this value so they need nothing from the
/// loader; `Program` handles of the loader convert to it. The descriptor
/// is borrowed: it must stay open during the attach call. Links keep the
/// program alive in the kernel after that.
public struct AttachableProgram: Sendable, Hashable {
  public var fd: BorrowedFD
  /// The program's name, for error messages.
  public var name: String
  public var type: ProgramType
  /// The attach type it was loaded with (nil: none).
  public var expectedAttachType: AttachType?
  /// Its SEC() name's reading, for auto-attach; nil when unknown.
  public var section: ProgramSection?

  public init(fd: BorrowedFD, name: String, type: ProgramType, expectedAttachType: AttachType? = nil,
              section: ProgramSection? = nil) {
    self.fd = fd
    self.name = name
    self.type = type
    self.expectedAttachType = expectedAttachType
    self.section = section
  }

  /// A program loaded from section `section`, with the type and attach
  /// type the section gives.
  public init(fd: BorrowedFD, name: String, section: ProgramSection) {
    self.init(fd: fd, name: name, type: section.programType,
              expectedAttachType: section.expectedAttachType, section: section)
  }
}
