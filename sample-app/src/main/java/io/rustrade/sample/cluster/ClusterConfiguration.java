package io.rustrade.sample.cluster;

import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;

/**
 * The lock registry the singletons are elected on, in the profile {@code cluster}: Spring Integration's
 * JDBC registry on the application's DataSource, which every instance shares (in the sample, an H2 file in
 * automatic mixed mode; in production, the application's PostgreSQL, say).
 */
@Configuration(proxyBeanMethods = false)
@Profile("cluster")
public class ClusterConfiguration {

    @Bean
    DefaultLockRepository lockRepository(DataSource dataSource) {
        return new DefaultLockRepository(dataSource);
    }

    @Bean
    JdbcLockRegistry lockRegistry(DefaultLockRepository lockRepository) {
        return new JdbcLockRegistry(lockRepository);
    }
}
