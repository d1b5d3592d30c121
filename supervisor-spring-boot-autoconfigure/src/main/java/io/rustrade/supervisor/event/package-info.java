/**
 * Spring application events published by the supervisor: listen with {@code @EventListener} to react to
 * services starting, failing, being restarted and circuits opening or closing.
 */
package io.rustrade.supervisor.event;
