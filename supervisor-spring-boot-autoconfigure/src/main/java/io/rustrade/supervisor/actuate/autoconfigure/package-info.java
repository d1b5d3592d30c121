/**
 * Auto-configuration of the supervisor's endpoint, meters and health contributor; each backs off when
 * Actuator, Micrometer or the supervisor itself is absent.
 */
package io.rustrade.supervisor.actuate.autoconfigure;
