package io.rustrade.supervisor.core;

/**
 * Which names a service registered at run time may have: 1 to {@value #MAX_LENGTH} characters, each a
 * letter, a digit or one of {@code - _ . $ #}, and not dots only.
 *
 * <p>Why these: a name is a path segment of the actuator endpoint ({@code /actuator/supervisor/{name}}),
 * so it must survive a URL unchanged once decoded — no {@code /}, {@code \}, {@code ;}, {@code %}, {@code
 * ?}, spaces or control characters, which servers and firewalls refuse or rewrite; and it should look like
 * the names beans get, which are accepted as the container gave them: Java identifiers ({@code $} in nested
 * class names), qualified names ({@code .}), generated names ({@code com.example.Feed#0}) and the usual
 * separators {@code -} and {@code _}. A name of dots only ({@code .}, {@code ..}) is a path segment that
 * URLs resolve away ({@code /actuator/supervisor/..} is {@code /actuator}): no request could reach it. Letters and digits are Unicode ones, as in Java identifiers. The
 * length bound keeps a name fit for a URL, a log line and a meter tag.
 */
final class ServiceNames {

    /** The longest name accepted, in characters. */
    static final int MAX_LENGTH = 255;

    /** The rule, as told to a caller whose name breaks it. */
    static final String RULE = "a name registered at run time has 1 to " + MAX_LENGTH
            + " characters, each a letter, a digit or one of - _ . $ #, and is not dots only";

    /** How much of a rejected name the message repeats. */
    private static final int ECHOED = 60;

    private ServiceNames() {}

    /**
     * @throws IllegalArgumentException naming the rule when the name breaks it
     */
    static void requireValid(String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException("Service name " + echo(name) + " is not valid: " + RULE);
        }
    }

    static boolean isValid(String name) {
        if (name.isEmpty() || name.length() > MAX_LENGTH) {
            return false;
        }
        if (name.chars().allMatch(c -> c == '.')) {
            return false;
        }
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            if (!Character.isLetterOrDigit(c) && "-_.$#".indexOf(c) < 0) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }

    /** The name, quoted, its control characters shown as {@code ?} and a long one cut. */
    private static String echo(String name) {
        boolean cut = name.length() > ECHOED;
        StringBuilder echoed = new StringBuilder("'");
        for (int i = 0; i < Math.min(name.length(), ECHOED); i++) {
            char c = name.charAt(i);
            echoed.append(Character.isISOControl(c) ? '?' : c);
        }
        echoed.append(cut ? "...'" : "'");
        return cut ? echoed + " (" + name.length() + " characters)" : echoed.toString();
    }
}
