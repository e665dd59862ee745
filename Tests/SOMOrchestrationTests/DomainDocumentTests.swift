import Foundation
import SOMOrchestration
import Testing

@Suite("docs/domain.md", .timeLimit(.minutes(2)))
struct DomainDocumentTests {
    static var documentPath: String {
        // Tests/SOMOrchestrationTests/<this file> → repository root.
        let components = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        return components.dropLast(3).joined(separator: "/") + "/docs/domain.md"
    }

    @Test("the document carries the generated decision tables verbatim and names every row")
    func tablesInSync() throws {
        var document = try String(contentsOfFile: Self.documentPath, encoding: .utf8)
        let generated = DecisionTables.markdown
        // SOM_WRITE_DOMAIN_DOC=1 rewrites the generated section (from the first table to the end).
        if ProcessInfo.processInfo.environment["SOM_WRITE_DOMAIN_DOC"] == "1", let start = document.range(of: "### Enable service") {
            document = String(document[..<start.lowerBound]) + generated
            try document.write(toFile: Self.documentPath, atomically: true, encoding: .utf8)
        }
        #expect(document.contains(generated), "docs/domain.md is out of date; its tables section must read:\n\(generated)")
        for table in DecisionTables.all {
            for row in table.rows { #expect(document.contains(row.label.replacingOccurrences(of: "|", with: "\\|")), "\(row.label)") }
        }
    }
}
