package io.rustrade.supervisor.cluster;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.sql.DataSource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * A real PostgreSQL server, started from the binaries on the test class path (no Docker), with Spring
 * Integration's lock table created by Spring Integration's own schema script.
 */
final class LockDatabase implements AutoCloseable {

    private final EmbeddedPostgres postgres;

    private LockDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static LockDatabase start() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            new ResourceDatabasePopulator(
                            new ClassPathResource("org/springframework/integration/jdbc/schema-postgresql.sql"))
                    .execute(postgres.getPostgresDatabase());
            return new LockDatabase(postgres);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The JDBC URL of the {@code postgres} database, user included. */
    String jdbcUrl() {
        return this.postgres.getJdbcUrl("postgres", "postgres");
    }

    DataSource dataSource() {
        return this.postgres.getPostgresDatabase();
    }

    /** Stops the server: every connection is refused from now on. */
    @Override
    public void close() {
        try {
            this.postgres.close();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
