import ArgumentParser
import Foundation
import SOMCodec

/// The public surface every generated enum has, so option parsing and display work for all of them.
protocol NamedProtoEnum: CaseIterable {
    var protoName: String? { get }
    init?(protoName: String)
    init(rawValue: Int32)
    var rawValue: Int32 { get }
}

extension NamedProtoEnum {
    /// "ORDER_TYPE_" for OrderType: what every value name of the enum starts with.
    static var namePrefix: String {
        let unspecified = "UNSPECIFIED"
        guard let name = Self(rawValue: 0).protoName, name.hasSuffix(unspecified) else { return "" }
        return String(name.dropLast(unspecified.count))
    }

    /// The value name without the enum's prefix (`CUT_FOR_NON_PAYMENT`); the number for a value
    /// this build does not know, so newer servers still print something useful.
    var shortName: String {
        guard let name = protoName else { return String(rawValue) }
        return name.hasPrefix(Self.namePrefix) ? String(name.dropFirst(Self.namePrefix.count)) : name
    }

    /// `shortName`, or `-` for the unset value, for tables where blanks would misalign the eye.
    var displayName: String { rawValue == 0 ? "-" : shortName }

    /// What an option accepts, as help and errors show it: `cut-for-non-payment`.
    static var optionValues: [String] {
        allCases.filter { $0.rawValue != 0 }.map { $0.shortName.lowercased().replacingOccurrences(of: "_", with: "-") }
    }

    /// Reads an option value: the short or the full proto name, in any case, words joined by `-` or `_`.
    init(option text: String, name: String) throws(ValidationError) {
        let normal = text.uppercased().replacingOccurrences(of: "-", with: "_")
        guard let value = Self(protoName: Self.namePrefix + normal) ?? Self(protoName: normal), value.rawValue != 0 else {
            throw ValidationError("invalid value '\(text)' for \(name); valid values: \(Self.optionValues.joined(separator: ", "))")
        }
        self = value
    }
}

extension OrderType: NamedProtoEnum {}
extension OrderStatus: NamedProtoEnum {}
extension OrderSubStatus: NamedProtoEnum {}
extension SourceSystem: NamedProtoEnum {}
extension Priority: NamedProtoEnum {}
extension HoldReason: NamedProtoEnum {}
extension Outcome: NamedProtoEnum {}
extension OrderEventType: NamedProtoEnum {}
extension CommandType: NamedProtoEnum {}
extension FieldActivityType: NamedProtoEnum {}
extension ActivityStatus: NamedProtoEnum {}
extension ReadingSource: NamedProtoEnum {}
extension Commodity: NamedProtoEnum {}
extension MeterTechnology: NamedProtoEnum {}
extension SupplyState: NamedProtoEnum {}
extension DisconnectLocation: NamedProtoEnum {}
extension ServingStatus: NamedProtoEnum {}
extension NotDoneReason: NamedProtoEnum {}
extension FailureClass: NamedProtoEnum {}
extension AuditAction: NamedProtoEnum {}
