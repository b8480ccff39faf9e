package dev.coro.conformance;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Python's {@code str()} / {@code repr()} / {@code "%.1f"} for the values the conformance scenarios
 * print, so that a Java port prints the bytes CPython printed.
 *
 * <p>Exceptions print as {@code TypeName('message')} (or {@code TypeName()} when the Java
 * exception has no message, like a Python exception with no args). The Python type name of a Java
 * exception is its simple class name, except for the runtime and JDK types listed in
 * {@link #PYTHON_TYPE_NAMES}, which are the closest Java forms of Python's built-in exceptions.
 */
public final class Py {
    private Py() {
    }

    /**
     * The Python name of Java exception types that stand for a Python built-in exception. Test code
     * throws its own Python-named classes ({@link Errors}); this table covers only the types the
     * Coro runtime or the JDK throw where CPython raises a built-in.
     */
    static final Map<String, String> PYTHON_TYPE_NAMES = new LinkedHashMap<>();

    static {
        // asyncio.TimeoutError is the builtin TimeoutError (3.11+).
        PYTHON_TYPE_NAMES.put("dev.coro.TimeoutException", "TimeoutError");
        // ExceptionGroup('unhandled errors in a TaskGroup', [...]).
        PYTHON_TYPE_NAMES.put("dev.coro.TaskGroupException", "ExceptionGroup");
        // Java's idiom for Python's RuntimeError ("Lock is not acquired.", "TaskGroup ... is shutting down").
        PYTHON_TYPE_NAMES.put("java.lang.IllegalStateException", "RuntimeError");
        // Java's idiom for Python's ValueError ("task_done() called too many times").
        PYTHON_TYPE_NAMES.put("java.lang.IllegalArgumentException", "ValueError");
        PYTHON_TYPE_NAMES.put("java.lang.ArithmeticException", "ZeroDivisionError");
        PYTHON_TYPE_NAMES.put("java.io.IOException", "OSError");
        PYTHON_TYPE_NAMES.put("java.io.UncheckedIOException", "OSError");
        // A refused connect (errno ECONNREFUSED): Python's OSError subclass for it.
        PYTHON_TYPE_NAMES.put("java.net.ConnectException", "ConnectionRefusedError");
        PYTHON_TYPE_NAMES.put("java.net.SocketException", "OSError");
        // asyncio.IncompleteReadError / LimitOverrunError.
        PYTHON_TYPE_NAMES.put("dev.coro.io.IncompleteReadException", "IncompleteReadError");
        PYTHON_TYPE_NAMES.put("dev.coro.io.LimitOverrunException", "LimitOverrunError");
    }

    /**
     * Python picks the {@code OSError} subclass from errno; the JDK reports a reset or lost
     * connection as a {@link java.net.SocketException} whose message names the condition
     * (Linux's {@code strerror(ECONNRESET)} is "Connection reset by peer"; NIO says "Connection
     * reset"; Coro's drain() says "Connection lost", as asyncio's {@code ConnectionResetError}).
     */
    static final Map<String, String> SOCKET_EXCEPTION_NAMES = Map.of(
            "Connection reset", "ConnectionResetError",
            "Connection reset by peer", "ConnectionResetError",
            "Connection lost", "ConnectionResetError",
            "Broken pipe", "BrokenPipeError",
            "Connection refused", "ConnectionRefusedError");

    /**
     * Python's {@code str(x)}: a string is itself, anything else is {@link #repr(Object)} except an
     * exception, which is its message ({@code ''} without one).
     *
     * @param x any value
     * @return what {@code print(x)} shows
     */
    public static String str(Object x) {
        if (x instanceof String s) {
            return s;
        }
        if (x instanceof Throwable t) {
            String m = t.getMessage();
            return m == null ? "" : m;
        }
        return repr(x);
    }

    /**
     * Python's {@code repr(x)} for None, booleans, numbers, strings, lists/collections and exceptions.
     *
     * @param x any value
     * @return its Python repr
     */
    public static String repr(Object x) {
        if (x == null) {
            return "None";
        }
        if (x instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (x instanceof String s) {
            return reprString(s);
        }
        if (x instanceof Double || x instanceof Float) {
            return reprFloat(((Number) x).doubleValue());
        }
        if (x instanceof Number) {
            return x.toString();
        }
        if (x instanceof Throwable t) {
            return reprException(t);
        }
        if (x instanceof Collection<?> c) {
            StringBuilder sb = new StringBuilder("[");
            Iterator<?> it = c.iterator();
            while (it.hasNext()) {
                sb.append(repr(it.next()));
                if (it.hasNext()) {
                    sb.append(", ");
                }
            }
            return sb.append(']').toString();
        }
        if (x instanceof byte[] b) {
            return reprBytes(b);
        }
        if (x instanceof Object[] a) {
            return repr(java.util.Arrays.asList(a));
        }
        return x.toString();
    }

    /**
     * The Python type name a Java exception stands for.
     *
     * @param t an exception
     * @return e.g. {@code ValueError}, {@code CancelledError}, {@code TimeoutError}
     */
    public static String typeName(Throwable t) {
        if (t instanceof java.net.SocketException && !(t instanceof java.net.ConnectException)) {
            String byMessage = SOCKET_EXCEPTION_NAMES.get(String.valueOf(t.getMessage()));
            if (byMessage != null) {
                return byMessage;
            }
        }
        String mapped = PYTHON_TYPE_NAMES.get(t.getClass().getName());
        return mapped != null ? mapped : t.getClass().getSimpleName();
    }

    /**
     * {@code repr(e)} of a Coro exception that stands for a different Python type than its Java
     * type usually does. Coro throws {@link IllegalStateException} both where asyncio raises
     * {@code RuntimeError} ({@code Lock.release()}, {@code TaskGroup.create_task()}) and where it
     * raises {@code ValueError} ({@code Queue.task_done()} called too often), so the port names the
     * Python type at that one catch site (scenario 31); the message is the runtime's.
     *
     * @param pythonType the Python type the exception stands for at this call
     * @param t the exception Coro threw
     * @return e.g. {@code ValueError('task_done() called too many times')}
     */
    public static String reprAs(String pythonType, Throwable t) {
        String m = t.getMessage();
        return pythonType + "(" + (m == null ? "" : reprString(m)) + ")";
    }

    private static String reprException(Throwable t) {
        String m = t.getMessage();
        return typeName(t) + "(" + (m == null ? "" : reprString(m)) + ")";
    }

    /**
     * Python's {@code "%.1f" % x}: correctly rounded (half-even on the exact binary value, as
     * CPython does), not Java's half-up {@code String.format}.
     *
     * @param x a number
     * @return e.g. {@code 0.1}, {@code -0.0}
     */
    public static String f1(double x) {
        String s = new BigDecimal(x).setScale(1, RoundingMode.HALF_EVEN).toPlainString();
        if ((x < 0 || (x == 0 && 1 / x < 0)) && !s.startsWith("-")) {
            s = "-" + s;
        }
        return s;
    }

    /**
     * How a Python script's {@code f"{loop.time() - t0:.1f}"} reads an instant of the virtual loop.
     * CPython's traces come from a real clock, which always reads a little after the deadline that
     * woke the code (the timer fires at or after it, then the callback and the task step run); the
     * virtual clock reads the deadline exactly. The two only differ on an exact half tenth (a
     * virtual {@code 0.15} is {@code 0.1499999...} as a double and prints {@code 0.1}; CPython read
     * about {@code 0.1502} and printed {@code 0.2}), so the instant is formatted as the real clock
     * reads it one microsecond later.
     *
     * @param loopSeconds an interval on the loop's clock, in seconds
     * @return {@code "%.1f"} of the interval as a real clock reads it
     */
    public static String secs(double loopSeconds) {
        return f1(loopSeconds + REAL_CLOCK_LAG);
    }

    /** What a real loop's clock reads past a deadline, at the very least; see {@link #secs(double)}. */
    static final double REAL_CLOCK_LAG = 1e-6;

    /**
     * Coro's names for asyncio's functions, as they appear in runtime messages: a message printed by
     * a port has them translated back ({@link #pythonMessage(Object)}), the same way exception types
     * are ({@link #PYTHON_TYPE_NAMES}).
     */
    static final Map<String, String> PYTHON_API_NAMES = Map.of("Coro.run()", "asyncio.run()");

    /**
     * A runtime message (an exception handler's {@code context["message"]}) with Coro's API names
     * replaced by asyncio's.
     *
     * @param message the message
     * @return the message as CPython words it
     */
    public static String pythonMessage(Object message) {
        String m = String.valueOf(message);
        for (Map.Entry<String, String> e : PYTHON_API_NAMES.entrySet()) {
            m = m.replace(e.getKey(), e.getValue());
        }
        return m;
    }

    private static String reprFloat(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e16) {
            return new BigDecimal(d).toPlainString() + ".0";
        }
        String s = Double.toString(d);
        int e = s.indexOf('E');
        if (e < 0) {
            return s;
        }
        String mant = s.substring(0, e);
        if (mant.endsWith(".0")) {
            mant = mant.substring(0, mant.length() - 2);
        }
        int exp = Integer.parseInt(s.substring(e + 1));
        if (exp >= -4 && exp < 16) {
            return new BigDecimal(s).toPlainString();
        }
        return mant + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
    }

    /**
     * Python's {@code repr(bytes)}: {@code b'...'}, single quotes unless the bytes hold a single
     * quote and no double quote; {@code \\t \\n \\r} and {@code \\xNN} for the other bytes
     * outside printable ASCII.
     *
     * @param b the bytes
     * @return e.g. {@code b'hello\\n'}
     */
    public static String reprBytes(byte[] b) {
        boolean hasSingle = false;
        boolean hasDouble = false;
        for (byte c : b) {
            hasSingle |= c == '\'';
            hasDouble |= c == '"';
        }
        char q = hasSingle && !hasDouble ? '"' : '\'';
        StringBuilder sb = new StringBuilder("b").append(q);
        for (byte x : b) {
            int c = x & 0xff;
            if (c == q || c == '\\') {
                sb.append('\\').append((char) c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c < 0x20 || c >= 0x7f) {
                sb.append(String.format("\\x%02x", c));
            } else {
                sb.append((char) c);
            }
        }
        return sb.append(q).toString();
    }

    /**
     * Python's {@code repr(tuple)}: {@code ()}, {@code (x,)}, {@code (x, y)}.
     *
     * @param items the items
     * @return the tuple's repr
     */
    public static String tuple(Object... items) {
        if (items.length == 1) {
            return "(" + repr(items[0]) + ",)";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < items.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(repr(items[i]));
        }
        return sb.append(')').toString();
    }

    /**
     * Python's {@code repr(str)}: single quotes unless the text has a single quote and no double
     * quote; backslash escapes for quotes, backslashes and control characters.
     *
     * @param s a string
     * @return its Python repr
     */
    public static String reprString(String s) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder sb = new StringBuilder().append(q);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == q || c == '\\') {
                sb.append('\\').append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append(q).toString();
    }
}
