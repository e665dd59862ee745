public import SOMCodec

/// The decision tables of DOMAIN.md, one per order type, as data. Rows are evaluated first-match
/// against the situation each time the order is evaluated (when due and after every activity).
public enum DecisionTables {
    /// The table for `type` (UNSPECIFIED and unknown types have none).
    public static func table(for type: OrderType) -> DecisionTable? { all.first { $0.type == type } }

    /// Every table, in DOMAIN.md order.
    public static let all: [DecisionTable] = [
        enableService, disableService, cutForNonPayment, reconnectForPayment, backToBack,
        exchangeMeter, installMeter, removeMeter, offCycleRead, investigate, deviceTest,
    ]

    static let unknownServicePoint = DecisionRow(
        "unknown service point → FAILED (no device record to plan from)",
        when: [.not(.servicePointKnown)], plan: [.fail("the service point has no device record")])

    static let waitForActiveOrder = DecisionRow(
        "another order is working on the SP → wait (SCHEDULED) until it is done",
        when: [.otherOrderActive], plan: [.waitForOtherOrder])

    static let checkUnknownSupply = DecisionRow(
        "smart, supply state unknown → C: status check → re-evaluate",
        when: [.smart, .commissioned, .supplyUnknown, .not(.triedCommand(.statusCheck))],
        plan: [.tryCommand(.statusCheck), .reEvaluate])

    static let enableService = DecisionTable(
        .enableService, "Enable service (start / move-in)", goal: "SP energised at the start time, start reading exists",
        reading: ReadingRule(acceptExisting: true, estimateAllowed: true),
        rows: [
            DecisionRow("a pending stop on the same SP for the same day → merge both into one back-to-back (this order leads)",
                        when: [.mergePartnerOnServicePoint], plan: [.mergeWithPartner, .reEvaluate]),
            waitForActiveOrder,
            DecisionRow("no meter, SP cut at source → F: connect at source + install meter (one visit) → if smart: C: commission → C: ping → reading",
                        when: [.not(.meterPresent), .not(.supplyConnected)],
                        plan: [.fieldVisit([.connectAtSource, .install]), .only(.smart, .command(.commission)),
                               .only(.smart, .command(.statusCheck)), .reading]),
            DecisionRow("connected at source and meter installed by this order → if smart: C: commission → C: ping → reading",
                        when: [.doneInField(.connectAtSource), .doneInField(.install)],
                        plan: [.only(.smart, .command(.commission)), .only(.smart, .command(.statusCheck)), .reading]),
            DecisionRow("no meter, SP connected → F: install meter → (smart) C: commission → reading",
                        when: [.not(.meterPresent), .supplyConnected],
                        plan: [.field(.install), .only(.smart, .command(.commission)), .reading]),
            DecisionRow("manual meter, on → no switching; reading (scheduled read within tolerance, else F: read)",
                        when: [.technology(.manual), .supplyConnected], plan: [.reading]),
            DecisionRow("manual meter off / cut at source → F: turn on (at the recorded disconnect location) + F: read",
                        when: [.technology(.manual)], plan: [.field(.turnOn), .reading]),
            DecisionRow("smart, not commissioned → C: commission → re-evaluate",
                        when: [.smart, .not(.commissioned), .not(.remoteFailed(.commission))],
                        plan: [.command(.commission), .reEvaluate]),
            DecisionRow("smart, commissioning failed → F: turn on if off + F: read (as for a manual meter)",
                        when: [.smart, .not(.commissioned)], plan: [.only(.not(.supplyConnected), .field(.turnOn)), .reading]),
            DecisionRow("smart, already connected → reading only", when: [.smart, .supplyConnected], plan: [.reading]),
            checkUnknownSupply,
            DecisionRow("smart with switch, remote connect failed → F: turn on → C: ODR",
                        when: [.technology(.smartWithSwitch), .any([.remoteFailed(.remoteConnect), .remoteFailed(.arm)])],
                        plan: [.field(.turnOn), .reading]),
            DecisionRow("smart with switch, open → safety gate → C: remote connect → verify state → reading",
                        when: [.technology(.smartWithSwitch)], plan: [.remoteConnect, .verify, .reading]),
            DecisionRow("smart without switch → F: turn on → C: ODR",
                        when: [.technology(.smartNoSwitch)], plan: [.field(.turnOn), .reading]),
        ])

    static let disableService = DecisionTable(
        .disableService, "Disable service (stop / move-out)", goal: "de-energised per policy, final reading exists",
        reading: ReadingRule(acceptExisting: true, estimateAllowed: true),
        rows: [
            DecisionRow("a pending enable on the same SP for the same moment → convert both into one back-to-back",
                        when: [.mergePartnerOnServicePoint], plan: [.mergeWithPartner, .reEvaluate]),
            unknownServicePoint,
            waitForActiveOrder,
            DecisionRow("no meter → F: turn off at the source when connected (per policy); nothing to read",
                        when: [.not(.meterPresent)], plan: [.only(.disableDisconnects, .field(.turnOff))]),
            DecisionRow("manual meter → F: read (+ F: turn off per policy)",
                        when: [.technology(.manual)], plan: [.only(.disableDisconnects, .field(.turnOff)), .reading]),
            DecisionRow("smart, already off → final reading",
                        when: [.smart, .supplyOff, .not(.switchedByThisOrder)], plan: [.reading]),
            DecisionRow("smart, not communicating (not commissioned) → F: turn off (per policy) + F: read",
                        when: [.smart, .not(.commissioned)], plan: [.only(.disableDisconnects, .field(.turnOff)), .reading]),
            DecisionRow("remote disconnect fails after retries → F: turn off",
                        when: [.technology(.smartWithSwitch), .remoteFailed(.remoteDisconnect)], plan: [.field(.turnOff), .reading]),
            checkUnknownSupply,
            DecisionRow("smart with switch, connected → C: remote disconnect → verify → final reading (policy may leave it on and only read)",
                        when: [.technology(.smartWithSwitch)],
                        plan: [.only(.disableDisconnects, .remoteDisconnect), .only(.disableDisconnects, .verify), .reading]),
            DecisionRow("smart without switch → F: turn off → C: ODR",
                        when: [.technology(.smartNoSwitch)], plan: [.only(.disableDisconnects, .field(.turnOff)), .reading]),
        ])

    static let cutForNonPayment = DecisionTable(
        .cutForNonPayment, "Cut for non-payment", goal: "supply cut within the legal window, location recorded",
        reading: ReadingRule(acceptExisting: true, estimateAllowed: true),
        rows: [
            unknownServicePoint,
            DecisionRow("debt paid / order recalled by the CIS (a reconnect for payment is open on the SP) → cancel (auto-void)",
                        when: [.reconnectOpenOnServicePoint, .not(.switchedByThisOrder)],
                        plan: [.autoVoid("debt paid: a reconnect for payment is open on the service point")]),
            waitForActiveOrder,
            DecisionRow("already off → complete, outcome \"no action needed\"",
                        when: [.supplyOff, .not(.switchedByThisOrder)], plan: [.complete(.noActionNeeded)]),
            DecisionRow("moratorium, medical hold, calendar block, storm mode → HELD with the reason; released when the window opens",
                        when: [.cutGateClosed, .not(.switchedByThisOrder)], plan: [.holdForCutGate]),
            checkUnknownSupply,
            DecisionRow("no communication / switch refuses → F: cut (crew records where: meter, source/pole, curb valve)",
                        when: [.technology(.smartWithSwitch), .any([.not(.commissioned), .remoteFailed(.remoteDisconnect)])],
                        plan: [.field(.turnOff), .reading]),
            DecisionRow("smart with switch, communicating → C: remote disconnect (+ read) → verify → record location = meter switch",
                        when: [.technology(.smartWithSwitch)],
                        plan: [.remoteDisconnect, .verify, .recordLocation(.meterSwitch), .reading]),
            DecisionRow("smart without switch → F: cut → C: ODR", when: [.technology(.smartNoSwitch)], plan: [.field(.turnOff), .reading]),
            DecisionRow("manual meter → F: cut", when: [.technology(.manual)], plan: [.field(.turnOff), .reading]),
            DecisionRow("no meter → F: cut at the source", when: [.not(.meterPresent)], plan: [.field(.turnOff)]),
        ])

    static let reconnectForPayment = DecisionTable(
        .reconnectForPayment, "Reconnect for payment", goal: "supply restored before the deadline, reading exists",
        reading: ReadingRule(acceptExisting: true, estimateAllowed: true),
        rows: [
            unknownServicePoint,
            DecisionRow("a CNP on this SP not yet executed → supersede (cancel) the CNP; done",
                        when: [.pendingCutOnServicePoint], plan: [.supersedePendingCut, .reEvaluate]),
            DecisionRow("a CNP command in flight → wait for its outcome, then re-evaluate",
                        when: [.cutInFlightOnServicePoint], plan: [.waitForOtherOrder]),
            waitForActiveOrder,
            DecisionRow("already connected (nothing was cut) → complete, outcome \"no action needed\"",
                        when: [.supplyConnected, .not(.switchedByThisOrder)], plan: [.complete(.noActionNeeded)]),
            checkUnknownSupply,
            DecisionRow("cut by meter switch, remote connect failed or not communicating → F: reconnect at the meter",
                        when: [.technology(.smartWithSwitch), .any([.not(.commissioned), .remoteFailed(.remoteConnect), .remoteFailed(.arm)])],
                        plan: [.field(.reconnect), .reading]),
            DecisionRow("cut by meter switch → safety gate → C: remote connect (or arm, then customer presses button, with time-out and fallback) → verify → reading",
                        when: [.technology(.smartWithSwitch), .any([.cutAt(.meterSwitch), .cutAt(.unspecified)])],
                        plan: [.remoteConnect, .verify, .reading]),
            DecisionRow("cut manually / at source → F: reconnect at the recorded location", when: [], plan: [.field(.reconnect), .reading]),
        ])

    static let backToBack = DecisionTable(
        .backToBack, "Back-to-back (occupant change)", goal: "supply on for the new occupant; one reading closes the old and opens the new",
        reading: ReadingRule(acceptExisting: true, estimateAllowed: true),
        rows: [
            waitForActiveOrder,
            DecisionRow("connected and stop = start → no switching; one reading serves as the old customer's final and the new customer's start",
                        when: [.meterPresent, .supplyConnected, .not(.switchedByThisOrder)], plan: [.reading]),
            DecisionRow("meter off (or no meter) → enable logic for the new occupant plus the stop reading for the old (the same reading)",
                        when: [], plan: [.useTable(.enableService)]),
        ])

    static let exchangeMeter = DecisionTable(
        .exchangeMeter, "Exchange meter", goal: "new meter fitted and working, supply as before, readings of both meters",
        reading: ReadingRule(acceptExisting: true, estimateAllowed: false),
        rows: [
            unknownServicePoint,
            waitForActiveOrder,
            DecisionRow("no meter → FAILED: nothing to exchange (an install is needed)",
                        when: [.not(.meterPresent), .not(.doneInField(.exchange))], plan: [.fail("no meter to exchange on the service point")]),
            DecisionRow("meter present → F: exchange (final read old meter, initial read new) → C: decommission old → C: commission new → C: connect new only if the old one was connected → verify reading",
                        when: [],
                        plan: [.field(.exchange), .only(.replacedMeterWasSmart, .command(.decommission)), .only(.smart, .command(.commission)),
                               .only(.supplyWasConnectedBeforeExchange, .restoreSupply), .verify, .reading]),
        ])

    static let installMeter = DecisionTable(
        .installMeter, "Install meter", goal: "meter fitted, commissioned when smart, initial reading",
        reading: ReadingRule(acceptExisting: true, estimateAllowed: false),
        rows: [
            waitForActiveOrder,
            DecisionRow("a meter is already installed → FAILED (an exchange is needed)",
                        when: [.meterPresent, .not(.doneInField(.install))], plan: [.fail("the service point already has a meter; an exchange is needed")]),
            DecisionRow("no meter → F: install → C: commission → C: ping → initial reading",
                        when: [],
                        plan: [.field(.install), .only(.smart, .command(.commission)), .only(.smart, .command(.statusCheck)), .reading]),
        ])

    static let removeMeter = DecisionTable(
        .removeMeter, "Remove meter", goal: "final reading, meter removed and decommissioned, SP meterless",
        reading: ReadingRule(acceptExisting: true, estimateAllowed: false),
        rows: [
            unknownServicePoint,
            waitForActiveOrder,
            DecisionRow("no meter → complete, outcome \"no action needed\"",
                        when: [.not(.meterPresent), .not(.doneInField(.remove))], plan: [.complete(.noActionNeeded)]),
            DecisionRow("meter present → final reading → F: remove → C: decommission → SP marked meterless",
                        when: [], plan: [.reading, .field(.remove), .only(.replacedMeterWasSmart, .command(.decommission))]),
        ])

    static let offCycleRead = DecisionTable(
        .offCycleRead, "Off-cycle read", goal: "a fresh actual reading",
        reading: ReadingRule(acceptExisting: false, estimateAllowed: false),
        rows: [
            unknownServicePoint,
            waitForActiveOrder,
            DecisionRow("no meter → FAILED: nothing to read", when: [.not(.meterPresent)], plan: [.fail("no meter to read on the service point")]),
            DecisionRow("smart → C: ODR (fallback F: read)", when: [.smart, .commissioned], plan: [.reading]),
            DecisionRow("manual (or smart not commissioned) → F: read", when: [], plan: [.reading]),
        ])

    static let investigate = DecisionTable(
        .investigate, "Investigate / device check", goal: "the device checked; a crew looks when anything is abnormal",
        reading: ReadingRule(acceptExisting: false, estimateAllowed: false),
        rows: [
            unknownServicePoint,
            waitForActiveOrder,
            DecisionRow("smart → C: ping (+ ODR) → if abnormal F: investigate",
                        when: [.smart, .commissioned],
                        plan: [.tryCommand(.statusCheck), .only(.not(.deviceAbnormal), .tryCommand(.onDemandRead)),
                               .only(.deviceAbnormal, .field(.investigate)), .only(.not(.deviceAbnormal), .reading)]),
            DecisionRow("manual (or no meter, or smart not commissioned) → F: investigate", when: [], plan: [.field(.investigate)]),
        ])

    static let deviceTest = DecisionTable(
        .deviceTest, "Device test / configuration", goal: "configuration applied and verified, or the device tested on site",
        reading: ReadingRule(acceptExisting: false, estimateAllowed: false),
        rows: [
            unknownServicePoint,
            waitForActiveOrder,
            DecisionRow("smart, configuration failed or not verifiable → F: test",
                        when: [.smart, .any([.remoteFailed(.configure), .remoteFailed(.statusCheck)])], plan: [.field(.test)]),
            DecisionRow("smart → C: the configuration command → verify", when: [.smart, .commissioned], plan: [.command(.configure), .verify]),
            DecisionRow("otherwise (manual, not commissioned) → F: test", when: [], plan: [.field(.test)]),
        ])
}
