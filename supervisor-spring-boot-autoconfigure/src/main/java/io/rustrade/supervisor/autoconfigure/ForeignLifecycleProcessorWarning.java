package io.rustrade.supervisor.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.support.AbstractApplicationContext;

/**
 * Warns when the application defines its own {@code lifecycleProcessor}: the starter's processor then
 * backs off, and with it the supervision of every {@code SmartLifecycle} and {@code SupervisedService}
 * bean. That is allowed (ADR 002), but it should not go unnoticed.
 *
 * <p>Checked once every singleton exists, by bean type, so that the order in which bean definitions were
 * registered does not matter.
 */
final class ForeignLifecycleProcessorWarning implements SmartInitializingSingleton {

    private static final Log logger = LogFactory.getLog(ForeignLifecycleProcessorWarning.class);

    private final ConfigurableListableBeanFactory beanFactory;

    ForeignLifecycleProcessorWarning(ConfigurableListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void afterSingletonsInstantiated() {
        String name = AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME;
        if (!this.beanFactory.containsLocalBean(name)) {
            return;
        }
        Class<?> type = this.beanFactory.getType(name, false);
        if (type != null && !SupervisingLifecycleProcessor.class.isAssignableFrom(type)) {
            logger.warn("The application defines its own '" + name + "' bean (" + type.getName()
                    + "), so the supervisor does not supervise its SmartLifecycle and SupervisedService beans;"
                    + " services registered at run time are still supervised. Remove that bean to have the"
                    + " beans supervised, or set rustrade.supervisor.enabled=false to turn the supervisor off.");
        }
    }
}
