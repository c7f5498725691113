import CZlib
import Glibc
import Syscall

/// `SystemFileAccess` on the real file system, through libc (and zlib for
/// gzip files). Stateless; each call opens and closes what it uses.
struct LocalSystemFiles: SystemFileAccess {
  func text(_ path: String) -> Result<String, FileError> {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return .failure(FileError(errno: .current, operation: "open")) }
    defer { _ = close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n == 0 { break }
      if n < 0 {
        if errno == EINTR { continue }
        return .failure(FileError(errno: .current, operation: "read"))
      }
      bytes += chunk[0..<n]
    }
    return .success(String(decoding: bytes, as: UTF8.self))
  }

  /// zlib's reader passes a file that is not gzip through unchanged.
  func decompressedText(_ path: String) -> Result<String, FileError> {
    guard let file = gzopen(path, "rb") else {
      return .failure(FileError(errno: .current, operation: "open"))
    }
    defer { gzclose(file) }
    var bytes: [UInt8] = []
    let chunk = 1 << 16
    var buffer = [UInt8](repeating: 0, count: chunk)
    while true {
      let count = buffer.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32(chunk)) }
      if count < 0 {
        var code: Int32 = 0
        let message = gzerror(file, &code).map { String(cString: $0) } ?? "zlib error \(code)"
        return .failure(FileError(errno: .EIO, operation: "read", reason: message))
      }
      if count == 0 { break }
      bytes.append(contentsOf: buffer[0..<Int(count)])
    }
    return .success(String(decoding: bytes, as: UTF8.self))
  }

  func isAccessible(_ path: String, for mode: FileAccessMode) -> Bool {
    let flag: Int32
    switch mode {
    case .exists: flag = F_OK
    case .read: flag = R_OK
    case .execute: flag = X_OK
    }
    return access(path, flag) == 0
  }

  func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
  }

  func openReadOnly(_ path: String, directory: Bool) -> Result<OwnedFD, FileError> {
    let fd = open(path, O_RDONLY | O_CLOEXEC | (directory ? O_DIRECTORY : 0))
    guard fd >= 0 else { return .failure(FileError(errno: .current, operation: "open")) }
    do { return .success(try OwnedFD.adopt(fd)) } catch {
      return .failure(FileError(errno: error.errno ?? .EINVAL, operation: "open"))
    }
  }

  func addToUInt16(_ delta: Int16, inFile path: String, at offset: UInt64) -> Result<Void, FileError> {
    let fd = open(path, O_RDWR | O_CLOEXEC)
    guard fd >= 0 else { return .failure(FileError(errno: .current, operation: "open")) }
    defer { _ = close(fd) }
    var value: UInt16 = 0
    guard pread(fd, &value, 2, off_t(Int64(bitPattern: offset))) == 2 else {
      return .failure(FileError(errno: .current, operation: "pread"))
    }
    value = UInt16(bitPattern: Int16(bitPattern: value) &+ delta)
    guard pwrite(fd, &value, 2, off_t(Int64(bitPattern: offset))) == 2 else {
      return .failure(FileError(errno: .current, operation: "pwrite"))
    }
    return .success(())
  }

  func remove(_ path: String) -> Result<Void, FileError> {
    unlink(path) == 0 ? .success(()) : .failure(FileError(errno: .current, operation: "unlink"))
  }

  func mount(_ type: String, at path: String) -> Result<Void, FileError> {
    Glibc.mount(type, path, type, 0, nil) == 0 ? .success(()) : .failure(FileError(errno: .current, operation: "mount"))
  }
}
