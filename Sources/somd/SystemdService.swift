import ServiceLifecycle
import SOMTransport

/// systemd's side of the service: `WATCHDOG=1` keep-alives while serving and `STOPPING=1` as
/// soon as shutdown begins. Listed after the server in the ServiceGroup, so it hears of the
/// shutdown first (the group stops services in reverse order) and says so before the drain.
struct SystemdService: Service {
    let notifier: SystemdNotifier

    func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [notifier] in await notifier.runWatchdog() }
            // Returns on graceful shutdown, or throws when the group is cancelled (the server ended).
            try? await gracefulShutdown()
            await notifier.stopping()
            group.cancelAll()
        }
    }
}
