import Syscall

/// The mapped pages of a ring buffer map (kernel-to-user or user-to-kernel)
/// and the duplicated map descriptor, released together when the last
/// reference goes (a user ring buffer's reservation keeps one).
///
/// Kernel: both ring kinds map one consumer page, then the producer page and
/// the data area mapped twice, back to back, so records that wrap are contiguous.
final class RingMapping: Sendable {
  let fd: OwnedFD
  let consumerPage: MappedRegion
  let producerAndData: MappedRegion

  init(fd: consuming OwnedFD, consumerPage: consuming MappedRegion,
       producerAndData: consuming MappedRegion) {
    self.fd = fd
    self.consumerPage = consumerPage
    self.producerAndData = producerAndData
  }
}
