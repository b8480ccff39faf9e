package dev.coro.internal;

import java.util.Arrays;

/**
 * The loop's ready queue (asyncio's {@code _ready} deque): a FIFO ring of (target, argument)
 * pairs, so that the common entries need no wrapper object. What a target is, and what its
 * argument means, is the loop's business (a task step, a handle, a done callback with its
 * promise, an I/O-ready channel with its ready operations).
 *
 * <p>It is the event loop's superclass rather than an object the loop points to: every task
 * switch adds and removes an entry, and the extra pointer hop of a separate object measured
 * about 1 ns per switch (+9 % on the one-task switch workload, same-JVM paired runs). As a
 * superclass its fields are the loop's own, and its code still lives here.
 *
 * <p>Loop-thread only. The capacity is a power of two and grows by doubling; it never shrinks.
 * The methods are protected and final: only the loop uses them.
 */
public abstract class ReadyQueue {
    private Object[] ring = new Object[128];
    private int head;
    private int tail;
    private int count;

    /** For the event loop only. */
    protected ReadyQueue() {
    }

    /**
     * Appends an entry.
     *
     * @param target what to run
     * @param argument its argument, or null
     */
    protected final void enqueue(Object target, Object argument) {
        Object[] q = ring;
        if ((count + 1) * 2 > q.length) {
            q = grow();
        }
        int t = tail;
        q[t] = target;
        q[t + 1] = argument;
        tail = (t + 2) & (q.length - 1);
        count++;
    }

    /**
     * @return the argument of the first entry (the queue must not be empty); read it before
     *     {@link #dequeue()} removes the entry
     */
    protected final Object firstArgument() {
        return ring[head + 1];
    }

    /**
     * Removes the first entry and returns its target (its argument: {@link #firstArgument()},
     * read before).
     *
     * @return the target (the queue must not be empty)
     */
    protected final Object dequeue() {
        Object[] q = ring;
        int h = head;
        Object target = q[h];
        q[h] = null;
        q[h + 1] = null;
        head = (h + 2) & (q.length - 1);
        count--;
        return target;
    }

    /**
     * @return the number of entries
     */
    protected final int readyCount() {
        return count;
    }

    /** Drops every entry. */
    protected final void clearReady() {
        Arrays.fill(ring, null);
        count = 0;
        head = 0;
        tail = 0;
    }

    private Object[] grow() {
        Object[] old = ring;
        Object[] q = new Object[old.length * 2];
        int n = count * 2;
        for (int i = 0; i < n; i++) {
            q[i] = old[(head + i) & (old.length - 1)];
        }
        head = 0;
        tail = n;
        ring = q;
        return q;
    }
}
