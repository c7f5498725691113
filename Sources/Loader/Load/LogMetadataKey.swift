/// The metadata keys on the loader's log records (`OpenOptions.logger`), so
/// a handler can filter or group them.
///
/// Every record of a load carries `object` and `file`; a record about one
/// map or program carries `map` or `program` too.
public enum LogMetadataKey {
  /// The object's name (`OpenOptions.objectName`, libbpf's object name).
  public static let object = "object"
  /// The ELF file as opened (its path, or the name given with the bytes).
  public static let file = "file"
  /// The map's name in the object.
  public static let map = "map"
  /// The program's name in the object.
  public static let program = "program"
}
