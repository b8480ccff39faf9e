package dev.coro.agent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's options, parsed strictly from the text after {@code =} in
 * {@code -javaagent:coro-agent.jar=OPTIONS}.
 *
 * <p>Options are separated by commas:
 * <ul>
 *   <li>{@code verbose}: print one line to standard error for every class rewritten;
 *   <li>{@code dump=DIR}: also write every rewritten class file under {@code DIR}
 *       (as {@code DIR/com/acme/Foo.class}), to look at with {@code javap};
 *   <li>{@code exclude=PREFIX}: leave classes whose name starts with {@code PREFIX} alone
 *       ({@code com.acme.generated} or {@code com/acme/generated}); repeat it
 *       ({@code exclude=a,exclude=b}) or separate prefixes with {@code ;} ({@code exclude=a;b}).
 * </ul>
 *
 * @param verbose whether to report each rewritten class
 * @param dumpDirectory where to write rewritten class files, or {@code null}
 * @param excludedPrefixes internal-name prefixes ({@code com/acme/}) of classes to leave alone
 */
public record AgentOptions(boolean verbose, Path dumpDirectory, List<String> excludedPrefixes) {

    /** The options the agent knows, as the usage lists them. */
    public static final String KNOWN = "verbose, dump=DIR, exclude=PREFIX (repeatable, or PREFIX;PREFIX)";

    /**
     * Parses the agent's option string.
     *
     * @param text the text after {@code =} in {@code -javaagent:coro-agent.jar=...}; {@code null}
     *     or empty for the defaults
     * @return the options
     * @throws IllegalArgumentException for an unknown option or a missing value, with a message
     *     naming it and listing the known options
     */
    public static AgentOptions parse(String text) {
        boolean verbose = false;
        Path dump = null;
        List<String> excludes = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return new AgentOptions(false, null, List.of());
        }
        for (String option : text.split(",")) {
            String trimmed = option.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            String name = equals < 0 ? trimmed : trimmed.substring(0, equals);
            String value = equals < 0 ? null : trimmed.substring(equals + 1);
            switch (name) {
                case "verbose" -> {
                    if (value != null) {
                        throw new IllegalArgumentException("Agent option \"verbose\" takes no value (got \"" + trimmed
                                + "\"); known options: " + KNOWN);
                    }
                    verbose = true;
                }
                case "dump" -> dump = Path.of(required(name, value));
                case "exclude" -> {
                    for (String prefix : required(name, value).split(";")) {
                        if (!prefix.isBlank()) {
                            excludes.add(prefix.trim().replace('.', '/'));
                        }
                    }
                }
                default -> throw new IllegalArgumentException(
                        "Unknown agent option \"" + trimmed + "\"; known options: " + KNOWN);
            }
        }
        return new AgentOptions(verbose, dump, List.copyOf(excludes));
    }

    private static String required(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Agent option \"" + name + "\" needs a value: " + name + "=...; known options: " + KNOWN);
        }
        return value.trim();
    }
}
