package io.rustrade.supervisor.autoconfigure;

import io.rustrade.supervisor.core.SupervisorEngine;
import org.springframework.core.task.TaskDecorator;

/**
 * An application's {@link TaskDecorator} around the code of services, as Spring Boot puts it around the tasks
 * of its own executors: it is asked to decorate each call into a lifecycle bean and each run of a run loop,
 * on the thread that runs it, right before.
 *
 * <p>The decorator is user code, kept in check by the engine ({@link SupervisorEngine.TaskWrapper}): when it
 * throws, returns {@code null}, or its task throws or returns without running the code, the code runs
 * without it (the MDC key still set) and a warning names it; what the code throws passes through it and
 * is what supervision sees.
 */
final class TaskDecoratorWrapper implements SupervisorEngine.TaskWrapper {

    private final TaskDecorator decorator;

    TaskDecoratorWrapper(TaskDecorator decorator) {
        this.decorator = decorator;
    }

    @Override
    public Runnable wrap(String serviceName, Runnable task) {
        return this.decorator.decorate(task);
    }

    @Override
    public String toString() {
        return "TaskDecorator " + this.decorator.getClass().getName();
    }
}
