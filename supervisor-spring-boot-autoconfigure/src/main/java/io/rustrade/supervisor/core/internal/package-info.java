/**
 * Helpers the supervisor's own packages share — how a failure is captured, how durations are converted
 * and written. <b>Not API</b>: public only because the Spring layers use them; they change without notice.
 */
package io.rustrade.supervisor.core.internal;
