extension Instruction {
  /// The helper number of a poisoned call: a call the verifier rejects as
  /// an unknown helper, which the loader writes where a CO-RE relocation
  /// could not be applied (the program loads only if the call is dead code).
  ///
  /// Not a kernel constant: the value `0xbad2310` ("bad relo") is the
  /// convention of BPF loaders, and the verifier prints it as
  /// `invalid func unknown#195896080`, which is how a log is traced back to
  /// a failed relocation. Defined once for the relocation engine (which
  /// writes it) and the loader's verifier report (which recognises it).
  public static let poisonHelperID: Int32 = 0xbad2310

  /// The helper number written for a call of a weak kfunc the kernel does
  /// not have: the verifier accepts it only in dead code (a program guards
  /// such calls with `bpf_ksym_exists`), and rejects it as an unknown helper
  /// otherwise, distinguishable from a failed CO-RE relocation.
  public static let missingKfuncHelperID: Int32 = poisonHelperID + 1000

  /// `call 0xbad2310`: the poisoned call itself.
  public static var poisonCall: Instruction { call(helper: poisonHelperID) }
}
