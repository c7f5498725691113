import Testing

@testable import Codegen

/// The naming rules the issue states (`exec_event` → `ExecEvent`,
/// `filename_len` → `filenameLen`, keywords escaped).
@Suite struct SwiftNamesTests {
  @Test(arguments: [
    ("exec_event", "ExecEvent"), ("__u32", "U32"), ("TCP_STATE", "TcpState"), ("task_struct", "TaskStruct"),
    ("myValue", "MyValue"), ("x", "X"), ("9lives", "_9lives"), ("Type", "Type_"), ("self", "Self_"),
  ])
  func typeNames(c: String, swift: String) {
    #expect(SwiftNames.typeName(c) == swift)
  }

  @Test(arguments: [
    ("filename_len", "filenameLen"), ("pid", "pid"), ("TASK_RUNNING", "taskRunning"), ("__pad", "pad"),
    ("default", "`default`"), ("in", "`in`"), ("self", "`self`"), ("2nd", "_2nd"), ("myValue", "myValue"),
  ])
  func memberNames(c: String, swift: String) {
    #expect(SwiftNames.memberName(c) == swift)
  }
}
