package io.rustrade.supervisor.actuate;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.rustrade.supervisor.actuate.SupervisorEndpoint.ServiceDescriptor;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The HTTP statuses of the {@code supervisor} endpoint's command, {@code POST
 * /actuator/supervisor/{name}}: 200 with the service after the command, 404 for an unknown name, 400 for
 * a missing or unknown action, with a body whose {@code message} lists the valid actions, and 409 for an
 * action the service's situation forbids ({@code start} of a {@code WAITING} service), with a body whose
 * {@code message} says why (Spring Boot's error page shows no message by default).
 */
@EndpointWebExtension(endpoint = SupervisorEndpoint.class)
public class SupervisorEndpointWebExtension {

    /** Not among {@link WebEndpointResponse}'s constants. */
    private static final int STATUS_CONFLICT = 409;

    private final SupervisorEndpoint endpoint;

    public SupervisorEndpointWebExtension(SupervisorEndpoint endpoint) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint must not be null");
    }

    /** As {@link SupervisorEndpoint#act}, with the HTTP status it leads to. */
    @WriteOperation
    public WebEndpointResponse<OperationResponseBody> act(@Selector String name, @Nullable String action) {
        ServiceDescriptor service;
        try {
            service = this.endpoint.act(name, action);
        } catch (InvalidEndpointRequestException ex) {
            return new WebEndpointResponse<>(
                    new BadRequestDescriptor(ex.getMessage()), WebEndpointResponse.STATUS_BAD_REQUEST);
        } catch (ServiceActionConflictException ex) {
            return new WebEndpointResponse<>(new ConflictDescriptor(ex.getMessage()), STATUS_CONFLICT);
        }
        return (service != null)
                ? new WebEndpointResponse<>(service)
                : new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
    }

    /** The body of a 400 answer: {@code {"status": 400, "error": "Bad Request", "message": "..."}}. */
    @JsonPropertyOrder({"status", "error", "message"})
    public static final class BadRequestDescriptor implements OperationResponseBody {

        private final String message;

        private BadRequestDescriptor(String message) {
            this.message = message;
        }

        public int getStatus() {
            return WebEndpointResponse.STATUS_BAD_REQUEST;
        }

        public String getError() {
            return "Bad Request";
        }

        /** What was wrong, and the valid actions. */
        public String getMessage() {
            return this.message;
        }
    }

    /** The body of a 409 answer: {@code {"status": 409, "error": "Conflict", "message": "..."}}. */
    @JsonPropertyOrder({"status", "error", "message"})
    public static final class ConflictDescriptor implements OperationResponseBody {

        private final String message;

        private ConflictDescriptor(String message) {
            this.message = message;
        }

        public int getStatus() {
            return STATUS_CONFLICT;
        }

        public String getError() {
            return "Conflict";
        }

        /** Why the action is refused. */
        public String getMessage() {
            return this.message;
        }
    }
}
