#!/usr/bin/env bash
# Makes the golden codec fixtures with the reference implementation (protoc):
#  - Tests/SOMCodecTests/Fixtures/samples/*.txtpb: every message with every field set, plus enum
#    sweeps, written by swiftgen --samples from protobuf-c's descriptors;
#  - Tests/SOMCodecTests/Fixtures/*.txtpb: hand-written cases;
#  - each NAME.txtpb gets NAME.bin from `protoc --encode=<its "# proto-message:" type>`.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
command -v protoc >/dev/null || { echo "make-fixtures: protoc not found (apt-get install protobuf-compiler)" >&2; exit 2; }
FIX=Tests/SOMCodecTests/Fixtures
rm -rf "$FIX/samples"
mkdir -p "$FIX/samples"
# gen-proto builds swiftgen; it leaves the generated sources as they are when nothing changed.
SWIFTGEN_SAMPLES="$ROOT/$FIX/samples" tools/gen-proto >/dev/null
PROTOS=$(cd proto && find som -name '*.proto' | LC_ALL=C sort)
count=0
for txt in "$FIX"/*.txtpb "$FIX"/samples/*.txtpb; do
    [ -e "$txt" ] || continue
    type=$(sed -n 's/^# proto-message: *//p' "$txt" | head -1)
    [ -n "$type" ] || { echo "make-fixtures: $txt has no '# proto-message:' line" >&2; exit 1; }
    (cd proto && protoc --proto_path=. --proto_path=/usr/include --encode="$type" $PROTOS) <"$txt" >"${txt%.txtpb}.bin"
    count=$((count + 1))
done
echo "make-fixtures: encoded $count fixtures"
