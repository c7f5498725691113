import BTF
import ELFReader
import Syscall

/// The first stage's output: the object's BTF as this kernel took it.
struct PreparedBTF {
  /// The uploaded object BTF; nil when the object has none or the kernel
  /// refused it (the load goes on without func/line info and key/value types).
  var fd: OwnedFDBox?
}

extension LoadContext {
  /// Stage: sanitizes the object's BTF for this kernel and uploads it; when
  /// the kernel refuses it, loading goes on without, as libbpf does.
  func prepareBTF() -> PreparedBTF {
    var result = PreparedBTF()
    guard let btf = object.btf else {
      log(.debug, "the object has no BTF (built without -g): no func/line info, no map key/value types")
      return result
    }
    guard kernel.features.supports(.btf) else {
      log(.warning, "this kernel takes no BTF; loading without it")
      return result
    }
    let bytes: [UInt8]
    let support = kernel.features.btf
    do throws(BTFError) {
      bytes = try ObjectBTF.prepare(btf, file: file, kconfig: kconfig, support: support)
    } catch {
      log(.warning, "BTF not prepared for upload (\(error)); loading without it")
      return result
    }
    if let rewritten = ObjectBTF.rewrittenFeatures(btf, support: support) {
      log(.debug, "BTF sanitized for this kernel, which lacks \(rewritten)")
    }
    var uploadLog: VerifierLog? = nil
    do throws(SyscallError) {
      result.fd = OwnedFDBox(try kernel.loadBTF(bytes, log: &uploadLog))
      log(.debug, "BTF uploaded (\(bytes.count) bytes)")
    } catch {
      // Loaded again with a log only to say why.
      var retryLog: VerifierLog? = VerifierLog(level: 1, capacity: 1 << 20)
      _ = try? kernel.loadBTF(bytes, log: &retryLog)
      let tail = retryLog.map { VerifierReport(log: $0.text).errorLine } ?? ""
      log(.warning, "the kernel refused the object's BTF (\(error)\(tail.isEmpty ? "" : ": \(tail)")); loaded without it")
    }
    return result
  }
}
