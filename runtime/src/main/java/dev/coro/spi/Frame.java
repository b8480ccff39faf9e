package dev.coro.spi;

import dev.coro.Awaitable;
import dev.coro.Coroutine;
import java.util.concurrent.CompletionStage;

/**
 * The coroutine object of one call of a rewritten {@code @Async} method: its state number, the
 * values saved across awaits, and its link to the awaiting caller. This is the protocol between
 * the rewriter ({@code coro-transform}) and the runtime; application code never uses it directly.
 *
 * <h2>What rewritten code looks like</h2>
 * For {@code @Async Coroutine<T> m(A a, B b)} the rewriter emits
 * <ol>
 *   <li>a <b>stub</b> with the original signature:
 *   <pre>{@code
 *   Frame f = new Frame(<invokedynamic: CoroutineBody for m(Frame)>, refSlots, primSlots);
 *   Frame.putRef(this, f, 0); Frame.putRef(a, f, 1); Frame.putInt(b, f, 0); ...
 *   return f;                       // lazy: nothing of the body runs yet
 *   }</pre></li>
 *   <li>a <b>resume method</b> {@code static Object m(Frame)} holding the original body, entered
 *   through {@code switch (frame.state)}: state 0 loads the arguments from the frame, state
 *   <i>n</i> jumps to the restore code of await site <i>n</i>.</li>
 * </ol>
 * Each {@code Coro.await(x)} call becomes
 * <pre>{@code
 *   // operand stack: ..., x
 *   aload frame; invokestatic Frame.await(Awaitable, Frame)Object   // or awaitStage(CompletionStage, Frame)
 *   dup; getstatic Frame.SUSPENDED; if_acmpne CONTINUE
 *   pop; <spill the stack below into the frame, save live locals, clearRefs(frame, k)>
 *   frame.state = n; getstatic Frame.SUSPENDED; areturn
 * RESUME_n:                                                        // reached from the entry switch
 *   <restore live locals and the spilled stack>
 *   aload frame; invokevirtual Frame.resumeValue()Object           // value, or throws
 * CONTINUE:
 *   // operand stack: ..., value   (javac's checkcast/unboxing follows unchanged)
 * }</pre>
 * and {@code return done(v)} / {@code return done()} become a plain {@code areturn} of {@code v}
 * / {@code null}; any other returned {@code Coroutine} goes through {@link #returnValue(Object)}.
 *
 * <h2>Fast path</h2>
 * {@link #await(Awaitable, Frame)} returns the value (or throws the exception) at once when the
 * awaitable is already done, or when it is a coroutine that ran to completion inline; only when
 * it returns {@link #SUSPENDED} does the caller save anything. Saving after the call is safe:
 * completions are always delivered by a later loop callback, never in place.
 *
 * <h2>Slots</h2>
 * References live in ref slots {@code 0..refSlots-1}; every primitive ({@code boolean, byte,
 * char, short, int, float, long, double}) lives in one prim slot {@code 0..primSlots-1} (a
 * {@code long} each, so nothing is boxed). The {@code put*} helpers take the value first so that
 * a value on top of the operand stack can be spilled with {@code aload frame; ldc slot;
 * invokestatic}.
 *
 * @param <T> the coroutine's result type
 */
public final class Frame<T> extends Coroutine<T> {
    /** Returned by {@link CoroutineBody#resume} and {@link #await} when the coroutine suspended. */
    public static final Object SUSPENDED = new Object() {
        @Override
        public String toString() {
            return "SUSPENDED";
        }
    };

    /**
     * The await site the coroutine is suspended at: 0 before the first resume, {@code n >= 1} at
     * the n-th await site. Written by rewritten code just before it returns {@link #SUSPENDED}.
     */
    public int state;

    /** The resumable code; one shared instance per {@code @Async} method. */
    final CoroutineBody body;
    private final Object[] refs;
    private final long[] prims;

    /**
     * Creates the coroutine object of one call; called by the rewritten stub.
     *
     * @param body the method's resumable code
     * @param refSlots how many reference slots the method needs at most
     * @param primSlots how many primitive slots the method needs at most
     */
    public Frame(CoroutineBody body, int refSlots, int primSlots) {
        this.body = body;
        this.refs = refSlots == 0 ? NO_REFS : new Object[refSlots];
        this.prims = primSlots == 0 ? NO_PRIMS : new long[primSlots];
    }

    private static final Object[] NO_REFS = {};
    private static final long[] NO_PRIMS = {};

    // ---------------------------------------------------------------- slots

    /** Saves a reference. @param value the value @param frame the frame @param slot the ref slot */
    public static void putRef(Object value, Frame<?> frame, int slot) {
        frame.refs[slot] = value;
    }

    /** Saves an int (also boolean, byte, char, short). @param value the value @param frame the frame @param slot the prim slot */
    public static void putInt(int value, Frame<?> frame, int slot) {
        frame.prims[slot] = value;
    }

    /** Saves a long. @param value the value @param frame the frame @param slot the prim slot */
    public static void putLong(long value, Frame<?> frame, int slot) {
        frame.prims[slot] = value;
    }

    /** Saves a float. @param value the value @param frame the frame @param slot the prim slot */
    public static void putFloat(float value, Frame<?> frame, int slot) {
        frame.prims[slot] = Float.floatToRawIntBits(value);
    }

    /** Saves a double. @param value the value @param frame the frame @param slot the prim slot */
    public static void putDouble(double value, Frame<?> frame, int slot) {
        frame.prims[slot] = Double.doubleToRawLongBits(value);
    }

    /** @param frame the frame @param slot the ref slot @return the saved reference */
    public static Object getRef(Frame<?> frame, int slot) {
        return frame.refs[slot];
    }

    /** @param frame the frame @param slot the prim slot @return the saved int */
    public static int getInt(Frame<?> frame, int slot) {
        return (int) frame.prims[slot];
    }

    /** @param frame the frame @param slot the prim slot @return the saved long */
    public static long getLong(Frame<?> frame, int slot) {
        return frame.prims[slot];
    }

    /** @param frame the frame @param slot the prim slot @return the saved float */
    public static float getFloat(Frame<?> frame, int slot) {
        return Float.intBitsToFloat((int) frame.prims[slot]);
    }

    /** @param frame the frame @param slot the prim slot @return the saved double */
    public static double getDouble(Frame<?> frame, int slot) {
        return Double.longBitsToDouble(frame.prims[slot]);
    }

    /**
     * Clears the ref slots from {@code fromSlot} on, so that a suspended coroutine does not keep
     * dead objects reachable.
     *
     * @param frame the frame
     * @param fromSlot the first slot to clear
     */
    public static void clearRefs(Frame<?> frame, int fromSlot) {
        Object[] r = frame.refs;
        for (int i = fromSlot; i < r.length; i++) {
            r[i] = null;
        }
    }
}
