import BTF
import Syscall
import UAPI

/// The kernel operations the loader uses, so its logic can be tested without
/// root: `SystemKernel` forwards to bpf(2) through `Syscall`; tests pass a
/// fake that records the calls and hands out real (harmless) descriptors.
///
/// Everything that depends on the running kernel goes through here: bpf(2)
/// for loading, attaching and links, perf events, mmap of maps, bpffs pins,
/// the kernel's BTF, its configuration and symbols, the number of possible
/// CPUs and the feature probes (`ProbeKernel`). Handles remember the kernel
/// they came from, so attaching a program and using its links reach the
/// same (real or fake) kernel as its load.
public protocol KernelInterface: ProbeKernel {
  /// Kernel: `BPF_MAP_CREATE`.
  func createMap(_ attributes: MapCreateAttributes) throws(SyscallError) -> OwnedFD
  /// Kernel: `BPF_PROG_LOAD`; `log` nil asks for no log, else it is filled.
  func loadProgram(_ attributes: ProgramLoadAttributes, log: inout VerifierLog?) throws(SyscallError) -> OwnedFD
  /// Kernel: `BPF_BTF_LOAD`.
  func loadBTF(_ bytes: [UInt8], log: inout VerifierLog?) throws(SyscallError) -> OwnedFD
  /// Kernel: `BPF_MAP_UPDATE_ELEM` with `BPF_ANY`; key and value hold the map's sizes.
  func updateElement(map: BorrowedFD, key: [UInt8], value: [UInt8]) throws(SyscallError)
  /// Kernel: `BPF_MAP_FREEZE`.
  func freeze(map: BorrowedFD) throws(SyscallError)
  /// Kernel: `BPF_OBJ_GET_INFO_BY_FD` for a map: what pinned-map reuse compares.
  func mapDescription(_ map: BorrowedFD) throws(SyscallError) -> MapDescription
  /// Kernel: `BPF_OBJ_GET`.
  func openPinned(at path: String) throws(SyscallError) -> OwnedFD
  /// The BTF a loaded program was loaded with (`btf_id` of its info, then
  /// `BPF_BTF_GET_FD_BY_ID` and the raw bytes); nil when it has none.
  func programBTF(_ program: BorrowedFD) throws(SyscallError) -> [UInt8]?
  /// Kernel: `BPF_OBJ_PIN`.
  func pin(_ object: BorrowedFD, at path: String) throws(SyscallError)
  /// Removes a pin (unlink(2) of the bpffs file); the object lives on while
  /// descriptors to it remain.
  func unpin(at path: String) throws(SyscallError)
  /// mmap(2) of a `BPF_F_MMAPABLE` map (`MAP_SHARED`).
  func mapMemory(_ map: BorrowedFD, length: Int, writable: Bool) throws(SyscallError) -> MappedRegion
  /// mmap(2) of a `BPF_MAP_TYPE_ARENA` map: `length` bytes, read-write and
  /// shared, at `address` (its `map_extra`) or anywhere when that is 0.
  func mapArena(_ map: BorrowedFD, length: Int, address: UInt64) throws(SyscallError) -> MappedRegion
  /// CPUs the kernel may ever bring up (`/sys/devices/system/cpu/possible`).
  func possibleCPUCount() -> Int
  /// The page size, for ring buffer sizes and mappings.
  var pageSize: Int { get }
  /// The running kernel's BTF (vmlinux).
  func kernelBTF() throws(LoadError) -> BTF
  /// The kernel's configuration (`/proc/config.gz` or
  /// `/boot/config-<release>`); nil when neither exists.
  func kernelConfig() -> KernelConfig?
  /// The address of a kernel symbol from `/proc/kallsyms`, nil when absent.
  func kernelSymbolAddress(_ name: String) -> UInt64?
  /// `LINUX_VERSION_CODE` of the running kernel (from uname).
  var kernelVersionCode: UInt32 { get }
  /// What the kernel supports (cached probes).
  var features: KernelFeatures { get }

  // MARK: Attach, links, perf events

  /// Kernel: `BPF_LINK_CREATE`.
  func createLink(_ attributes: LinkCreateAttributes) throws(SyscallError) -> OwnedFD
  /// Kernel: `BPF_RAW_TRACEPOINT_OPEN`; a nil name attaches a tracing or LSM
  /// program at its load-time target.
  func openRawTracepoint(name: String?, program: BorrowedFD, cookie: UInt64) throws(SyscallError) -> OwnedFD
  /// Kernel: `BPF_PROG_ATTACH`.
  func attach(_ attributes: BPF.AttachAttributes) throws(SyscallError)
  /// Kernel: `BPF_PROG_DETACH`.
  func detach(_ attributes: BPF.AttachAttributes) throws(SyscallError)
  /// Kernel: `BPF_LINK_UPDATE` (with `oldProgram`: `BPF_F_REPLACE`).
  func updateLink(_ link: BorrowedFD, newProgram: BorrowedFD, oldProgram: BorrowedFD?) throws(SyscallError)
  /// Kernel: `BPF_LINK_DETACH`.
  func detachLink(_ link: BorrowedFD) throws(SyscallError)
  /// Kernel: `BPF_OBJ_GET_INFO_BY_FD` on a link.
  func linkInfo(_ link: BorrowedFD) throws(SyscallError) -> LinkInfo
  /// Kernel: `BPF_ITER_CREATE`: one run of an iterator link, read to its end.
  func createIterator(link: BorrowedFD) throws(SyscallError) -> OwnedFD
  /// perf_event_open(2) for every process (`pid` -1) or one, on `cpu`.
  func openPerfEvent(_ attributes: PerfEventAttributes, pid: Int32, cpu: Int32) throws(SyscallError) -> OwnedFD
  /// `PERF_EVENT_IOC_SET_BPF`: the event runs `program`.
  func setPerfEventProgram(_ event: BorrowedFD, program: BorrowedFD) throws(SyscallError)
  /// `PERF_EVENT_IOC_ENABLE`.
  func enablePerfEvent(_ event: BorrowedFD) throws(SyscallError)
  /// `PERF_EVENT_IOC_DISABLE`.
  func disablePerfEvent(_ event: BorrowedFD) throws(SyscallError)

  // MARK: Event buffers

  /// Kernel: `BPF_OBJ_GET_INFO_BY_FD` on a map (what a buffer reader checks).
  func mapInfo(_ map: BorrowedFD) throws(SyscallError) -> MapInfo
  /// mmap(2) (`MAP_SHARED`) of a ring buffer map or a perf event's ring.
  func mapRegion(
    _ object: BorrowedFD, length: Int, offset: Int, protection: MappedRegion.Protection
  ) throws(SyscallError) -> MappedRegion
  /// Kernel: `BPF_MAP_DELETE_ELEM`; a missing key is not an error.
  func deleteElement(map: BorrowedFD, key: [UInt8]) throws(SyscallError)

  // MARK: Map elements (typed maps), in place

  /// Kernel: `BPF_MAP_LOOKUP_ELEM`: copies the value under `key` into
  /// `value` (the map's value size; per-CPU maps: one 8-byte-rounded slot per
  /// possible CPU); false when the key is absent.
  func lookupElement(
    map: BorrowedFD, key: UnsafeRawPointer?, value: UnsafeMutableRawPointer, flags: ElementFlags
  ) throws(SyscallError) -> Bool
  /// Kernel: `BPF_MAP_UPDATE_ELEM`.
  func updateElement(
    map: BorrowedFD, key: UnsafeRawPointer?, value: UnsafeRawPointer, flags: ElementFlags
  ) throws(SyscallError)
  /// Kernel: `BPF_MAP_DELETE_ELEM`; false when the key is absent.
  func deleteElement(map: BorrowedFD, key: UnsafeRawPointer?) throws(SyscallError) -> Bool
  /// Kernel: `BPF_MAP_GET_NEXT_KEY`: the key after `key` (the first when
  /// nil, or when `key` is no longer in a hash map); false at the end.
  func nextKey(map: BorrowedFD, after key: UnsafeRawPointer?, into next: UnsafeMutableRawPointer) throws(SyscallError) -> Bool
  /// Kernel: `BPF_MAP_LOOKUP_AND_DELETE_ELEM`; false when there was nothing.
  func lookupAndDeleteElement(
    map: BorrowedFD, key: UnsafeRawPointer?, value: UnsafeMutableRawPointer
  ) throws(SyscallError) -> Bool
  /// Kernel: `BPF_MAP_LOOKUP_BATCH` (Linux 5.6): up to `count` elements after
  /// the position in `inBatch` (nil: from the start); the next position is
  /// written to `outBatch`.
  func lookupBatch(
    map: BorrowedFD, inBatch: UnsafeRawPointer?, outBatch: UnsafeMutableRawPointer,
    keys: UnsafeMutableRawPointer, values: UnsafeMutableRawPointer, count: Int
  ) throws(SyscallError) -> BPF.BatchResult
  /// Kernel: `BPF_MAP_UPDATE_BATCH`; how many were stored.
  func updateBatch(
    map: BorrowedFD, keys: UnsafeRawPointer, values: UnsafeRawPointer, count: Int, flags: ElementFlags
  ) throws(SyscallError) -> Int
  /// Kernel: `BPF_MAP_DELETE_BATCH`; how many were removed.
  func deleteBatch(map: BorrowedFD, keys: UnsafeRawPointer, count: Int) throws(SyscallError) -> Int
  /// Kernel: `BPF_MAP_GET_FD_BY_ID` (needs CAP_SYS_ADMIN).
  func openMap(id: UInt32) throws(SyscallError) -> OwnedFD
}
