import ArgumentParser

struct Submit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Submit service order requests from a JSON Lines or CSV file (a billing run).",
        discussion: """
            JSON Lines: one som.v1.ServiceOrderRequest per line in canonical proto3 JSON (an \
            example line closes this help).

            CSV: a header row of the same field names (JSON or proto names), nested fields with \
            dots (appointmentWindow.start, contact.phone, collectionData.amountDueMinor); empty \
            cells leave a field unset; repeated fields (serviceAgreements) cannot be written in \
            CSV. Blank lines and lines starting with # are skipped in both formats.

            The file is streamed in chunks over one call. Records that do not parse are refused \
            without being sent. Every refused record goes to the rejects file as \
            {"line":N,"field":"...","reason":"...","input":"<original line>"}; the file is \
            removed when nothing was refused. Progress goes to stderr, the summary to stdout.

            Exit status: 0 when every record was accepted or a duplicate; 2 when some were \
            rejected; 1 on failure (e.g. the server went away; what was answered so far is \
            summarised on stderr).

            Examples:
              somctl submit --file run-2025-06.jsonl
              somctl submit --file cuts.csv --rejects /tmp/cuts.rejected --json

            A JSON Lines record (one line in the file):
              {"sourceSystem":"SOURCE_SYSTEM_CIS","sourceRequestId":"R-1",\
            "orderType":"ORDER_TYPE_CUT_FOR_NON_PAYMENT","servicePointId":"SP-1"}
            """)

    @OptionGroup var upload: UploadOptions
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await runUpload(OrderUpload(), options: upload, connection: connection)
    }
}
