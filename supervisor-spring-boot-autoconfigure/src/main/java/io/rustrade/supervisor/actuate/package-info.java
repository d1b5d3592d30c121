/**
 * Observability of the supervisor for Spring Boot Actuator and Micrometer: the {@code supervisor}
 * endpoint, the {@code rustrade.supervisor.*} meters and the {@code supervisor} health contributor.
 * Each part is configured only when its library is on the class path.
 */
package io.rustrade.supervisor.actuate;
