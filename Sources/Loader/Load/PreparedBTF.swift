import BTF
import ELFReader
import Syscall

/// The first stage's output: the object's BTF as this kernel took it.
struct PreparedBTF {
  /// The uploaded object BTF; nil when the object has none or the kernel
  /// refused it (the load goes on without func/line info and key/value types).
  var fd: OwnedFDBox?
  /// Why the BTF was not uploaded, for `LoadedObject.warnings`.
  var warnings: [String] = []
}

extension LoadContext {
  /// Stage: sanitizes the object's BTF for this kernel and uploads it; when
  /// the kernel refuses it, loading goes on without, as libbpf does.
  func prepareBTF() -> PreparedBTF {
    var result = PreparedBTF()
    guard let btf = object.btf else { return result }
    guard kernel.features.supports(.btf) else {
      result.warnings.append("\(file.name): this kernel takes no BTF; loading without it")
      return result
    }
    let bytes: [UInt8]
    do throws(BTFError) {
      bytes = try ObjectBTF.prepare(btf, file: file, kconfig: kconfig, support: kernel.features.btf)
    } catch {
      result.warnings.append("\(file.name): BTF not prepared for upload (\(error)); loading without it")
      return result
    }
    var log: VerifierLog? = nil
    do throws(SyscallError) {
      result.fd = OwnedFDBox(try kernel.loadBTF(bytes, log: &log))
    } catch {
      var retryLog: VerifierLog? = VerifierLog(level: 1, capacity: 1 << 20)
      _ = try? kernel.loadBTF(bytes, log: &retryLog)
      let tail = retryLog.map { VerifierReport(log: $0.text).errorLine } ?? ""
      result.warnings.append("\(file.name): the kernel refused the object's BTF (\(error)\(tail.isEmpty ? "" : ": \(tail)")); loaded without it")
    }
    return result
  }
}
