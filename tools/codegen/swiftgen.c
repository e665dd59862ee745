/*
 * swiftgen: writes SOMCodec's Swift message types and their protobuf-c bridges
 * by walking the message and enum descriptors that protoc-c generated.
 *
 * Walking protobuf-c's own descriptors (instead of parsing .proto files again)
 * guarantees the Swift side matches the C structs field for field: the C
 * compiler checks every name this program emits when SOMCodec is built.
 *
 * Usage: swiftgen OUT_DIR          (writes Enums.swift, Messages.swift, Messages+C.swift, Messages+JSON.swift)
 *        swiftgen --samples DIR   (writes one text-format sample per message, every field set)
 *
 * The descriptor lists come from registry.c, written by tools/gen-proto.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <protobuf-c/protobuf-c.h>

extern const ProtobufCMessageDescriptor *const swiftgen_messages[];
extern const ProtobufCEnumDescriptor *const swiftgen_enums[];

static void die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "swiftgen: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(1);
}

/* ---- names ------------------------------------------------------------- */

static const char *swift_keywords[] = {
    "associatedtype", "class", "deinit", "enum", "extension", "func", "import", "init", "inout",
    "internal", "let", "operator", "private", "protocol", "public", "static", "struct", "subscript",
    "typealias", "var", "break", "case", "continue", "default", "defer", "do", "else", "fallthrough",
    "for", "guard", "if", "in", "repeat", "return", "switch", "where", "while", "as", "catch",
    "false", "is", "nil", "rethrows", "super", "self", "throw", "throws", "true", "try", "some",
    "any", "Type", "none", NULL};

static int is_keyword(const char *s) {
    for (int i = 0; swift_keywords[i]; i++)
        if (strcmp(s, swift_keywords[i]) == 0) return 1;
    return 0;
}

/* snake_case -> lowerCamelCase, with "id" spelled "ID" after the first word (Swift API style). */
static void lower_camel(const char *snake, char *out, size_t cap) {
    size_t o = 0;
    int word = 0;
    const char *p = snake;
    while (*p && o + 4 < cap) {
        const char *start = p;
        while (*p && *p != '_') p++;
        size_t len = (size_t)(p - start);
        if (word > 0 && len == 2 && strncasecmp(start, "id", 2) == 0) {
            out[o++] = 'I';
            out[o++] = 'D';
        } else {
            for (size_t i = 0; i < len && o + 1 < cap; i++) {
                char c = start[i];
                out[o++] = (char)((i == 0 && word > 0) ? toupper((unsigned char)c) : tolower((unsigned char)c));
            }
        }
        word++;
        if (*p == '_') p++;
    }
    out[o] = 0;
}

/* Swift property name: lowerCamel, backticked when it is a keyword. */
static void property_name(const char *snake, char *out, size_t cap) {
    char tmp[256];
    lower_camel(snake, tmp, sizeof tmp);
    if (is_keyword(tmp))
        snprintf(out, cap, "`%s`", tmp);
    else
        snprintf(out, cap, "%s", tmp);
}

/* protobuf's JSON name: drop underscores, capitalise the letter after each. */
static void json_name(const char *snake, char *out, size_t cap) {
    size_t o = 0;
    int upper = 0;
    for (const char *p = snake; *p && o + 1 < cap; p++) {
        if (*p == '_') {
            upper = 1;
            continue;
        }
        out[o++] = upper ? (char)toupper((unsigned char)*p) : *p;
        upper = 0;
    }
    out[o] = 0;
}

/* "som.v1.ServiceOrderRequest" -> "som__v1__service_order_request": protoc-c's function prefix. */
static void c_function_prefix(const char *full_name, char *out, size_t cap) {
    size_t o = 0;
    const char *last_dot = strrchr(full_name, '.');
    for (const char *p = full_name; *p && o + 3 < cap; p++) {
        if (*p == '.') {
            out[o++] = '_';
            out[o++] = '_';
            continue;
        }
        int in_short_name = last_dot && p > last_dot;
        if (in_short_name && isupper((unsigned char)*p) && p != last_dot + 1) out[o++] = '_';
        out[o++] = (char)tolower((unsigned char)*p);
    }
    out[o] = 0;
}

/* The Swift type for a message: its short name; one namespace is enough for this schema. */
static const char *swift_message_name(const ProtobufCMessageDescriptor *d) { return d->short_name; }

/* "ORDER_STATUS_IN_PROGRESS" with enum "OrderStatus" -> "inProgress". */
static void enum_case_name(const ProtobufCEnumDescriptor *e, const char *value_name, char *out, size_t cap) {
    char prefix[256];
    size_t o = 0;
    for (const char *p = e->short_name; *p && o + 2 < sizeof prefix; p++) {
        if (isupper((unsigned char)*p) && p != e->short_name) prefix[o++] = '_';
        prefix[o++] = (char)toupper((unsigned char)*p);
    }
    prefix[o++] = '_';
    prefix[o] = 0;
    const char *rest = value_name;
    if (strncmp(value_name, prefix, o) == 0 && value_name[o]) rest = value_name + o;
    char lower[256];
    size_t n = strlen(rest);
    if (n >= sizeof lower) die("enum value name too long: %s", value_name);
    for (size_t i = 0; i <= n; i++) lower[i] = (char)tolower((unsigned char)rest[i]);
    property_name(lower, out, cap);
}

/* ---- field classification ---------------------------------------------- */

typedef struct {
    const char *swift; /* Swift element type */
    const char *zero;  /* Swift zero value */
} ScalarInfo;

static ScalarInfo scalar_info(const ProtobufCFieldDescriptor *f) {
    switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32: return (ScalarInfo){"Int32", "0"};
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32: return (ScalarInfo){"UInt32", "0"};
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64: return (ScalarInfo){"Int64", "0"};
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64: return (ScalarInfo){"UInt64", "0"};
    case PROTOBUF_C_TYPE_FLOAT: return (ScalarInfo){"Float", "0"};
    case PROTOBUF_C_TYPE_DOUBLE: return (ScalarInfo){"Double", "0"};
    case PROTOBUF_C_TYPE_BOOL: return (ScalarInfo){"Bool", "false"};
    case PROTOBUF_C_TYPE_STRING: return (ScalarInfo){"String", "\"\""};
    case PROTOBUF_C_TYPE_BYTES: return (ScalarInfo){"[UInt8]", "[]"};
    case PROTOBUF_C_TYPE_ENUM: return (ScalarInfo){((const ProtobufCEnumDescriptor *)f->descriptor)->short_name, ".unspecified"};
    case PROTOBUF_C_TYPE_MESSAGE: return (ScalarInfo){swift_message_name(f->descriptor), "nil"};
    }
    die("unknown field type %d", (int)f->type);
    return (ScalarInfo){0};
}

static void check_supported(const ProtobufCMessageDescriptor *m) {
    if (strchr(m->name + strlen(m->package_name) + 1, '.'))
        die("%s: nested message types are not supported; declare it at top level", m->name);
    for (unsigned i = 0; i < m->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &m->fields[i];
        if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
            die("%s.%s: oneof is not supported (the descriptors do not name the oneof)", m->name, f->name);
        if (f->label == PROTOBUF_C_LABEL_REQUIRED || f->label == PROTOBUF_C_LABEL_OPTIONAL)
            die("%s.%s: only proto3 singular and repeated fields are supported", m->name, f->name);
    }
}

/* ---- Enums.swift ------------------------------------------------------- */

static void emit_enum(FILE *o, const ProtobufCEnumDescriptor *e) {
    char cs[256];
    fprintf(o, "/// `%s`. Open, as proto3 enums are: values this build does not know are kept in `.unrecognized`.\n", e->name);
    fprintf(o, "public enum %s: Sendable, Hashable, CaseIterable {\n", e->short_name);
    for (unsigned i = 0; i < e->n_values; i++) {
        enum_case_name(e, e->values[i].name, cs, sizeof cs);
        fprintf(o, "    /// `%s` = %d\n    case %s\n", e->values[i].name, e->values[i].value, cs);
    }
    fprintf(o, "    /// A value this build does not know.\n    case unrecognized(Int32)\n\n");

    fprintf(o, "    /// The known values.\n    public static let allCases: [%s] = [", e->short_name);
    for (unsigned i = 0; i < e->n_values; i++) {
        enum_case_name(e, e->values[i].name, cs, sizeof cs);
        fprintf(o, "%s.%s", i ? ", " : "", cs);
    }
    fprintf(o, "]\n\n");

    fprintf(o, "    /// Creates the case for a wire value.\n    public init(rawValue: Int32) {\n        switch rawValue {\n");
    for (unsigned i = 0; i < e->n_values; i++) {
        enum_case_name(e, e->values[i].name, cs, sizeof cs);
        fprintf(o, "        case %d: self = .%s\n", e->values[i].value, cs);
    }
    fprintf(o, "        default: self = .unrecognized(rawValue)\n        }\n    }\n\n");

    fprintf(o, "    /// The wire value.\n    public var rawValue: Int32 {\n        switch self {\n");
    for (unsigned i = 0; i < e->n_values; i++) {
        enum_case_name(e, e->values[i].name, cs, sizeof cs);
        fprintf(o, "        case .%s: %d\n", cs, e->values[i].value);
    }
    fprintf(o, "        case .unrecognized(let value): value\n        }\n    }\n\n");

    fprintf(o, "    /// The name in the .proto file (used by the JSON mapping), or nil for an unrecognized value.\n");
    fprintf(o, "    public var protoName: String? {\n        switch self {\n");
    for (unsigned i = 0; i < e->n_values; i++) {
        enum_case_name(e, e->values[i].name, cs, sizeof cs);
        fprintf(o, "        case .%s: \"%s\"\n", cs, e->values[i].name);
    }
    fprintf(o, "        case .unrecognized: nil\n        }\n    }\n\n");

    fprintf(o, "    /// Looks a value up by its name in the .proto file.\n");
    fprintf(o, "    public init?(protoName: String) {\n        switch protoName {\n");
    for (unsigned i = 0; i < e->n_values; i++) {
        enum_case_name(e, e->values[i].name, cs, sizeof cs);
        fprintf(o, "        case \"%s\": self = .%s\n", e->values[i].name, cs);
    }
    fprintf(o, "        default: return nil\n        }\n    }\n}\n\n");
}

/* ---- Messages.swift ---------------------------------------------------- */

static void emit_message_struct(FILE *o, const ProtobufCMessageDescriptor *m) {
    char prop[256];
    fprintf(o, "/// `%s`.\npublic struct %s: Sendable, Hashable {\n", m->name, swift_message_name(m));
    for (unsigned i = 0; i < m->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &m->fields[i];
        ScalarInfo s = scalar_info(f);
        property_name(f->name, prop, sizeof prop);
        if (f->label == PROTOBUF_C_LABEL_REPEATED)
            fprintf(o, "    /// `%s = %u` (repeated)\n    public var %s: [%s] = []\n", f->name, f->id, prop, s.swift);
        else if (f->type == PROTOBUF_C_TYPE_MESSAGE)
            fprintf(o, "    /// `%s = %u`\n    public var %s: %s? = nil\n", f->name, f->id, prop, s.swift);
        else
            fprintf(o, "    /// `%s = %u`\n    public var %s: %s = %s\n", f->name, f->id, prop, s.swift, s.zero);
    }
    fprintf(o, "\n    /// Creates a message with every field at its proto3 default.\n    public init() {}\n");
    if (m->n_fields > 0) {
        fprintf(o, "\n    /// Creates a message from field values; omitted fields take their proto3 defaults.\n    public init(");
        for (unsigned i = 0; i < m->n_fields; i++) {
            const ProtobufCFieldDescriptor *f = &m->fields[i];
            ScalarInfo s = scalar_info(f);
            char label[256];
            lower_camel(f->name, label, sizeof label);
            property_name(f->name, prop, sizeof prop);
            if (f->label == PROTOBUF_C_LABEL_REPEATED)
                fprintf(o, "%s%s: [%s] = []", i ? ", " : "", label, s.swift);
            else if (f->type == PROTOBUF_C_TYPE_MESSAGE)
                fprintf(o, "%s%s: %s? = nil", i ? ", " : "", label, s.swift);
            else
                fprintf(o, "%s%s: %s = %s", i ? ", " : "", label, s.swift, s.zero);
        }
        fprintf(o, ") {\n");
        for (unsigned i = 0; i < m->n_fields; i++) {
            property_name(m->fields[i].name, prop, sizeof prop);
            fprintf(o, "        self.%s = %s\n", prop, prop);
        }
        fprintf(o, "    }\n");
    }
    fprintf(o, "}\n\n");
}

/* A field table for reflection-style code (JSON mapping, validation messages). */
static void emit_field_table(FILE *o, const ProtobufCMessageDescriptor *m) {
    char js[256];
    fprintf(o, "extension %s {\n    /// Field numbers, proto names and JSON names, in field-number order.\n", swift_message_name(m));
    fprintf(o, "    public static let fields: [ProtoField] = [\n");
    for (unsigned i = 0; i < m->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &m->fields[i];
        json_name(f->name, js, sizeof js);
        fprintf(o, "        ProtoField(number: %u, name: \"%s\", jsonName: \"%s\", isRepeated: %s),\n", f->id, f->name, js,
                f->label == PROTOBUF_C_LABEL_REPEATED ? "true" : "false");
    }
    fprintf(o, "    ]\n}\n\n");
}

/* ---- Messages+C.swift -------------------------------------------------- */

static const char *c_scalar_type(const ProtobufCFieldDescriptor *f) {
    switch (f->type) {
    case PROTOBUF_C_TYPE_BOOL: return "protobuf_c_boolean";
    case PROTOBUF_C_TYPE_ENUM: return ((const ProtobufCEnumDescriptor *)f->descriptor)->c_name;
    default: return scalar_info(f).swift;
    }
}

static void emit_decode(FILE *o, const ProtobufCMessageDescriptor *m) {
    char prop[256];
    fprintf(o, "    /// Copies a C message out; the pointer is only read during this call.\n");
    fprintf(o, "    init(c p: UnsafePointer<%s>) throws(CodecError) {\n        self.init()\n", m->c_name);
    for (unsigned i = 0; i < m->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &m->fields[i];
        ScalarInfo s = scalar_info(f);
        property_name(f->name, prop, sizeof prop);
        const char *cn = f->name;
        int rep = f->label == PROTOBUF_C_LABEL_REPEATED;
        switch (f->type) {
        case PROTOBUF_C_TYPE_STRING:
            if (rep)
                fprintf(o, "        self.%s = try CBridge.strings(p.pointee.%s, count: p.pointee.n_%s, field: \"%s\")\n", prop, cn, cn, cn);
            else
                fprintf(o, "        self.%s = try CBridge.string(p.pointee.%s, field: \"%s\")\n", prop, cn, cn);
            break;
        case PROTOBUF_C_TYPE_BYTES:
            if (rep)
                fprintf(o, "        self.%s = CBridge.byteArrays(p.pointee.%s, count: p.pointee.n_%s)\n", prop, cn, cn);
            else
                fprintf(o, "        self.%s = CBridge.bytes(p.pointee.%s)\n", prop, cn);
            break;
        case PROTOBUF_C_TYPE_MESSAGE:
            if (rep)
                fprintf(o, "        self.%s = try CBridge.messages(p.pointee.%s, count: p.pointee.n_%s) { (q) throws(CodecError) in try %s(c: q) }\n",
                        prop, cn, cn, s.swift);
            else
                fprintf(o, "        if let q = p.pointee.%s { self.%s = try %s(c: q) }\n", cn, prop, s.swift);
            break;
        case PROTOBUF_C_TYPE_ENUM:
            if (rep)
                fprintf(o, "        self.%s = CBridge.scalars(p.pointee.%s, count: p.pointee.n_%s).map { %s(rawValue: Int32(truncatingIfNeeded: $0.rawValue)) }\n",
                        prop, cn, cn, s.swift);
            else
                fprintf(o, "        self.%s = %s(rawValue: Int32(truncatingIfNeeded: p.pointee.%s.rawValue))\n", prop, s.swift, cn);
            break;
        case PROTOBUF_C_TYPE_BOOL:
            if (rep)
                fprintf(o, "        self.%s = CBridge.scalars(p.pointee.%s, count: p.pointee.n_%s).map { $0 != 0 }\n", prop, cn, cn);
            else
                fprintf(o, "        self.%s = p.pointee.%s != 0\n", prop, cn);
            break;
        default:
            if (rep)
                fprintf(o, "        self.%s = CBridge.scalars(p.pointee.%s, count: p.pointee.n_%s)\n", prop, cn, cn);
            else
                fprintf(o, "        self.%s = p.pointee.%s\n", prop, cn);
        }
    }
    fprintf(o, "    }\n\n");
}

static void emit_fill(FILE *o, const ProtobufCMessageDescriptor *m) {
    char prop[256], fp[256];
    fprintf(o, "    /// Fills an initialised C message; everything it points to lives in `arena`.\n");
    fprintf(o, "    func fill(_ p: UnsafeMutablePointer<%s>, _ arena: CArena) {\n", m->c_name);
    for (unsigned i = 0; i < m->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &m->fields[i];
        property_name(f->name, prop, sizeof prop);
        const char *cn = f->name;
        int rep = f->label == PROTOBUF_C_LABEL_REPEATED;
        if (rep) fprintf(o, "        p.pointee.n_%s = %s.count\n", cn, prop);
        switch (f->type) {
        case PROTOBUF_C_TYPE_STRING:
            fprintf(o, "        p.pointee.%s = arena.%s(%s)\n", cn, rep ? "strings" : "string", prop);
            break;
        case PROTOBUF_C_TYPE_BYTES:
            fprintf(o, "        p.pointee.%s = arena.%s(%s)\n", cn, rep ? "byteArrays" : "bytes", prop);
            break;
        case PROTOBUF_C_TYPE_MESSAGE: {
            const ProtobufCMessageDescriptor *sub = f->descriptor;
            c_function_prefix(sub->name, fp, sizeof fp);
            if (rep)
                fprintf(o, "        p.pointee.%s = arena.messages(%s, %s.self, initialize: %s__init) { $0.fill($1, arena) }\n", cn, prop,
                        sub->c_name, fp);
            else
                fprintf(o, "        if let v = %s { p.pointee.%s = arena.message(%s.self, initialize: %s__init) { v.fill($0, arena) } }\n", prop,
                        cn, sub->c_name, fp);
            break;
        }
        case PROTOBUF_C_TYPE_ENUM:
            if (rep)
                fprintf(o, "        p.pointee.%s = arena.scalars(%s.map { %s(rawValue: .init(truncatingIfNeeded: $0.rawValue)) })\n", cn, prop,
                        c_scalar_type(f));
            else
                fprintf(o, "        p.pointee.%s = %s(rawValue: .init(truncatingIfNeeded: %s.rawValue))\n", cn, c_scalar_type(f), prop);
            break;
        case PROTOBUF_C_TYPE_BOOL:
            if (rep)
                fprintf(o, "        p.pointee.%s = arena.scalars(%s.map { $0 ? 1 : 0 })\n", cn, prop);
            else
                fprintf(o, "        p.pointee.%s = %s ? 1 : 0\n", cn, prop);
            break;
        default:
            if (rep)
                fprintf(o, "        p.pointee.%s = arena.scalars(%s)\n", cn, prop);
            else
                fprintf(o, "        p.pointee.%s = %s\n", cn, prop);
        }
    }
    fprintf(o, "    }\n");
}

static void emit_bridge(FILE *o, const ProtobufCMessageDescriptor *m) {
    char fp[256];
    c_function_prefix(m->name, fp, sizeof fp);
    const char *sn = swift_message_name(m);
    fprintf(o, "extension %s: ProtoMessage {\n", sn);
    fprintf(o, "    /// The fully qualified protobuf name.\n    public static let protoName = \"%s\"\n\n", m->name);
    fprintf(o, "    /// Decodes the protobuf wire format with protobuf-c.\n");
    fprintf(o, "    public init(decoding bytes: some Collection<UInt8>) throws(CodecError) {\n");
    fprintf(o, "        self = try CBridge.decode(bytes, unpack: %s__unpack, free: %s__free_unpacked) { (p) throws(CodecError) in try %s(c: p) }\n",
            fp, fp, sn);
    fprintf(o, "    }\n\n");
    fprintf(o, "    /// Encodes to the protobuf wire format with protobuf-c.\n");
    fprintf(o, "    public func encoded() -> [UInt8] {\n");
    fprintf(o, "        CBridge.encode(%s.self, initialize: %s__init, size: %s__get_packed_size, pack: %s__pack) { fill($0, $1) }\n", m->c_name,
            fp, fp, fp);
    fprintf(o, "    }\n\n");
    emit_decode(o, m);
    emit_fill(o, m);
    fprintf(o, "}\n\n");
}

/* ---- Messages+JSON.swift ----------------------------------------------- */

/* protobuf-c's descriptors carry no json_name option, so the JSON names are always the default
 * ones (json_name() above); a json_name option in proto/ would be silently ignored. */

static void emit_enum_json(FILE *o, const ProtobufCEnumDescriptor *e) {
    fprintf(o, "extension %s: ProtoJSONEnum {\n    static let protoEnumName = \"%s\"\n", e->short_name, e->name);
    fprintf(o, "    static let protoNameIndex = makeProtoNameIndex()\n}\n\n");
}

/* google.protobuf.Timestamp has its own JSON form (an RFC 3339 string), written by hand in RFC3339.swift. */
static int emit_well_known_json(FILE *o, const ProtobufCMessageDescriptor *m) {
    if (strcmp(m->name, "google.protobuf.Timestamp") == 0) {
        fprintf(o, "extension Timestamp: ProtoJSONMessage {\n");
        fprintf(o, "    /// An RFC 3339 string in UTC, e.g. \"1972-01-01T10:00:20.021Z\".\n");
        fprintf(o, "    public func jsonValue() throws(JSONMappingError) -> JSONValue {\n        .string(try RFC3339.format(self))\n    }\n\n");
        fprintf(o, "    /// Reads an RFC 3339 string; offsets other than Z are converted to UTC.\n");
        fprintf(o, "    public init(json: JSONValue) throws(JSONMappingError) {\n        self = try RFC3339.timestamp(from: json)\n    }\n}\n\n");
        return 1;
    }
    if (strncmp(m->name, "google.protobuf.", 16) == 0)
        die("%s: a well-known type with a special JSON mapping that swiftgen does not implement", m->name);
    return 0;
}

/* The JSON name and proto name every field is read under; both must be unique within the message. */
static void check_json_names(const ProtobufCMessageDescriptor *m) {
    char a[256], b[256];
    if (m->n_fields > 64) die("%s: more than 64 fields (JSONFieldSet holds 64)", m->name);
    for (unsigned i = 0; i < m->n_fields; i++) {
        json_name(m->fields[i].name, a, sizeof a);
        for (unsigned j = 0; j < m->n_fields; j++) {
            if (i == j) continue;
            json_name(m->fields[j].name, b, sizeof b);
            if (strcmp(a, b) == 0 || strcmp(a, m->fields[j].name) == 0)
                die("%s: JSON name %s of %s clashes with field %s", m->name, a, m->fields[i].name, m->fields[j].name);
        }
    }
}

static void emit_message_json(FILE *o, const ProtobufCMessageDescriptor *m) {
    char prop[256], js[256];
    const char *sn = swift_message_name(m);
    if (emit_well_known_json(o, m)) return;
    check_json_names(m);
    fprintf(o, "extension %s: ProtoJSONMessage {\n", sn);

    fprintf(o, "    /// The message as canonical proto3 JSON: JSON names, fields at their default left out.\n");
    fprintf(o, "    public func jsonValue() throws(JSONMappingError) -> JSONValue {\n");
    if (m->n_fields == 0) {
        fprintf(o, "        .object([])\n    }\n\n");
    } else {
        fprintf(o, "        var members: [(String, JSONValue)] = []\n        members.reserveCapacity(%u)\n", m->n_fields);
        for (unsigned i = 0; i < m->n_fields; i++) {
            const ProtobufCFieldDescriptor *f = &m->fields[i];
            int rep = f->label == PROTOBUF_C_LABEL_REPEATED, msg = f->type == PROTOBUF_C_TYPE_MESSAGE;
            property_name(f->name, prop, sizeof prop);
            json_name(f->name, js, sizeof js);
            const char *writer = msg ? (rep ? "try JSONField.writeMessages" : "try JSONField.writeMessage")
                                     : (rep ? "JSONField.writeRepeated" : "JSONField.write");
            fprintf(o, "        %s(\"%s\", %s, into: &members)\n", writer, js, prop);
        }
        fprintf(o, "        return .object(members)\n    }\n\n");
    }

    fprintf(o, "    /// Reads the message from proto3 JSON; fields may be named by JSON or proto name, unknown names are errors.\n");
    fprintf(o, "    public init(json: JSONValue) throws(JSONMappingError) {\n        self.init()\n");
    if (m->n_fields == 0) {
        fprintf(o, "        for (name, _) in try JSONField.members(of: json, messageName: Self.protoName) {\n");
        fprintf(o, "            throw JSONMappingError.unknownField(name, in: Self.protoName).within(name)\n        }\n    }\n}\n\n");
        return;
    }
    fprintf(o, "        var seen = JSONFieldSet()\n");
    fprintf(o, "        for (name, value) in try JSONField.members(of: json, messageName: Self.protoName) {\n");
    fprintf(o, "            do throws(JSONMappingError) {\n");
    fprintf(o, "                guard let position = Self.jsonNameIndex.value(for: name) else {\n");
    fprintf(o, "                    throw JSONMappingError.unknownField(name, in: Self.protoName)\n                }\n");
    fprintf(o, "                try seen.insert(position)\n                switch position {\n");
    for (unsigned i = 0; i < m->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &m->fields[i];
        int rep = f->label == PROTOBUF_C_LABEL_REPEATED, msg = f->type == PROTOBUF_C_TYPE_MESSAGE;
        property_name(f->name, prop, sizeof prop);
        const char *reader = msg ? (rep ? "readMessages" : "readMessage") : (rep ? "readRepeated" : "read");
        fprintf(o, "                case %u: self.%s = try JSONField.%s(value)\n", i, prop, reader);
    }
    fprintf(o, "                default: break\n                }\n");
    fprintf(o, "            } catch {\n                throw error.within(name)\n            }\n        }\n    }\n\n");
    fprintf(o, "    private static let jsonNameIndex = JSONNameIndex(fields: fields)\n}\n\n");
}

/* ---- samples ----------------------------------------------------------- */

static int sample_counter;
/* When >= 0, enum fields take value number (sample_enum_index mod count) instead of the last one. */
static int sample_enum_index = -1;

static void emit_sample_fields(FILE *o, const ProtobufCMessageDescriptor *m, int depth);

static void emit_sample_value(FILE *o, const ProtobufCFieldDescriptor *f, int depth) {
    int n = ++sample_counter;
    for (int i = 0; i < depth; i++) fputs("  ", o);
    switch (f->type) {
    case PROTOBUF_C_TYPE_STRING: fprintf(o, "%s: \"%s-%d \\303\\251\"\n", f->name, f->name, n); break;
    case PROTOBUF_C_TYPE_BYTES: fprintf(o, "%s: \"\\000\\377%s\"\n", f->name, f->name); break;
    case PROTOBUF_C_TYPE_BOOL: fprintf(o, "%s: true\n", f->name); break;
    case PROTOBUF_C_TYPE_ENUM: {
        const ProtobufCEnumDescriptor *e = f->descriptor;
        unsigned k = sample_enum_index >= 0 ? (unsigned)sample_enum_index % e->n_values : e->n_values - 1;
        fprintf(o, "%s: %s\n", f->name, e->values[k].name);
        break;
    }
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64: fprintf(o, "%s: %d\n", f->name, -1000 * n - 7); break;
    case PROTOBUF_C_TYPE_FLOAT:
    case PROTOBUF_C_TYPE_DOUBLE: fprintf(o, "%s: %d.5\n", f->name, n); break;
    case PROTOBUF_C_TYPE_MESSAGE:
        fprintf(o, "%s {\n", f->name);
        emit_sample_fields(o, f->descriptor, depth + 1);
        for (int i = 0; i < depth; i++) fputs("  ", o);
        fputs("}\n", o);
        break;
    default: fprintf(o, "%s: %u\n", f->name, 1000u * (unsigned)n + 3u); break;
    }
}

static void emit_sample_fields(FILE *o, const ProtobufCMessageDescriptor *m, int depth) {
    if (depth > 4) return;
    for (unsigned i = 0; i < m->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &m->fields[i];
        int copies = f->label == PROTOBUF_C_LABEL_REPEATED ? 2 : 1;
        for (int c = 0; c < copies; c++) emit_sample_value(o, f, depth);
    }
}

/* ---- main -------------------------------------------------------------- */

static FILE *open_out(const char *dir, const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *o = fopen(path, "w");
    if (!o) die("cannot write %s", path);
    fprintf(o, "// DO NOT EDIT. Generated by tools/gen-proto (tools/codegen/swiftgen.c) from proto/.\n\n");
    return o;
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "--samples") == 0) {
        for (int i = 0; swiftgen_messages[i]; i++) {
            const ProtobufCMessageDescriptor *m = swiftgen_messages[i];
            char path[4096];
            snprintf(path, sizeof path, "%s/%s.txtpb", argv[2], m->name);
            FILE *o = fopen(path, "w");
            if (!o) die("cannot write %s", path);
            fprintf(o, "# proto-message: %s\n# Every field set; made by tools/make-fixtures.sh (swiftgen --samples).\n", m->name);
            sample_counter = 0;
            sample_enum_index = -1;
            emit_sample_fields(o, m, 0);
            fclose(o);
            /* Variants that sweep every value of each enum field of this message. */
            unsigned most = 0;
            for (unsigned f = 0; f < m->n_fields; f++)
                if (m->fields[f].type == PROTOBUF_C_TYPE_ENUM) {
                    unsigned n = ((const ProtobufCEnumDescriptor *)m->fields[f].descriptor)->n_values;
                    if (n > most) most = n;
                }
            for (unsigned k = 0; k + 1 < most; k++) {
                snprintf(path, sizeof path, "%s/%s.enum%u.txtpb", argv[2], m->name, k);
                o = fopen(path, "w");
                if (!o) die("cannot write %s", path);
                fprintf(o, "# proto-message: %s\n# Enum sweep %u; made by tools/make-fixtures.sh (swiftgen --samples).\n", m->name, k);
                sample_counter = 0;
                sample_enum_index = (int)k;
                emit_sample_fields(o, m, 0);
                fclose(o);
            }
        }
        return 0;
    }
    if (argc != 2) die("usage: swiftgen OUT_DIR | swiftgen --samples DIR");

    FILE *o = open_out(argv[1], "Enums.swift");
    for (int i = 0; swiftgen_enums[i]; i++) emit_enum(o, swiftgen_enums[i]);
    fclose(o);

    o = open_out(argv[1], "Messages.swift");
    for (int i = 0; swiftgen_messages[i]; i++) {
        check_supported(swiftgen_messages[i]);
        emit_message_struct(o, swiftgen_messages[i]);
        emit_field_table(o, swiftgen_messages[i]);
    }
    fclose(o);

    o = open_out(argv[1], "Messages+C.swift");
    fprintf(o, "internal import SOMProto\n\n");
    for (int i = 0; swiftgen_messages[i]; i++) emit_bridge(o, swiftgen_messages[i]);
    fclose(o);

    o = open_out(argv[1], "Messages+JSON.swift");
    for (int i = 0; swiftgen_enums[i]; i++) emit_enum_json(o, swiftgen_enums[i]);
    for (int i = 0; swiftgen_messages[i]; i++) emit_message_json(o, swiftgen_messages[i]);
    fclose(o);
    return 0;
}
