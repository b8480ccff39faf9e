package dev.coro.transform.corpus.other;

/** Hands out instances of classes other packages cannot name. */
public final class Hidden {
    private Hidden() {
    }

    /** A public base class. */
    public static class Base {
        @Override
        public String toString() {
            return "base";
        }
    }

    /** Package-private: other packages cannot cast to it. */
    static final class Secret extends Base {
        @Override
        public String toString() {
            return "secret";
        }
    }

    /** Also package-private. */
    static final class Other extends Base {
        @Override
        public String toString() {
            return "other";
        }
    }

    /** @return a Secret, typed as such (callers can hold it in a {@code var}) */
    public static Secret secret() {
        return new Secret();
    }

    /** @return an Other */
    public static Other other() {
        return new Other();
    }
}
