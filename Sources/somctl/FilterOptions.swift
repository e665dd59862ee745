import ArgumentParser
import SOMCodec

/// The order filters `list` and `watch` share; enum values are checked before any call is made.
struct OrderFilterOptions: ParsableArguments {
    @Option(name: .customLong("service-point"), help: ArgumentHelp("Only this service point.", valueName: "id"))
    var servicePoint: String?

    @Option(help: ArgumentHelp("Only this source system: \(SourceSystem.optionValues.joined(separator: ", ")).", valueName: "source"))
    var source: String?

    @Option(help: ArgumentHelp("Only this order type: \(OrderType.optionValues.joined(separator: ", ")).", valueName: "type"))
    var type: String?

    func validate() throws {
        _ = try sourceSystem
        _ = try orderType
    }

    var servicePointID: String { servicePoint ?? "" }

    var sourceSystem: SourceSystem {
        get throws { try source.map { try SourceSystem(option: $0, name: "--source") } ?? .unspecified }
    }

    var orderType: OrderType {
        get throws { try type.map { try OrderType(option: $0, name: "--type") } ?? .unspecified }
    }
}
