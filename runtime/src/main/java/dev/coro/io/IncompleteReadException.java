package dev.coro.io;

/**
 * EOF came before the bytes a read needed (asyncio's {@code IncompleteReadError}); the bytes read
 * so far are in {@link #partial()} and are no longer buffered. Also an {@link java.io.EOFException}
 * in spirit: catch this type.
 */
public class IncompleteReadException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient byte[] partial;
    private final Integer expected;

    /**
     * @param partial the bytes read before EOF
     * @param expected how many were wanted, or null when unknown ({@code readUntil})
     */
    public IncompleteReadException(byte[] partial, Integer expected) {
        super(partial.length + " bytes read on a total of " + (expected == null ? "undefined" : expected.toString())
                + " expected bytes");
        this.partial = partial;
        this.expected = expected;
    }

    /**
     * @return the bytes read before EOF
     */
    public byte[] partial() {
        return partial;
    }

    /**
     * @return how many bytes were wanted, or null for {@code readUntil}
     */
    public Integer expected() {
        return expected;
    }
}
