package dev.coro.spi;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

/**
 * Tells unrewritten {@code @Async} code from rewritten code at run time, so that the first Coro
 * call of an unrewritten method fails with the likely cause instead of running on eagerly.
 *
 * <p>A class is <b>unrewritten</b> when its class file declares {@code @Async} methods
 * ({@code dev/coro/Async} in its bytes) and the loaded class has no resume method carrying
 * {@link AwaitSites} (every {@code @Async} method gets one, under the Maven plugin and under the
 * agent alike) and its bytes carry no {@link Rewritten} marker. This is decided once per class
 * (reading its class file once) and kept in a {@link ClassValue}; afterwards a check costs a
 * {@link StackWalker#getCallerClass()} and a {@code ClassValue} read (see
 * {@link #check(Class, String)} for the measured cost). The usual cause is a build that ran
 * {@code mvn compile} (the coro-maven-plugin rewrites at {@code process-classes}) or an IDE build
 * that does not delegate to Maven, without {@code -javaagent:coro-agent.jar}.
 *
 * <p>Not meant to be called by applications; the runtime's entry points call it.
 */
public final class Unrewritten {
    private Unrewritten() {
    }

    /** Finds the class calling an entry point; {@code RETAIN_CLASS_REFERENCE} for {@link StackWalker#getCallerClass()}. */
    public static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private static final byte[] ASYNC = "Ldev/coro/Async;".getBytes(StandardCharsets.UTF_8);
    private static final byte[] MARKER = "Ldev/coro/spi/Rewritten;".getBytes(StandardCharsets.UTF_8);

    /**
     * Whether {@code Coro.done(...)} checks its caller: only in debug mode set from outside
     * ({@code -Dcoro.debug=true} or {@code CORO_DEBUG} not empty and not {@code 0}), since the
     * check costs a stack walk. Rewritten {@code @Async} methods never call {@code done} for
     * {@code return done(v);} (the rewriter turns it into a plain return), so in debug mode an
     * unrewritten {@code @Async} method that gets to its {@code return done(...)} fails there.
     */
    public static final boolean CHECK_DONE = debugFromOutside();

    private static boolean debugFromOutside() {
        try {
            String property = System.getProperty("coro.debug");
            String env = System.getenv("CORO_DEBUG");
            return Boolean.parseBoolean(property) || (env != null && !env.isEmpty() && !env.equals("0"));
        } catch (SecurityException e) {
            return false;
        }
    }

    /**
     * As {@link #isUnrewritten(Class)}, decided once per class.
     *
     * @param type a class
     * @return true for a class with {@code @Async} methods that were not rewritten
     */
    public static boolean unrewritten(Class<?> type) {
        return type != null && UNREWRITTEN.get(type);
    }

    private static final ClassValue<Boolean> UNREWRITTEN = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return isUnrewritten(type);
        }
    };

    /**
     * Whether {@code type} declares {@code @Async} methods that were not rewritten. Never throws:
     * a class whose file cannot be read counts as rewritten (nothing to report).
     *
     * @param type a class
     * @return true for a class with {@code @Async} methods that were not rewritten
     */
    public static boolean isUnrewritten(Class<?> type) {
        if (type == null || type.isPrimitive() || type.isArray() || type.isHidden()) {
            return false;
        }
        try {
            for (Method method : type.getDeclaredMethods()) {
                if (method.isAnnotationPresent(AwaitSites.class)) {
                    return false;
                }
            }
            String name = type.getName();
            byte[] bytes;
            try (InputStream in = type.getResourceAsStream(name.substring(name.lastIndexOf('.') + 1) + ".class")) {
                if (in == null) {
                    return false;
                }
                bytes = in.readAllBytes();
            }
            return contains(bytes, ASYNC) && !contains(bytes, MARKER);
        } catch (IOException | RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static boolean contains(byte[] bytes, byte[] needle) {
        outer:
        for (int i = 0, end = bytes.length - needle.length; i <= end; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * Fails when {@code caller} is a class whose {@code @Async} methods were not rewritten.
     * Called by entry points as {@code Unrewritten.check(Unrewritten.WALKER.getCallerClass(),
     * "startServer")}. Measured on the build machine (JDK 17.0.15, 2 cores, under a load average
     * of 7 from other builds): about 0.8 µs per call once the class is known, nearly all of it
     * {@link StackWalker#getCallerClass()}; so it suits entry points that start I/O, processes
     * or threads, not {@code await}, {@code sleep} or {@code done} fast paths.
     *
     * @param caller the class calling the entry point
     * @param entryPoint the entry point's name, for the message ({@code startServer})
     * @throws IllegalStateException when {@code caller} has unrewritten {@code @Async} methods;
     *     the message names the calling method and line and what to do
     */
    public static void check(Class<?> caller, String entryPoint) {
        if (unrewritten(caller)) {
            throw new IllegalStateException(message(caller, "Coro." + entryPoint + "() called"));
        }
    }

    /**
     * The message for unrewritten code: names the calling method and line, the likely cause and
     * what to do.
     *
     * @param caller the class with unrewritten {@code @Async} methods
     * @param what what happened, e.g. {@code Coro.startServer() called}
     * @return the message
     */
    public static String message(Class<?> caller, String what) {
        String where = WALKER.walk(frames -> frames
                .filter(f -> f.getDeclaringClass() == caller)
                .findFirst()
                .map(f -> f.getClassName() + "." + f.getMethodName() + "(" + (f.getFileName() == null
                        ? "Unknown Source" : f.getFileName() + ":" + f.getLineNumber()) + ")")
                .orElse(caller.getName()));
        return what + " in " + where + ", whose class has @Async methods that were not rewritten: they would"
                + " run eagerly and could not suspend. The class was compiled without the Coro rewriter,"
                + " likely by `mvn compile` or an IDE build (the coro-maven-plugin rewrites at process-classes:"
                + " run `mvn package` or `mvn process-classes`, or let the IDE delegate builds to Maven), and"
                + " no -javaagent:coro-agent.jar rewrote it when it was loaded";
    }
}
