package dev.coro.conformance;

/**
 * The Python built-in exceptions the scenario scripts raise themselves, as unchecked Java
 * exceptions with the Python names, so that {@link Py#repr(Object)} prints them as CPython does
 * ({@code ValueError('boom')}). Exceptions the runtime raises are Coro's own types (see
 * {@link Py#PYTHON_TYPE_NAMES}).
 */
public final class Errors {
    private Errors() {
    }

    /** Python's {@code ValueError}. */
    public static final class ValueError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** @param message the single argument */
        public ValueError(String message) {
            super(message);
        }
    }

    /** Python's {@code KeyError}. */
    public static final class KeyError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** @param message the single argument */
        public KeyError(String message) {
            super(message);
        }
    }

    /** Python's {@code ZeroDivisionError}. */
    public static final class ZeroDivisionError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** @param message the single argument */
        public ZeroDivisionError(String message) {
            super(message);
        }
    }

    /** Python's {@code RuntimeError}. */
    public static final class RuntimeError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** @param message the single argument */
        public RuntimeError(String message) {
            super(message);
        }
    }

    /** Python's {@code OSError}. */
    public static final class OSError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** @param message the single argument */
        public OSError(String message) {
            super(message);
        }
    }
}
