import Foundation
import Testing
import TestSupport

/// A BPF instruction encoded per the BPF ISA (RFC 9669): opcode, dst/src
/// nibbles (dst low on little endian), 16-bit offset, 32-bit immediate.
func instruction(_ opcode: UInt8, dst: UInt8 = 0, src: UInt8 = 0, offset: Int16 = 0,
                 imm: Int32 = 0) -> [UInt8] {
  var bytes: [UInt8] = [opcode, (src << 4) | (dst & 0xf)]
  withUnsafeBytes(of: offset.littleEndian) { bytes += $0 }
  withUnsafeBytes(of: imm.littleEndian) { bytes += $0 }
  return bytes
}

/// `r0 = value; exit` — the smallest valid program.
func returnProgram(_ value: Int32) -> [UInt8] {
  instruction(0xb7, dst: 0, imm: value) + instruction(0x95)
}
