import Synchronization
import Syscall
import UAPI

extension LoadedObject {
  /// A program in the kernel, ready to attach or run.
  ///
  /// The fd is closed by `close()` or when the last reference goes away.
  public final class Program: Sendable {
    public let name: String
    /// The SEC() name it came from.
    public let sectionName: String
    public let type: ProgramType
    public let expectedAttachType: AttachType?
    /// The kernel BTF id of the attach target (tp_btf, fentry, lsm, iter), or 0.
    public let attachBTFID: UInt32
    /// The verifier log when a log level was asked for.
    public let verifierLog: String?
    let fd: Mutex<OwnedFD?>

    init(name: String, sectionName: String, type: ProgramType, expectedAttachType: AttachType?,
         attachBTFID: UInt32, verifierLog: String?, fd: consuming OwnedFD) {
      self.name = name
      self.sectionName = sectionName
      self.type = type
      self.expectedAttachType = expectedAttachType
      self.attachBTFID = attachBTFID
      self.verifierLog = verifierLog
      self.fd = Mutex(Optional(fd))
    }

    /// The verifier's statistics (instructions processed, states, stack
    /// depth, time), when a log level was asked for (level 4 gives only these).
    public var verifierStatistics: VerifierStatistics? { verifierLog.flatMap { VerifierStatistics(log: $0) } }

    /// The fd, while the program is open.
    public var borrowedFD: BorrowedFD? { fd.withLock { $0?.borrowed } }

    /// Runs `body` with the program's fd; throws when it was closed.
    public func withFD<R>(_ body: (BorrowedFD) throws -> R) throws -> R {
      let borrowed = fd.withLock { $0?.borrowed }
      guard let borrowed else { throw LoadError.closed(object: name) }
      return try body(borrowed)
    }

    /// The kernel's description (translated and jited sizes, id, tag…).
    public func info() throws(LoadError) -> ProgramInfo {
      guard let b = borrowedFD else { throw .closed(object: name) }
      do throws(SyscallError) { return try BPF.programInfo(b) } catch {
        throw .kernelQuery(object: name, operation: "BPF_OBJ_GET_INFO_BY_FD", error)
      }
    }

    /// Closes now. Later uses throw `closed`.
    public func close() {
      if let owned = fd.withLock({ $0.take() }) { try? owned.close() }
    }
  }
}
