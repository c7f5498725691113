import ELFReader
import Instructions
import Synchronization
import Syscall
import UAPI

extension LoadedObject {
  /// A program in the kernel, ready to attach or run.
  ///
  /// The fd is closed by `close()` or when the last reference goes away,
  /// never while a `withFD` body on any thread is using it.
  public final class Program: Sendable, Hashable {
    /// The program's function name (the kernel keeps its first 15 bytes).
    public let name: String
    /// The SEC() name it came from.
    public let sectionName: String
    /// The section table's reading of the SEC() name (read once, when the
    /// object was opened); nil when the name is unknown.
    public let section: ProgramSection?
    /// The type it was loaded as.
    public let type: ProgramType
    /// The attach type it was loaded with (`expected_attach_type`), nil for none.
    public let expectedAttachType: AttachType?
    /// The kernel BTF id of the attach target (tp_btf, fentry, lsm, iter), or 0.
    public let attachBTFID: UInt32
    /// The verifier log when a log level was asked for.
    public let verifierLog: String?
    let descriptor: SharedDescriptor
    /// The kernel it was loaded into: attaching it and its links go there.
    let kernel: any KernelInterface

    init(kernel: any KernelInterface, name: String, sectionName: String, section: ProgramSection?, type: ProgramType, expectedAttachType: AttachType?,
         attachBTFID: UInt32, verifierLog: String?, fd: consuming OwnedFD) {
      self.name = name
      self.sectionName = sectionName
      self.section = section
      self.type = type
      self.expectedAttachType = expectedAttachType
      self.attachBTFID = attachBTFID
      self.verifierLog = verifierLog
      self.descriptor = SharedDescriptor(fd)
      self.kernel = kernel
    }

    /// A handle owning `fd`, a program loaded outside a load (by the
    /// project's tests and fakes), read as coming from `sectionName`.
    package static func adopting(
      _ fd: consuming OwnedFD, name: String, sectionName: String, kernel: any KernelInterface = SystemKernel.shared
    ) -> Program {
      let section = try? ProgramSection.parse(sectionName)
      return Program(kernel: kernel, name: name, sectionName: sectionName, section: section, type: section?.programType ?? .unspec,
                     expectedAttachType: section?.expectedAttachType, attachBTFID: 0, verifierLog: nil, fd: fd)
    }

    /// The verifier's statistics (instructions processed, states, stack
    /// depth, time), when a log level was asked for (level 4 gives only these).
    public var verifierStatistics: VerifierStatistics? { verifierLog.flatMap { VerifierStatistics(log: $0) } }

    /// The fd while the program is open, unguarded: for the project's own
    /// code and tests that keep the handle open themselves. Use `withFD`.
    package var borrowedFD: BorrowedFD? { descriptor.unguardedDescriptor }

    /// Runs `body` with the program's fd, which stays open until `body`
    /// returns even if another thread calls `close()` meanwhile; throws
    /// `LoadError.closed` once the program was closed. Do not keep the fd.
    public func withFD<R: ~Copyable>(_ body: (BorrowedFD) throws -> R) throws -> R {
      try descriptor.withDescriptor(ifClosed: { LoadError.closed(object: name) as any Error }, body)
    }

    /// `withFD` for bodies with a typed error; `closed` makes the error
    /// given for a closed program.
    func withDescriptor<R: ~Copyable, E: Error>(
      closed: () -> E, _ body: (BorrowedFD) throws(E) -> R
    ) throws(E) -> R {
      try descriptor.withDescriptor(ifClosed: closed, body)
    }

    /// The kernel's description (translated and jited sizes, id, tag…).
    public func info() throws(LoadError) -> ProgramInfo {
      try withDescriptor(closed: { LoadError.closed(object: name) }) { (fd) throws(LoadError) in
        do throws(SyscallError) { return try BPF.programInfo(fd) } catch {
          throw .kernelQuery(object: name, operation: "BPF_OBJ_GET_INFO_BY_FD", error)
        }
      }
    }

    /// Handles are equal when they are the same handle.
    public static func == (a: Program, b: Program) -> Bool { a === b }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }

    /// Closes (at once, or as the last running `withFD` body returns).
    /// Later uses throw `closed`.
    public func close() {
      descriptor.close()
    }
  }
}
