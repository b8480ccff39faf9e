package dev.coro.internal;

import java.util.Locale;

/**
 * POSIX signal handlers through {@code sun.misc.Signal} (module {@code jdk.unsupported}, which
 * {@code dev.coro} reads only if it is there: {@code requires static}). A handler runs on a JVM
 * thread made for the signal, never on a loop thread. Only SIGINT, SIGTERM and SIGHUP are
 * handled: the JVM keeps others for itself (SIGQUIT prints thread dumps, SIGUSR2 and SIGSEGV are
 * used internally).
 */
public final class Signals {
    private Signals() {
    }

    /**
     * Checks a signal name and gives its short form: {@code "SIGTERM"} and {@code "TERM"} are both
     * {@code "TERM"}.
     *
     * @param signal the name
     * @return the short name
     * @throws IllegalArgumentException for a signal other than SIGINT, SIGTERM, SIGHUP
     */
    public static String shortName(String signal) {
        if (signal == null) {
            throw new NullPointerException("signal name is null: pass \"SIGINT\", \"SIGTERM\" or \"SIGHUP\"");
        }
        String s = signal.toUpperCase(Locale.ROOT);
        if (s.startsWith("SIG")) {
            s = s.substring(3);
        }
        if (!s.equals("INT") && !s.equals("TERM") && !s.equals("HUP")) {
            throw new IllegalArgumentException("Cannot handle signal " + signal
                    + ": only SIGINT, SIGTERM and SIGHUP can have handlers (the JVM uses the others)");
        }
        return s;
    }

    /**
     * Installs {@code handler} for the signal.
     *
     * @param shortName INT, TERM or HUP
     * @param handler runs on a JVM signal thread
     * @return the previous handler, to give to {@link #restore}
     * @throws UnsupportedOperationException where signals cannot be handled: no
     *     {@code jdk.unsupported} module, or the JVM runs with {@code -Xrs}, or the OS refuses
     */
    public static Object install(String shortName, Runnable handler) {
        try {
            return Access.handle(shortName, handler);
        } catch (LinkageError e) {
            throw new UnsupportedOperationException("Cannot handle SIG" + shortName + ": sun.misc.Signal is missing;"
                    + " run on a JDK with the jdk.unsupported module (with modules: --add-modules jdk.unsupported)", e);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedOperationException("Cannot handle SIG" + shortName + ": " + e.getMessage()
                    + " (the JVM runs with -Xrs, or the OS reserves it)", e);
        }
    }

    /**
     * Puts back a handler {@link #install} returned.
     *
     * @param shortName INT, TERM or HUP
     * @param previous the handler to put back
     */
    public static void restore(String shortName, Object previous) {
        Access.restore(shortName, previous);
    }

    /**
     * @param handler a handler {@link #install} returned
     * @return true if it is the JVM's own (the one that runs shutdown hooks and exits with 128 + the
     *     signal's number)
     */
    public static boolean isJvmDefault(Object handler) {
        return handler != null && String.valueOf(handler).startsWith("java.lang.Terminator");
    }

    /**
     * Runs a handler {@link #install} returned, as if its signal had arrived (for the JVM's own
     * handler: exit with 128 + the signal's number, running the shutdown hooks).
     *
     * @param shortName INT, TERM or HUP
     * @param handler the handler
     */
    public static void raise(String shortName, Object handler) {
        Access.run(shortName, handler);
    }

    /** The only class that names sun.misc: loaded on first use, so its absence is a LinkageError there. */
    private static final class Access {
        static Object handle(String shortName, Runnable handler) {
            return sun.misc.Signal.handle(new sun.misc.Signal(shortName), signal -> handler.run());
        }

        static void restore(String shortName, Object previous) {
            sun.misc.Signal.handle(new sun.misc.Signal(shortName), (sun.misc.SignalHandler) previous);
        }

        static void run(String shortName, Object handler) {
            ((sun.misc.SignalHandler) handler).handle(new sun.misc.Signal(shortName));
        }
    }
}
