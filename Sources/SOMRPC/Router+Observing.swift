extension Router {
    /// Told of every finished call: its method, the status code it ended with and how long its handler ran.
    public typealias CallObserver = @Sendable (_ method: MethodDescriptor, _ code: RPCStatus.Code, _ duration: Duration) -> Void

    /// The same table with every handler (and inline handler) timed and reported to `observe`.
    ///
    /// Wrapping the routes keeps the transport's connection handlers unaware of metrics; the
    /// status of a thrown error is the one the caller receives (`RPCStatus(handlerError:)`).
    /// Calls refused before a handler runs (unknown method, not authorized, over a limit) are
    /// not seen here.
    public func observing(_ observe: @escaping CallObserver) -> Router {
        var observed = self
        for (path, route) in routes {
            let descriptor = route.descriptor
            var wrapped = route
            wrapped.handler = ObservedHandler(base: route.handler, descriptor: descriptor, observe: observe)
            if let inline = route.inline {
                wrapped.inline = { bytes, context in
                    let start = ContinuousClock.now
                    do {
                        let response = try inline(bytes, context)
                        observe(descriptor, .ok, ContinuousClock.now - start)
                        return response
                    } catch {
                        observe(descriptor, RPCStatus(handlerError: error).code, ContinuousClock.now - start)
                        throw error
                    }
                }
            }
            observed.routes[path] = wrapped
        }
        return observed
    }
}

/// A handler timed and reported to a `CallObserver`.
struct ObservedHandler: ServerCallHandler {
    let base: any ServerCallHandler
    let descriptor: MethodDescriptor
    let observe: Router.CallObserver

    func handle(requests: RequestStream, responses: ResponseWriter, context: ServerContext) async throws {
        let start = ContinuousClock.now
        do {
            try await base.handle(requests: requests, responses: responses, context: context)
            observe(descriptor, .ok, ContinuousClock.now - start)
        } catch {
            observe(descriptor, RPCStatus(handlerError: error).code, ContinuousClock.now - start)
            throw error
        }
    }
}
