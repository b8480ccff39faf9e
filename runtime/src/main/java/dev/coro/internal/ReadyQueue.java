package dev.coro.internal;

import java.util.Arrays;

/**
 * The loop's ready queue (asyncio's {@code _ready} deque): a FIFO ring of (target, argument)
 * pairs, so that the common entries need no wrapper object. What a target is, and what its
 * argument means, is the loop's business (a task step, a handle, a done callback with its
 * promise, an I/O-ready channel with its ready operations).
 *
 * <p>Loop-thread only. The capacity is a power of two and grows by doubling; it never shrinks.
 */
public final class ReadyQueue {
    private Object[] ring = new Object[128];
    private int head;
    private int tail;
    private int count;
    /** The argument of the target last returned by {@link #poll()}. */
    private Object polledArgument;

    /**
     * Appends an entry.
     *
     * @param target what to run
     * @param argument its argument, or null
     */
    public void add(Object target, Object argument) {
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
     * Removes the first entry and returns its target; its argument is then {@link #polledArgument()}.
     *
     * @return the target (the queue must not be empty)
     */
    public Object poll() {
        Object[] q = ring;
        int h = head;
        Object target = q[h];
        polledArgument = q[h + 1];
        q[h] = null;
        q[h + 1] = null;
        head = (h + 2) & (q.length - 1);
        count--;
        return target;
    }

    /**
     * @return the argument of the entry last returned by {@link #poll()}
     */
    public Object polledArgument() {
        return polledArgument;
    }

    /**
     * @return the number of entries
     */
    public int size() {
        return count;
    }

    /**
     * @return true when empty
     */
    public boolean isEmpty() {
        return count == 0;
    }

    /** Drops every entry. */
    public void clear() {
        Arrays.fill(ring, null);
        count = 0;
        head = 0;
        tail = 0;
        polledArgument = null;
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
