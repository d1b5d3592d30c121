package io.rustrade.supervisor.cluster;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** One instance of {@link ClusterTestApplication} in a JVM of its own; its arguments are its properties. */
public final class ClusterNode {

    private ClusterNode() {}

    public static void main(String[] args) {
        new SpringApplicationBuilder(ClusterTestApplication.class)
                .web(WebApplicationType.NONE)
                .run(args);
        // Read by the test: the instance has started, and either runs the gateway or stands by.
        System.out.println("instance ready");
    }
}
