package dev.coro.internal;

import java.util.Arrays;

/**
 * The loop's timers (asyncio's {@code _scheduled} heap): a binary min-heap ordered by (deadline,
 * sequence). Deadlines are {@code nanoTime} values and are compared by subtraction, so the
 * clock may wrap; equal deadlines run in registration order (the sequence number), unlike
 * CPython's {@code heapq}, which makes no promise.
 *
 * <p>A timer is cancelled lazily: its owner marks it, {@link #cancelled()} counts it, and the
 * heap drops it when it reaches the top, or all at once when more than half of a large heap is
 * cancelled (asyncio's {@code _MIN_CANCELLED_TIMER_HANDLES_FRACTION}). Whether an item is
 * cancelled is asked of the {@link Liveness} given at construction.
 *
 * <p>Three parallel arrays instead of an entry object per timer: a sleeping task is its own
 * timer item, so {@code sleep()} allocates nothing here. Loop-thread only.
 */
public final class TimerHeap {
    private static final int MIN_TIMERS_FOR_CLEANUP = 100;

    /** Tells the heap which items are cancelled; implemented by the loop. */
    public interface Liveness {
        /**
         * @param item a timer item
         * @param sequence the sequence number it was added with
         * @return true if the item no longer wants to fire
         */
        boolean isCancelled(Object item, long sequence);

        /**
         * Called for each cancelled item the heap drops.
         *
         * @param item the item
         */
        void dropped(Object item);
    }

    private final Liveness liveness;
    private Object[] items = new Object[64];
    private long[] whens = new long[64];
    private long[] seqs = new long[64];
    private int count;
    private long sequence;
    private int cancelledCount;

    /**
     * @param liveness tells which items are cancelled
     */
    public TimerHeap(Liveness liveness) {
        this.liveness = liveness;
    }

    /**
     * Adds a timer.
     *
     * @param when the deadline ({@code nanoTime})
     * @param item the item
     * @return its sequence number
     */
    public long add(long when, Object item) {
        if (count == items.length) {
            int n = count * 2;
            items = Arrays.copyOf(items, n);
            whens = Arrays.copyOf(whens, n);
            seqs = Arrays.copyOf(seqs, n);
        }
        long seq = sequence++;
        siftUp(count++, when, seq, item);
        return seq;
    }

    /** Counts one more cancelled item still in the heap. */
    public void cancelled() {
        cancelledCount++;
    }

    /**
     * @return the number of items, cancelled ones included
     */
    public int size() {
        return count;
    }

    /**
     * @return the number of timers not cancelled
     */
    public int liveCount() {
        return count - cancelledCount;
    }

    /**
     * Drops cancelled timers: those at the top, or every one when most of a large heap is
     * cancelled. Afterwards the top, if any, is live.
     */
    public void purgeCancelled() {
        if (count == 0) {
            return; // the common case of a busy loop: no call at all
        }
        if (count > MIN_TIMERS_FOR_CLEANUP && cancelledCount * 2 > count) {
            rebuildWithoutCancelled();
        } else {
            dropCancelledTop();
        }
    }

    private void dropCancelledTop() {
        while (count > 0 && liveness.isCancelled(items[0], seqs[0])) {
            liveness.dropped(popTop());
            cancelledCount--;
        }
    }

    /**
     * @return the deadline of the first live timer; only valid when {@link #size()} is not 0
     *     after {@link #purgeCancelled()}
     */
    public long firstDeadline() {
        return whens[0];
    }

    /**
     * Removes and returns the first live timer whose deadline is at or before {@code now}.
     *
     * @param now the loop's clock
     * @return the item, or null when none is due
     */
    public Object pollDue(long now) {
        dropCancelledTop();
        if (count == 0 || whens[0] - now > 0) {
            return null;
        }
        return popTop();
    }

    /** Drops every timer. */
    public void clear() {
        Arrays.fill(items, null);
        count = 0;
        cancelledCount = 0;
    }

    private static boolean before(long when1, long seq1, long when2, long seq2) {
        long d = when1 - when2;
        return d < 0 || (d == 0 && seq1 < seq2);
    }

    private void siftUp(int i, long when, long seq, Object item) {
        Object[] it = items;
        long[] wh = whens;
        long[] sq = seqs;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(when, seq, wh[parent], sq[parent])) {
                break;
            }
            it[i] = it[parent];
            wh[i] = wh[parent];
            sq[i] = sq[parent];
            i = parent;
        }
        it[i] = item;
        wh[i] = when;
        sq[i] = seq;
    }

    private Object popTop() {
        Object[] it = items;
        long[] wh = whens;
        long[] sq = seqs;
        Object top = it[0];
        int n = --count;
        Object item = it[n];
        long when = wh[n];
        long seq = sq[n];
        it[n] = null;
        if (n > 0) {
            int i = 0;
            int half = n >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                int right = child + 1;
                if (right < n && before(wh[right], sq[right], wh[child], sq[child])) {
                    child = right;
                }
                if (!before(wh[child], sq[child], when, seq)) {
                    break;
                }
                it[i] = it[child];
                wh[i] = wh[child];
                sq[i] = sq[child];
                i = child;
            }
            it[i] = item;
            wh[i] = when;
            sq[i] = seq;
        }
        return top;
    }

    private void rebuildWithoutCancelled() {
        int n = count;
        Object[] keptItems = new Object[n];
        long[] keptWhens = new long[n];
        long[] keptSeqs = new long[n];
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (liveness.isCancelled(items[i], seqs[i])) {
                liveness.dropped(items[i]);
            } else {
                keptItems[kept] = items[i];
                keptWhens[kept] = whens[i];
                keptSeqs[kept] = seqs[i];
                kept++;
            }
            items[i] = null;
        }
        count = 0;
        cancelledCount = 0;
        for (int i = 0; i < kept; i++) {
            siftUp(count++, keptWhens[i], keptSeqs[i], keptItems[i]);
        }
    }
}
