package io.rustrade.sample;

import io.rustrade.sample.exchange.SimulatedExchange;
import io.rustrade.sample.trading.MarketDataFeed;
import io.rustrade.sample.trading.OrderGateway;
import io.rustrade.sample.trading.PositionReconciler;
import io.rustrade.sample.trading.PricingEngine;
import io.rustrade.supervisor.Supervisor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * A trading-style application whose long-running services run under the supervisor: a market-data feed
 * over TCP, a pricing engine that reads the feed (the two form a {@code rest-for-one} group), an order
 * gateway whose login is refused at first, and a position reconciler run loop. The supervisor settings are
 * in {@code application.yml}.
 */
@SpringBootApplication
@EnableConfigurationProperties(SampleProperties.class)
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }

    @Bean
    SimulatedExchange simulatedExchange(SampleProperties properties) {
        return new SimulatedExchange(
                properties.exchange().chaosRate(), properties.exchange().tick().toMillis());
    }

    @Bean
    MarketDataFeed marketDataFeed(SimulatedExchange exchange, Supervisor supervisor) {
        return new MarketDataFeed(exchange, supervisor);
    }

    @Bean
    PricingEngine pricingEngine(MarketDataFeed marketDataFeed, SampleProperties properties) {
        return new PricingEngine(marketDataFeed, properties.exchange().tick());
    }

    @Bean
    OrderGateway orderGateway(SampleProperties properties) {
        return new OrderGateway(properties.gateway().refusals());
    }

    @Bean
    PositionReconciler positionReconciler(SampleProperties properties) {
        return new PositionReconciler(
                properties.reconciler().failureRate(), properties.reconciler().interval());
    }
}
