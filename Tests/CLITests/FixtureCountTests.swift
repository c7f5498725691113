import Testing
import TestSupport

/// The parameterized tests over `Fixture.objects` run one case per object,
/// so an empty or partial Fixtures/obj would let them pass having checked
/// nothing: 16 objects are committed.
@Suite struct FixtureCountTests {
  @Test func allFixtureObjectsArePresent() {
    #expect(Fixture.objects.count >= 16, "\(Fixture.objects.count) objects in Fixtures/obj")
  }
}
