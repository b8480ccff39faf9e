package dev.coro.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coro.CancelledError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects printed lines of a conformance scenario port and compares them with the trace CPython
 * printed ({@code /work/shared/asyncio-conformance/expected/NN_name.txt}, or the copy under
 * {@code src/test/resources/conformance/}).
 */
public final class Trace {
    private final List<String> lines = new ArrayList<>();

    /** @param line a printed line */
    public void print(String line) {
        lines.add(line);
    }

    /** @return the lines so far */
    public List<String> lines() {
        return lines;
    }

    /**
     * Asserts the trace equals the expected file, line by line.
     *
     * @param name the file name, e.g. {@code 06_iteration_counting.txt}
     */
    public void assertMatches(String name) {
        List<String> expected = expected(name);
        assertEquals(String.join("\n", expected), String.join("\n", lines), "trace of " + name);
    }

    /**
     * @param name the expected file's name
     * @return its lines
     */
    public static List<String> expected(String name) {
        try (var in = Trace.class.getResourceAsStream("/conformance/" + name)) {
            if (in != null) {
                return List.of(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n"));
            }
            return Files.readAllLines(Path.of("/work/shared/asyncio-conformance/expected", name));
        } catch (IOException e) {
            throw new AssertionError("cannot read expected trace " + name, e);
        }
    }

    /**
     * Python's {@code repr} of an exception: {@code ValueError('boom')}, {@code CancelledError()}.
     *
     * @param e the exception
     * @return the repr
     */
    public static String repr(Throwable e) {
        String type = e instanceof CancelledError ? "CancelledError" : e.getClass().getSimpleName();
        String m = e.getMessage();
        return m == null ? type + "()" : type + "('" + m + "')";
    }

    /** @param b a boolean @return Python's True/False */
    public static String py(boolean b) {
        return b ? "True" : "False";
    }
}
