import Foundation
import SOMRPC
@testable import SOMTransport
import Testing

@Suite("Supplementary groups of a peer from /proc/<pid>/status", .timeLimit(.minutes(1)))
struct PeerGroupsTests {
    static let status = "Name:\tsomctl\nUid:\t1003\t1003\t1003\t1003\nGid:\t1003\t1003\t1003\t1003\nGroups:\t20 1003 2000 \n"

    @Test("the Groups line is read when the effective uid matches the socket's")
    func parsed() {
        #expect(PeerCredentials.parseStatusGroups(Self.status, uid: 1003) == [20, 1003, 2000])
    }

    @Test("another process at the same pid (a different effective uid) credits no groups")
    func reusedPID() {
        #expect(PeerCredentials.parseStatusGroups(Self.status, uid: 1004).isEmpty)
        #expect(PeerCredentials.parseStatusGroups("Name:\tx\nGroups:\t2000\n", uid: 0).isEmpty)
    }

    @Test("this process's own groups are read from procfs")
    func ownProcess() {
        let groups = PeerCredentials.supplementaryGroups(pid: getpid(), uid: UInt32(geteuid()))
        var expected = [gid_t](repeating: 0, count: 256)
        let count = getgroups(Int32(expected.count), &expected)
        #expect(Set(groups) == Set(expected.prefix(Int(max(count, 0)))))
    }
}
