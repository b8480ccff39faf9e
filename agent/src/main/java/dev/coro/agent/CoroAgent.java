package dev.coro.agent;

import java.lang.instrument.Instrumentation;

/**
 * The entry points of {@code coro-agent.jar}: {@code -javaagent:coro-agent.jar[=OPTIONS]}
 * ({@link #premain}), attach ({@link #agentmain}) and {@code Launcher-Agent-Class} (an executable
 * jar that bundles the agent). See {@link AgentOptions} for the options.
 *
 * <p>The application needs {@code coro-runtime} on its classpath; the agent jar holds only the
 * rewriter (with ASM relocated under {@code dev.coro.agent.shaded}).
 */
public final class CoroAgent {
    private CoroAgent() {
    }

    /**
     * Installs the rewriter before {@code main} runs.
     *
     * @param arguments the option string, see {@link AgentOptions}
     * @param instrumentation the JVM's instrumentation
     * @throws IllegalArgumentException for an unknown option: start-up stops
     */
    public static void premain(String arguments, Instrumentation instrumentation) {
        install(arguments, instrumentation);
    }

    /**
     * Installs the rewriter in a running JVM (attach) or before an executable jar's {@code main}
     * ({@code Launcher-Agent-Class}). Classes loaded before it are not rewritten.
     *
     * @param arguments the option string, see {@link AgentOptions}
     * @param instrumentation the JVM's instrumentation
     * @throws IllegalArgumentException for an unknown option
     */
    public static void agentmain(String arguments, Instrumentation instrumentation) {
        install(arguments, instrumentation);
    }

    /**
     * Prints how to use the agent ({@code java -jar coro-agent.jar}).
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.out.println("""
                coro-agent: rewrites Coro @Async methods when their classes are loaded.
                Usage: java -javaagent:coro-agent.jar[=OPTIONS] -cp <your classes>:coro-runtime.jar your.Main
                OPTIONS, comma-separated: %s
                """.formatted(AgentOptions.KNOWN));
    }

    private static void install(String arguments, Instrumentation instrumentation) {
        AgentOptions options;
        try {
            options = AgentOptions.parse(arguments);
        } catch (IllegalArgumentException e) {
            // Printed here too: the JVM's own report of a failed premain is a long stack trace.
            System.err.println("coro-agent: " + e.getMessage());
            throw e;
        }
        instrumentation.addTransformer(new CoroClassFileTransformer(options, System.err), /* canRetransform = */ false);
        if (options.verbose()) {
            System.err.println("coro-agent: installed" + (options.dumpDirectory() == null ? "" : ", dumping rewritten classes to "
                    + options.dumpDirectory()) + (options.excludedPrefixes().isEmpty() ? "" : ", excluding " + options.excludedPrefixes()));
        }
    }
}
