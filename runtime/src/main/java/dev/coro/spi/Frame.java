package dev.coro.spi;

import dev.coro.Awaitable;
import dev.coro.Coroutine;
import dev.coro.Promise;
import dev.coro.internal.Completed;
import dev.coro.internal.CoroutineNames;
import dev.coro.internal.CoroutineTracking;
import dev.coro.internal.FrameAccess;
import dev.coro.internal.TaskAccess;
import dev.coro.internal.Thrown;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

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
 * <h2>Hand-written coroutines</h2>
 * The runtime is not rewritten, so its own coroutines ({@code sleep}, {@code timeout},
 * {@code taskGroup}, {@code Lock.acquire}, ...) are written by hand in exactly the generated shape:
 * <pre>{@code
 * Frame<String> f = new Frame<>(frame -> {
 *     Object r;
 *     switch (frame.state) {
 *         case 0:
 *             r = Frame.await(someAwaitable, frame);
 *             if (r == Frame.SUSPENDED) { frame.state = 1; return Frame.SUSPENDED; }
 *             break;
 *         case 1:
 *             r = frame.resumeValue();          // value, or throws the delivered exception
 *             break;
 *         default:
 *             throw new IllegalStateException("bad state " + frame.state);
 *     }
 *     return "got " + r;                        // finished: the coroutine's result
 * }, 1, 0);
 * }</pre>
 * Values needed after an await go into the slots ({@link #putRef} / {@link #getRef}) or into
 * effectively-final captured variables; a {@code try/catch} around an await is written as a
 * {@code try/catch} around both the {@code Frame.await} call and the matching
 * {@code resumeValue()}.
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
    /** The frame awaiting this one while it runs in a task (null for a task's root frame). */
    private Frame<?> caller;
    /** The {@code dev.coro.Task} running this coroutine; set once (coroutines are one-shot). */
    private Object owner;
    /** The outcome delivered for the next {@link #resumeValue()}: a value or a {@link Thrown}. */
    private Object delivered;
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
        if (CoroutineTracking.enabled) {
            // Debug mode only: remember where this coroutine was made, in case it is never started.
            this.delivered = CoroutineTracking.created(body, this);
        }
    }

    private static final Object[] NO_REFS = {};
    private static final long[] NO_PRIMS = {};

    static {
        FrameAccess.install(new FrameAccess() {
            @Override
            public CoroutineBody body(Frame<?> frame) {
                return frame.body;
            }

            @Override
            public Frame<?> caller(Frame<?> frame) {
                return frame.caller;
            }

            @Override
            public void setCaller(Frame<?> frame, Frame<?> caller) {
                frame.caller = caller;
            }

            @Override
            public Object owner(Frame<?> frame) {
                return frame.owner;
            }

            @Override
            public void setOwner(Frame<?> frame, Object task) {
                frame.owner = task;
                Object creation = frame.delivered;
                if (creation != null) {
                    // Only in debug mode does a frame that has not started hold something here.
                    frame.delivered = null;
                    CoroutineTracking.started(creation);
                }
            }

            @Override
            public void deliver(Frame<?> frame, Object value, Throwable exception) {
                frame.delivered = exception == null ? value : new Thrown(exception);
            }
        });
    }

    /** The task driver, resolved on first use (after {@code dev.coro.Task} is initialized). */
    private static final class Driver {
        static final TaskAccess TASKS = TaskAccess.get();
    }

    // ---------------------------------------------------------------- protocol

    /**
     * Awaits {@code awaitable} from the coroutine whose frame is {@code frame}; rewritten code calls
     * it for every {@code Coro.await(x)}.
     * <ul>
     *   <li>a done {@link Promise} or {@code Task}: returns its result or throws its exception (the
     *   same object) or its {@code CancelledError} at once, allocating nothing;</li>
     *   <li>a {@code done(v)} coroutine: returns {@code v};</li>
     *   <li>a coroutine not started yet: runs it in the same task step (0 loop iterations, as
     *   Python's {@code await coro}); returns its result or throws its exception if it finishes,
     *   else returns {@link #SUSPENDED};</li>
     *   <li>a pending promise or task: registers the calling task's wake-up and returns
     *   {@link #SUSPENDED}.</li>
     * </ul>
     *
     * @param awaitable what is awaited
     * @param frame the frame of the calling coroutine
     * @return the value, or {@link #SUSPENDED}
     * @throws Throwable the awaited outcome's exception, unchanged
     * @throws IllegalStateException when a coroutine is awaited a second time, or when the calling
     *     coroutine is not running in a task
     */
    public static Object await(Awaitable<?> awaitable, Frame<?> frame) throws Throwable {
        if (awaitable instanceof Promise) {
            return Driver.TASKS.awaitPromise((Promise<?>) awaitable, frame);
        } else if (awaitable instanceof Completed) {
            return ((Completed<?>) awaitable).value;
        }
        return Driver.TASKS.await(awaitable, frame);
    }

    /**
     * Awaits any Java future from the coroutine whose frame is {@code frame}: returns its value or
     * throws its exception at once when it is already complete ({@link CompletionException} and
     * {@link ExecutionException} are unwrapped; a Java cancellation becomes
     * {@code dev.coro.CancelledError}); otherwise the calling task waits until the future
     * completes on any thread, and resumes on its loop thread.
     *
     * @param stage the future
     * @param frame the frame of the calling coroutine
     * @return the value, or {@link #SUSPENDED}
     * @throws Throwable the future's exception, unwrapped
     */
    public static Object awaitStage(CompletionStage<?> stage, Frame<?> frame) throws Throwable {
        if (stage instanceof CompletableFuture) {
            CompletableFuture<?> future = (CompletableFuture<?>) stage;
            if (future.isDone()) {
                try {
                    return future.getNow(null);
                } catch (CompletionException e) {
                    throw e.getCause() != null ? e.getCause() : e;
                } catch (java.util.concurrent.CancellationException e) {
                    dev.coro.CancelledError cancelled = new dev.coro.CancelledError(e.getMessage());
                    cancelled.initCause(e);
                    throw cancelled;
                }
            }
        }
        if (stage == null) {
            throw new NullPointerException("await(CompletionStage) was given null");
        }
        return Driver.TASKS.awaitStage(stage, frame);
    }

    /**
     * Returns the outcome delivered to this frame when it was resumed at an await site: the value,
     * or throws the exception (the exact object, not wrapped). Called by rewritten code right
     * after it restored its saved values; clears the delivered outcome.
     *
     * @return the awaited value
     * @throws Throwable the awaited exception (e.g. {@code CancelledError})
     */
    public Object resumeValue() throws Throwable {
        Object outcome = delivered;
        delivered = null;
        if (outcome instanceof Thrown) {
            throw ((Thrown) outcome).exception;
        }
        return outcome;
    }

    /**
     * Unwraps the {@code Coroutine} a rewritten method returns with {@code return x;} when
     * {@code x} is not a literal {@code done(...)} call.
     *
     * @param returned the returned coroutine
     * @return the value of a {@code done(v)} coroutine
     * @throws IllegalStateException when {@code returned} is another coroutine, a promise or a task
     */
    public static Object returnValue(Object returned) {
        if (returned instanceof Completed) {
            return ((Completed<?>) returned).value;
        }
        throw badReturn(returned, "An @Async method");
    }

    /**
     * As {@link #returnValue(Object)}, for a {@code return x;} at a known place: rewritten code
     * passes {@code where}, a constant {@code com.acme.Foo.bar(Foo.java:12)} naming the method and
     * the line of the {@code return}, so that the error says where to look.
     *
     * @param returned the returned coroutine
     * @param where the method and line of the return statement
     * @return the value of a {@code done(v)} coroutine
     * @throws IllegalStateException when {@code returned} is {@code null}, another coroutine, a
     *     promise or a task; the message names {@code where}
     */
    public static Object returnValue(Object returned, String where) {
        if (returned instanceof Completed) {
            return ((Completed<?>) returned).value;
        }
        throw badReturn(returned, "The @Async method " + where);
    }

    private static IllegalStateException badReturn(Object returned, String method) {
        if (returned == null) {
            return new IllegalStateException(method + " returned null instead of done(value): an @Async"
                    + " method ends with `return done(value);` (or `return done();` for no value)");
        }
        return new IllegalStateException(method + " returned " + describe(returned)
                + " instead of done(value): returning a coroutine, promise or task does not run it;"
                + " write `return done(await(x));` to return its result");
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        return value instanceof Frame ? "another coroutine (" + value + ")" : value.toString();
    }

    /**
     * @return {@code Coroutine[com.acme.Deep.level5 at Deep.java:18]} (suspended at the await of
     *     line 18), {@code Coroutine[com.acme.Deep.level5 at Deep.java:12, not started]}, or,
     *     for code without await-site metadata, {@code Coroutine[com.acme.Deep.level5, await #2]}
     */
    @Override
    public String toString() {
        return CoroutineNames.describe(body, state);
    }

    // ---------------------------------------------------------------- slots

    /**
     * Saves a reference.
     * @param value the value
     * @param frame the frame
     * @param slot the ref slot
     */
    public static void putRef(Object value, Frame<?> frame, int slot) {
        frame.refs[slot] = value;
    }

    /**
     * Saves an int (also boolean, byte, char, short).
     * @param value the value
     * @param frame the frame
     * @param slot the prim slot
     */
    public static void putInt(int value, Frame<?> frame, int slot) {
        frame.prims[slot] = value;
    }

    /**
     * Saves a long.
     * @param value the value
     * @param frame the frame
     * @param slot the prim slot
     */
    public static void putLong(long value, Frame<?> frame, int slot) {
        frame.prims[slot] = value;
    }

    /**
     * Saves a float.
     * @param value the value
     * @param frame the frame
     * @param slot the prim slot
     */
    public static void putFloat(float value, Frame<?> frame, int slot) {
        frame.prims[slot] = Float.floatToRawIntBits(value);
    }

    /**
     * Saves a double.
     * @param value the value
     * @param frame the frame
     * @param slot the prim slot
     */
    public static void putDouble(double value, Frame<?> frame, int slot) {
        frame.prims[slot] = Double.doubleToRawLongBits(value);
    }

    /**
     * @param frame the frame
     * @param slot the ref slot
     * @return the saved reference
     */
    public static Object getRef(Frame<?> frame, int slot) {
        return frame.refs[slot];
    }

    /**
     * @param frame the frame
     * @param slot the prim slot
     * @return the saved int
     */
    public static int getInt(Frame<?> frame, int slot) {
        return (int) frame.prims[slot];
    }

    /**
     * @param frame the frame
     * @param slot the prim slot
     * @return the saved long
     */
    public static long getLong(Frame<?> frame, int slot) {
        return frame.prims[slot];
    }

    /**
     * @param frame the frame
     * @param slot the prim slot
     * @return the saved float
     */
    public static float getFloat(Frame<?> frame, int slot) {
        return Float.intBitsToFloat((int) frame.prims[slot]);
    }

    /**
     * @param frame the frame
     * @param slot the prim slot
     * @return the saved double
     */
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
