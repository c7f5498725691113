import CBPFSys
import Glibc

/// What the running kernel allows, asked with bare bpf(2) calls whose
/// attribute bytes are laid out here from the documented `union bpf_attr`
/// (not through `MapCreateAttributes`, `ProgramLoadAttributes` or the
/// `FeatureProber`): the independent answer the prober is checked against.
///
/// Each probe returns 0 when the kernel created or loaded the object (it is
/// closed at once) and the errno otherwise: EINVAL for a type the kernel does
/// not know, EPERM for one it knows but refuses (a locked-down build refuses
/// arena maps this way, KERNEL.md).
enum RawBPFProbe {
  // Kernel UAPI (include/uapi/linux/bpf.h): commands, type numbers, flags.
  static let mapCreateCommand: Int32 = 0
  static let programLoadCommand: Int32 = 5
  static let btfLoadCommand: Int32 = 18
  static let arenaMapType: UInt32 = 33
  static let cgrpStorageMapType: UInt32 = 32
  static let lircMode2ProgramType: UInt32 = 20
  static let netfilterProgramType: UInt32 = 32
  static let netfilterAttachType: UInt32 = 45
  static let mmapableFlag: UInt32 = 1 << 10
  static let noPreallocFlag: UInt32 = 1 << 0

  /// Attribute bytes: large enough for every field used here; the kernel
  /// accepts a longer attr whose tail is zero.
  static let attrSize = 128

  /// `BPF_MAP_CREATE` of an arena: one page, mappable, no key or value.
  static func arena() -> Int32 {
    var attr = [UInt8](repeating: 0, count: attrSize)
    put(arenaMapType, at: 0, in: &attr)  // map_type
    put(1, at: 12, in: &attr)  // max_entries (pages)
    put(mmapableFlag, at: 16, in: &attr)  // map_flags
    return closing(call(mapCreateCommand, &attr))
  }

  /// `BPF_MAP_CREATE` of cgroup local storage: needs BTF for key and value
  /// (an `int`, loaded here from hand-written BTF), no prealloc, 0 entries.
  static func cgrpStorage() -> Int32 {
    var btf = intOnlyBTF
    var btfAttr = [UInt8](repeating: 0, count: attrSize)
    let btfFD: Int32 = btf.withUnsafeMutableBytes { blob in
      put(UInt64(UInt(bitPattern: blob.baseAddress)), at: 0, in: &btfAttr)  // btf
      put(UInt32(blob.count), at: 16, in: &btfAttr)  // btf_size
      return call(btfLoadCommand, &btfAttr)
    }
    guard btfFD >= 0 else { return errno }
    defer { close(btfFD) }
    var attr = [UInt8](repeating: 0, count: attrSize)
    put(cgrpStorageMapType, at: 0, in: &attr)  // map_type
    put(4, at: 4, in: &attr)  // key_size
    put(4, at: 8, in: &attr)  // value_size
    put(noPreallocFlag, at: 16, in: &attr)  // map_flags
    put(UInt32(bitPattern: btfFD), at: 48, in: &attr)  // btf_fd
    put(1, at: 52, in: &attr)  // btf_key_type_id
    put(1, at: 56, in: &attr)  // btf_value_type_id
    return closing(call(mapCreateCommand, &attr))
  }

  /// `BPF_PROG_LOAD` of `r0 = 0; exit` as `type` (with `expectedAttachType`).
  static func program(type: UInt32, expectedAttachType: UInt32 = 0) -> Int32 {
    var code: [UInt8] = [0xb7, 0, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0]
    var license: [UInt8] = Array("GPL".utf8) + [0]
    var attr = [UInt8](repeating: 0, count: attrSize)
    let fd: Int32 = code.withUnsafeMutableBytes { insns in
      license.withUnsafeMutableBytes { text in
        put(type, at: 0, in: &attr)  // prog_type
        put(2, at: 4, in: &attr)  // insn_cnt
        put(UInt64(UInt(bitPattern: insns.baseAddress)), at: 8, in: &attr)  // insns
        put(UInt64(UInt(bitPattern: text.baseAddress)), at: 16, in: &attr)  // license
        put(expectedAttachType, at: 68, in: &attr)  // expected_attach_type
        return call(programLoadCommand, &attr)
      }
    }
    return closing(fd)
  }

  /// Type information with one type, `int` (id 1): the BTF header (24
  /// bytes), one INT record (12 + 4 bytes), strings "\0int\0".
  static var intOnlyBTF: [UInt8] {
    var blob = [UInt8]()
    func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { blob += $0 } }
    func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { blob += $0 } }
    u16(0xeb9f); blob += [1, 0]; u32(24)  // magic, version 1, flags 0, hdr_len
    u32(0); u32(16); u32(16); u32(5)  // type_off, type_len, str_off, str_len
    u32(1); u32(1 << 24); u32(4)  // name "int", kind INT, size 4
    u32(1 << 24 | 32)  // signed, 32 bits
    blob += [0] + Array("int".utf8) + [0]
    return blob
  }

  private static func call(_ command: Int32, _ attr: inout [UInt8]) -> Int32 {
    let size = UInt32(attr.count)
    return attr.withUnsafeMutableBytes { Int32(truncatingIfNeeded: swiftbpf_bpf(command, $0.baseAddress, size)) }
  }

  /// 0 for a descriptor (closed here), else the errno of the failed call.
  private static func closing(_ fd: Int32) -> Int32 {
    guard fd >= 0 else { return errno }
    close(fd)
    return 0
  }

  private static func put<T: FixedWidthInteger>(_ value: T, at offset: Int, in attr: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { attr.replaceSubrange(offset..<offset + $0.count, with: $0) }
  }
}
