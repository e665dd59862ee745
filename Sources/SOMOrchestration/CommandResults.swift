import SOMCodec

/// How command results change the activity, the device and what comes next (DOMAIN.md
/// "Commands"): verification after every connect/disconnect, back-off per failure class.
extension OrderWork {
    /// Applies a result; `planning` false (terminal orders) records it without follow-up work.
    mutating func applyCommandResult(_ result: CommandResult, planning: Bool = true) -> Bool {
        guard let i = index(of: result.commandID) else { return ignore("no activity \(result.commandID) on this order") }
        let activity = order.activities[i]
        guard activity.isCommand else { return ignore("activity \(result.commandID) is not a command") }
        // A cancelled command may still have run somewhere; its result keeps the device true.
        guard ActivityState.acceptsResult(activity.status) || activity.status == .cancelled else {
            return ignore("duplicate result: activity \(result.commandID) is already \(Describe.name(activity.status.protoName, "ACTIVITY_STATUS_"))")
        }
        // Already unknown and being verified: only the status check decides now. A second "unknown"
        // (the lease ended after the expiry said so) or a late failure must not start a second check
        // or a retry beside the one the check may order; a late success is a fact and is taken.
        if activity.status == .outcomeUnknown, result.kind == .outcomeUnknown || result.kind == .failed {
            return ignore("activity \(result.commandID) has an unknown outcome; its status check decides")
        }
        switch result.kind {
        case .accepted:
            return applyProgress(result.commandID, .accepted)
        case .succeeded, .failed, .outcomeUnknown:
            break
        default:
            return ignore("result kind \(result.kind.rawValue) is not a result")
        }
        learn(from: result, activity: activity)
        // Which delivery answered, when the adapter says so: a field, not text to parse.
        if result.attempt > 0, !activity.attempts.isEmpty {
            order.activities[i].attempts[activity.attempts.count - 1].answeredDelivery = result.attempt
        }
        if let reading = result.reading { noteReading(i, reading) }
        if activity.verification {
            applyVerification(i, result, planning: planning)
            return true
        }
        switch result.kind {
        case .succeeded:
            if activity.status == .queued {
                // An earlier attempt did it after all: the retry waiting in the queue must not go out.
                decision.activitiesToCancel.append(ActivityCancellation(activityID: activity.activityID, isFieldWork: false, recall: false))
            }
            endAttempt(i, .succeeded, detail: result.detail)
            applyEffect(of: order.activities[i], observed: result.observedSupplyState)
            if planning, Switching.effect(of: activity) != nil || activity.command == .configure {
                create(command: .statusCheck, verification: true, gatewayID: activity.gatewayID)
            }
        case .failed:
            handleFailure(i, result.failureClass, ResponseTables.response(to: result.failureClass), result.detail, planning: planning)
        default:
            handleFailure(i, .unknown, .verifyFirst, result.detail.isEmpty ? "outcome unknown" : result.detail, planning: planning)
        }
        return true
    }

    mutating func handleFailure(_ i: Int, _ failure: FailureClass, _ response: FailureResponse, _ detail: String, planning: Bool) {
        let activity = order.activities[i]
        let switching = Switching.effect(of: activity) != nil
        switch response {
        case .verifyFirst where switching:
            endAttempt(i, .outcomeUnknown, failure: .unknown, detail: detail)
            updateDevice { $0.supplyState = .unknown }
            if planning { create(command: .statusCheck, verification: true, gatewayID: activity.gatewayID) }
        case .verifyFirst, .retryWithBackoff:
            // Commands without a physical effect are idempotent: retried directly, no check first.
            endAttempt(i, failure == .unknown ? .outcomeUnknown : .failed, failure: failure, detail: detail)
            if planning, activity.attempts.count < policy.commandRetry.maxAttempts {
                retry(i, after: policy.commandRetry.backoff(afterAttempt: activity.attempts.count), "after a \(Describe.failure(failure).lowercased()) failure")
            } else {
                order.activities[i].status = .failed
            }
        case .giveUpRemote:
            endAttempt(i, .failed, failure: failure, detail: detail)
        case .holdForSafety:
            endAttempt(i, .failed, failure: .safetyRefused, detail: detail)
            if planning {
                hold(.safety, "C: \(Describe.command(activity.command)) refused for safety\(detail.isEmpty ? "" : " (" + detail + ")"): contact the customer, then release the hold", until: nil)
            }
        }
    }

    /// A status check confirming (or not) the last connect/disconnect/configuration.
    mutating func applyVerification(_ i: Int, _ result: CommandResult, planning: Bool) {
        let target = order.activities[..<i].lastIndex { !$0.verification && $0.isCommand && (Switching.effect(of: $0) != nil || $0.command == .configure) }
        let observed = result.observedSupplyState
        guard result.kind == .succeeded else {
            retryVerification(i, result.kind == .failed ? result.failureClass : .unknown, result.detail, planning: planning)
            return
        }
        guard let j = target, Switching.effect(of: order.activities[j]) != nil else {
            endAttempt(i, .succeeded, detail: result.detail.isEmpty ? "verified" : result.detail)
            if Switching.isKnown(observed) { setSupply(observed, remote: true) }
            return
        }
        guard Switching.isKnown(observed) else {
            retryVerification(i, .unknown, "the status check could not tell the supply state", planning: planning)
            return
        }
        endAttempt(i, .succeeded, detail: "observed \(Describe.supply(observed))")
        setSupply(observed, remote: true)
        var switched = order.activities[j]
        if Switching.reached(switched, observed) {
            guard switched.status != .succeeded else { return }
            switched.status = .succeeded
            if !switched.attempts.isEmpty {
                switched.attempts[switched.attempts.count - 1].result = .succeeded
                switched.attempts[switched.attempts.count - 1].detail = "verified by status check: \(Describe.supply(observed))"
            }
            switched.updatedAt = now
            order.activities[j] = switched
            emit(.activityUpdated, detail: "\(Describe.activity(switched)) verified: \(Describe.supply(observed))", activity: switched)
            return
        }
        // The check says the connect/disconnect did not happen: only now may it be sent again.
        switched.status = .failed
        if !switched.attempts.isEmpty {
            switched.attempts[switched.attempts.count - 1].result = .failed
            switched.attempts[switched.attempts.count - 1].detail = "status check observed \(Describe.supply(observed)): not executed"
        }
        switched.updatedAt = now
        order.activities[j] = switched
        emit(.activityUpdated, detail: "\(Describe.activity(switched)) did not happen: status check observed \(Describe.supply(observed))", activity: switched)
        if planning, switched.attempts.count < policy.commandRetry.maxAttempts {
            retry(j, after: .zero, "the status check said it did not happen")
        }
    }

    mutating func retryVerification(_ i: Int, _ failure: FailureClass, _ detail: String, planning: Bool) {
        let attempts = order.activities[i].attempts.count
        endAttempt(i, .failed, failure: failure, detail: detail)
        let response = ResponseTables.response(to: failure)
        let retryable = response == .retryWithBackoff || response == .verifyFirst
        if planning, retryable, attempts < policy.verificationAttempts {
            retry(i, after: policy.commandRetry.backoff(afterAttempt: attempts), "status check again")
        }
    }

    /// The device after a command succeeded.
    mutating func applyEffect(of activity: Activity, observed: SupplyState) {
        switch activity.command {
        case .commission:
            updateDevice { $0.commissioned = true }
        case .decommission:
            let memo = ActivityMemo(activity: activity)
            if memo.meterID.isEmpty || memo.meterID == device?.meterID { updateDevice { $0.commissioned = false } }
        case .remoteConnect, .arm, .remoteDisconnect:
            setSupply(Switching.isKnown(observed) ? observed : Switching.expectedState(after: activity) ?? .unknown, remote: true)
        default:
            if Switching.isKnown(observed) { setSupply(observed, remote: true) }
        }
    }

    /// Sets the supply state; a remote disconnect is at the meter switch, a connection has no cut location.
    mutating func setSupply(_ supply: SupplyState, remote: Bool, location: DisconnectLocation = .unspecified) {
        updateDevice { device in
            device.supplyState = supply
            if supply == .connected || supply == .armed {
                device.disconnectLocation = .unspecified
            } else if supply == .disconnected {
                if location != .unspecified {
                    device.disconnectLocation = location
                } else if remote, device.disconnectLocation == .unspecified {
                    device.disconnectLocation = .meterSwitch
                }
            }
        }
    }

    /// A reading that came with a result: on the activity, and on the device when it is newer.
    mutating func noteReading(_ i: Int, _ reading: Reading) {
        var reading = reading
        if reading.readAt == nil { reading.readAt = now }
        if reading.meterID.isEmpty { reading.meterID = device?.meterID ?? "" }
        order.activities[i].reading = reading
        if reading.meterID == device?.meterID, (device?.lastReading?.readAt).map({ $0 <= reading.readAt! }) ?? true {
            updateDevice { $0.lastReading = reading }
        }
    }
}
