package io.rustrade.sample.chaos;

import io.rustrade.sample.exchange.SimulatedExchange;
import io.rustrade.sample.trading.AccountSuspendedException;
import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.Supervisor;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Breaks things on demand, to watch the supervisor react.
 *
 * <ul>
 *   <li>{@code POST /chaos/{service}}: the service fails now ({@code 202}); {@code 404} for an unknown
 *       service, {@code 409} when it is not running, since only a running service can fail. With {@code
 *       ?fatal=true} it fails with an {@link AccountSuspendedException}, which the sample's {@code
 *       fatal-exceptions} names: it is {@code FAILED} at once, not restarted.
 *   <li>{@code POST /chaos/exchange/outage}: the exchange drops every connection, and the market-data
 *       feed finds out by itself.
 * </ul>
 */
@RestController
@RequestMapping("/chaos")
class ChaosController {

    private final Supervisor supervisor;

    private final SimulatedExchange exchange;

    ChaosController(Supervisor supervisor, SimulatedExchange exchange) {
        this.supervisor = supervisor;
        this.exchange = exchange;
    }

    @PostMapping("/{service}")
    ResponseEntity<Map<String, Object>> crash(
            @PathVariable String service, @RequestParam(defaultValue = "false") boolean fatal) {
        ServiceSnapshot snapshot = this.supervisor.service(service).orElse(null);
        if (snapshot == null) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND)
                    .body(Map.of("service", service, "error", "no supervised service has this name"));
        }
        if (snapshot.state() != io.rustrade.supervisor.ServiceState.RUNNING) {
            return ResponseEntity.status(HttpStatus.CONFLICT)
                    .body(Map.of(
                            "service", service, "state", snapshot.state(), "error", "only a running service can fail"));
        }
        RuntimeException failure = fatal
                ? new AccountSuspendedException("Account suspended through /chaos/" + service + "?fatal=true")
                : new ChaosException("Crash requested through /chaos/" + service);
        this.supervisor.reportFailure(service, failure);
        return ResponseEntity.accepted().body(Map.of("service", service, "failure", "injected"));
    }

    @PostMapping("/exchange/outage")
    Map<String, Object> outage() {
        return Map.of("droppedConnections", this.exchange.dropConnections());
    }

    /** The failure injected by {@code POST /chaos/{service}}. */
    static class ChaosException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        ChaosException(String message) {
            super(message);
        }
    }
}
