package dev.coro.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.coro.Event;
import dev.coro.Queue;
import dev.coro.Task;
import org.junit.jupiter.api.Test;

/** A primitive bound to a loop asserts that it is only used on that loop's thread (with {@code -ea}). */
class ThreadConfinementTest extends SyncTestBase {

    private static boolean assertionsEnabled() {
        boolean enabled = false;
        assert enabled = true;
        return enabled;
    }

    /** Runs {@code action} on another thread (joined at once) and returns what it threw. */
    private static Throwable onOtherThread(Runnable action) throws InterruptedException {
        Throwable[] thrown = new Throwable[1];
        Thread thread = new Thread(() -> {
            try {
                action.run();
            } catch (Throwable t) {
                thrown[0] = t;
            }
        }, "not-the-loop");
        thread.start();
        thread.join();
        return thrown[0];
    }

    @Test
    void testEventSet_offTheLoopThreadFailsAnAssertion() {
        assumeTrue(assertionsEnabled(), "needs -ea");
        Event event = new Event();
        runTest(new Script<Void>()
                .step(v -> {
                    Task<Boolean> waiter = spawn(new Script<Boolean>().step(w -> await(event.waitUntilSet())));
                    return await(yield0()); // the waiter binds the event to this loop
                })
                .step(v -> {
                    Throwable thrown = onOtherThread(event::set);
                    assertInstanceOf(AssertionError.class, thrown);
                    assertTrue(thrown.getMessage().startsWith("set() of Event[unset, waiters:1] called from thread "
                            + "\"not-the-loop\", not from its event loop's thread"), thrown.getMessage());
                    assertFalse(event.isSet());
                    event.set(); // on the loop thread
                    return null;
                }));
    }

    @Test
    void testQueue_offTheLoopThreadFailsAnAssertion() {
        assumeTrue(assertionsEnabled(), "needs -ea");
        Queue<String> q = new Queue<>();
        runTest(new Script<Void>()
                .step(v -> {
                    spawn(new Script<String>().step(w -> await(q.get())));
                    return await(yield0()); // the getter binds the queue to this loop
                })
                .step(v -> {
                    assertInstanceOf(AssertionError.class, onOtherThread(() -> q.putNowait("x")));
                    assertInstanceOf(AssertionError.class, onOtherThread(() -> q.shutdown(true)));
                    assertEquals(0, q.qsize());
                    q.putNowait("x");
                    return null;
                }));
    }

    @Test
    void testUnboundPrimitive_isNotChecked() {
        Queue<String> q = new Queue<>(); // never waited on: not bound to a loop
        q.putNowait("a");
        assertEquals("a", q.getNowait());
    }
}
