package io.rustrade.supervisor.actuate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The operators' page: one self-contained HTML document (its CSS and JavaScript inline, nothing loaded from
 * elsewhere) that polls the {@code supervisor} endpoint every second and offers its actions as buttons.
 * It is given the endpoint's address and whether the endpoint takes commands when it is served.
 */
public final class SupervisorDashboard {

    private static final String TEMPLATE = "/META-INF/rustrade-supervisor/dashboard.html";

    private final String template;

    public SupervisorDashboard() {
        try (InputStream page = SupervisorDashboard.class.getResourceAsStream(TEMPLATE)) {
            if (page == null) {
                throw new IllegalStateException("The dashboard page " + TEMPLATE + " is missing from the class path");
            }
            this.template = new String(page.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * The page.
     *
     * @param endpoint the endpoint's path as the browser reaches it, context path included, such as {@code
     *     /app/actuator/supervisor}
     * @param writable whether the endpoint takes commands: the buttons are shown only then
     */
    public String page(String endpoint, boolean writable) {
        return this.template
                .replace("__RUSTRADE_ENDPOINT__", javaScriptString(endpoint))
                .replace("__RUSTRADE_WRITABLE__", Boolean.toString(writable));
    }

    /** Escapes a value for a single-quoted JavaScript string inside a script element. */
    static String javaScriptString(String value) {
        StringBuilder escaped = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '\'' || c == '<' || c == '>' || c == '&' || c < 0x20) {
                escaped.append(String.format("\\u%04x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
