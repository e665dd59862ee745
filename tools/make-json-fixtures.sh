#!/usr/bin/env bash
# Makes the proto3 JSON golden fixtures with the reference implementation (Python protobuf's
# json_format.MessageToJson) from the binary codec fixtures:
#  - Tests/SOMCodecTests/Fixtures/json/cases/NAME.txtpb: hand-written JSON edge cases; each gets
#    NAME.bin from `protoc --encode`;
#  - for every binary fixture (Fixtures/*.bin, Fixtures/samples/*.bin, json/cases/*.bin) the golden
#    json/golden/<its path>.json;
#  - a fixture that has no JSON form (the samples' timestamps have negative nanos, which the JSON
#    mapping refuses) is listed with Python's error, and a repaired copy (timestamps made valid) is
#    written to json/repaired/ with its golden;
#  - json/manifest.tsv lists them all: type, binary, golden (or -), Python's error (or -).
# Needs protoc and Python 3; installs the protobuf package into .build-json/venv when missing.
# The tests read the files only: Python is not needed to run them.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
command -v protoc >/dev/null || { echo "make-json-fixtures: protoc not found (apt-get install protobuf-compiler)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "make-json-fixtures: python3 not found" >&2; exit 2; }

PYTHON=python3
if ! python3 -c 'import google.protobuf.json_format' 2>/dev/null; then
    VENV="$ROOT/.build-json/venv"
    if ! "$VENV/bin/python" -c 'import google.protobuf.json_format' 2>/dev/null; then
        echo "make-json-fixtures: installing the protobuf package into $VENV"
        python3 -m venv "$VENV"
        "$VENV/bin/pip" install --quiet protobuf
    fi
    PYTHON="$VENV/bin/python"
fi

FIX=Tests/SOMCodecTests/Fixtures
JSON="$FIX/json"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
PROTOS=$(cd proto && find som -name '*.proto' | LC_ALL=C sort)

# 1. Binary fixtures for the hand-written cases.
for txt in "$JSON"/cases/*.txtpb; do
    type=$(sed -n 's/^# proto-message: *//p' "$txt" | head -1)
    [ -n "$type" ] || { echo "make-json-fixtures: $txt has no '# proto-message:' line" >&2; exit 1; }
    (cd proto && protoc --proto_path=. --proto_path=/usr/include --encode="$type" $PROTOS) <"$txt" >"${txt%.txtpb}.bin"
done

# 2. Python classes for the schema (the well-known Timestamp comes with the protobuf package).
(cd proto && protoc --proto_path=. --proto_path=/usr/include --python_out="$WORK" $PROTOS)

rm -rf "$JSON/golden" "$JSON/repaired"
"$PYTHON" - "$WORK" "$FIX" <<'PY'
import glob, importlib, os, sys

work, fix = sys.argv[1], sys.argv[2]
sys.path.insert(0, work)
from google.protobuf import descriptor_pool, json_format, message_factory, text_format
from google.protobuf import timestamp_pb2  # noqa: F401  (registers google.protobuf.Timestamp)

for path in sorted(glob.glob(os.path.join(work, "som", "v1", "*_pb2.py"))):
    importlib.import_module("som.v1." + os.path.basename(path)[:-3])
pool = descriptor_pool.Default()


def message_class(name):
    return message_factory.GetMessageClass(pool.FindMessageTypeByName(name))


def proto_type(txtpb):
    with open(txtpb, encoding="utf-8") as f:
        for line in f:
            if line.startswith("# proto-message:"):
                return line.split(":", 1)[1].strip()
    raise SystemExit(f"{txtpb}: no '# proto-message:' line")


def write(path, data, mode="w"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(data)


def repair(message, counter=[0]):
    """Makes every Timestamp valid, cycling the nanos through 9, 6, 3 and 0 fractional digits."""
    if message.DESCRIPTOR.full_name == "google.protobuf.Timestamp":
        counter[0] += 1
        message.seconds = abs(message.seconds) * 100003
        message.nanos = abs(message.nanos) * (1, 1000, 1000000, 0)[counter[0] % 4] % 1000000000
        return
    for field, value in message.ListFields():
        if field.message_type is None:
            continue
        repeated = field.is_repeated if hasattr(field, "is_repeated") else field.label == field.LABEL_REPEATED
        for element in (value if repeated else [value]):
            repair(element)


rows = []
sources = [os.path.join(fix, "*.bin"), os.path.join(fix, "samples", "*.bin"), os.path.join(fix, "json", "cases", "*.bin")]
for binary in sorted(p for pattern in sources for p in glob.glob(pattern)):
    name = os.path.relpath(binary, fix)[: -len(".bin")]
    type_name = proto_type(os.path.join(fix, name + ".txtpb"))
    with open(binary, "rb") as f:
        message = message_class(type_name).FromString(f.read())
    try:
        text = json_format.MessageToJson(message)
    except (ValueError, json_format.Error) as error:
        rows.append((type_name, name + ".bin", "-", str(error).replace("\t", " ").replace("\n", " ")))
        repaired = message_class(type_name)()
        repaired.CopyFrom(message)
        repair(repaired)
        base = os.path.join("json", "repaired", os.path.basename(name))
        header = f"# proto-message: {type_name}\n# {name} with valid timestamps; made by tools/make-json-fixtures.sh.\n"
        write(os.path.join(fix, base + ".txtpb"), header + text_format.MessageToString(repaired))
        write(os.path.join(fix, base + ".bin"), repaired.SerializeToString(), "wb")
        golden = os.path.join("json", "golden", base + ".json")
        write(os.path.join(fix, golden), json_format.MessageToJson(repaired) + "\n")
        rows.append((type_name, base + ".bin", golden, "-"))
        continue
    golden = os.path.join("json", "golden", name + ".json")
    write(os.path.join(fix, golden), text + "\n")
    rows.append((type_name, name + ".bin", golden, "-"))

header = "# type\tbinary\tgolden JSON (- when none)\treference error (- when none); paths relative to Fixtures/\n"
write(os.path.join(fix, "json", "manifest.tsv"), header + "".join("\t".join(row) + "\n" for row in sorted(rows, key=lambda r: r[1])))
goldens = sum(1 for row in rows if row[2] != "-")
print(f"make-json-fixtures: {goldens} goldens, {len(rows) - goldens} fixtures without a JSON form")
PY
