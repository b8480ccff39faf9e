package dev.coro.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coro.CancelledError;
import dev.coro.TimeoutException;
import dev.coro.conformance.Errors.KeyError;
import dev.coro.conformance.Errors.ValueError;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The formatter reproduces what CPython 3.13 printed for these values (checked with python3.13). */
class PyTest {
    @Test
    void reprOfPlainValues() {
        assertEquals("None", Py.repr(null));
        assertEquals("True", Py.repr(true));
        assertEquals("False", Py.str(false));
        assertEquals("12", Py.repr(12));
        assertEquals("'a'", Py.repr("a"));
        assertEquals("a", Py.str("a"));
        assertEquals("\"it's\"", Py.repr("it's"));
        assertEquals("'a\"b'", Py.repr("a\"b"));
        assertEquals("'it\\'s \"x\"'", Py.repr("it's \"x\""));
        assertEquals("'\\x00\\n'", Py.repr("\u0000\n"));
        assertEquals("1.0", Py.repr(1.0));
        assertEquals("1e-05", Py.repr(1e-5));
        assertEquals("1e+16", Py.repr(1e16));
        assertEquals("123456789012.0", Py.repr(123456789012.0));
    }

    @Test
    void reprOfLists() {
        assertEquals("[]", Py.repr(List.of()));
        assertEquals("['a', 1, None, True]", Py.str(Arrays.asList("a", 1, null, true)));
        assertEquals("[['x']]", Py.repr(List.of(List.of("x"))));
    }

    @Test
    void reprOfExceptions() {
        assertEquals("ValueError('boom')", Py.repr(new ValueError("boom")));
        assertEquals("KeyError('second')", Py.repr(new KeyError("second")));
        assertEquals("CancelledError()", Py.repr(new CancelledError()));
        assertEquals("CancelledError('')", Py.repr(new CancelledError("")));
        assertEquals("TimeoutError()", Py.repr(new TimeoutException()));
        assertEquals("RuntimeError('Lock is not acquired.')",
                Py.repr(new IllegalStateException("Lock is not acquired.")));
        assertEquals("boom", Py.str(new ValueError("boom")));
        assertEquals("ValueError('task_done() called too many times')",
                Py.reprAs("ValueError", new IllegalStateException("task_done() called too many times")));
    }

    @Test
    void percentPointOneFIsCorrectlyRounded() {
        // python3.13: '%.1f' % 0.25 == '0.2', % 0.35 == '0.3', % 0.15 == '0.1', % -0.01 == '-0.0'
        assertEquals("0.2", Py.f1(0.25));
        assertEquals("0.3", Py.f1(0.35));
        assertEquals("0.1", Py.f1(0.15));
        assertEquals("-0.0", Py.f1(-0.01));
        assertEquals("1.0", Py.f1(0.99999));
        // a real clock reads a moment after an exact half tenth
        assertEquals("0.2", Py.secs(0.15));
        assertEquals("0.1", Py.secs(0.1));
    }

    @Test
    void messagesUseAsyncioNames() {
        assertEquals("unhandled exception during asyncio.run() shutdown",
                Py.pythonMessage("unhandled exception during Coro.run() shutdown"));
    }
}
