import ELFReader
import Instructions
import Syscall
import UAPI

/// A loaded program's descriptor lent for one attach call, with what the
/// attach code needs to know of the program.
///
/// Made only inside `LoadedObject.Program`'s guarded use of its descriptor
/// (`withDescriptor`), so the descriptor stays open for the whole call;
/// never stored. Links keep the program alive in the kernel after that.
struct AttachScope {
  let fd: BorrowedFD
  let program: LoadedObject.Program

  var name: String { program.name }
  /// The kernel the program was loaded into.
  var kernel: any KernelInterface { program.kernel }
  var type: ProgramType { program.type }
  /// The attach type it was loaded with (nil: none).
  var expectedAttachType: AttachType? { program.expectedAttachType }
  /// Its SEC() name's reading (parsed once, at load); nil when unknown.
  var section: ProgramSection? { program.section }
}
