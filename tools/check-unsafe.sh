#!/usr/bin/env bash
# Fails when unsafe pointers or C modules appear outside the two wrapper modules
# (SOMLMDB for lmdb, SOMCodec for protobuf-c) and the generated SOMProto.
set -euo pipefail
cd "$(dirname "$0")/.."
pattern='Unsafe[A-Za-z]*Pointer|UnsafeRawBufferPointer|OpaquePointer|unsafeBitCast|import +(CLMDB|SOMProto)\b'
hits=$(grep -rnE "$pattern" Sources --include='*.swift' \
    | grep -vE '^Sources/(SOMLMDB|SOMCodec)/' || true)
if [ -n "$hits" ]; then
    echo "check-unsafe: unsafe code outside SOMLMDB and SOMCodec:" >&2
    echo "$hits" >&2
    exit 1
fi
echo "check-unsafe: ok"
