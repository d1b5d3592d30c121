/**
 * The supervisor's public Java API, free of Spring types: {@link io.rustrade.supervisor.Supervisor} to
 * look and act, {@link io.rustrade.supervisor.SupervisedService} to write a run-loop service.
 */
package io.rustrade.supervisor;
