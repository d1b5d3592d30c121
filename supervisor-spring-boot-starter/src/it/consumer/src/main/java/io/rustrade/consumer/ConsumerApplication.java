package io.rustrade.consumer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;

/** An application with one long-running service and no supervision code: the starter does it all. */
@SpringBootApplication
public class ConsumerApplication {

    public static void main(String[] args) {
        SpringApplication.run(ConsumerApplication.class, args);
    }

    @Bean
    Heartbeat heartbeat() {
        return new Heartbeat();
    }

    /** A service as applications write them: started and stopped with the context. */
    public static class Heartbeat implements SmartLifecycle {

        private volatile boolean running;

        @Override
        public void start() {
            this.running = true;
        }

        @Override
        public void stop() {
            this.running = false;
        }

        @Override
        public boolean isRunning() {
            return this.running;
        }
    }
}
