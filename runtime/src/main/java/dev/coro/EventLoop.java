package dev.coro;

import dev.coro.internal.DefaultExecutor;
import dev.coro.internal.FailureTracker;
import dev.coro.internal.IoPoller;
import dev.coro.internal.IoRegistration;
import dev.coro.internal.ParkWaker;
import dev.coro.internal.ReadyQueue;
import dev.coro.internal.TimerHeap;
import dev.coro.internal.Waker;
import dev.coro.spi.CoroutineBody;
import dev.coro.spi.Frame;
import dev.coro.io.Datagram;
import dev.coro.io.DatagramProtocol;
import dev.coro.io.DatagramTransport;
import dev.coro.io.Protocol;
import dev.coro.io.Server;
import dev.coro.io.StreamOptions;
import dev.coro.io.Transport;
import dev.coro.internal.Lazy;
import dev.coro.internal.io.Connect;
import dev.coro.internal.io.ConnectToHost;
import dev.coro.internal.io.DatagramTransportImpl;
import dev.coro.internal.io.ServerImpl;
import dev.coro.internal.io.SockOps;
import dev.coro.internal.io.TlsConnect;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One thread's event loop (asyncio's {@code BaseEventLoop}): a FIFO queue of ready callbacks, a
 * heap of timers, and a thread-safe entry for other threads.
 *
 * <h2>One iteration ({@code runOnce}, asyncio's {@code _run_once})</h2>
 * <ol>
 *   <li>callbacks queued by other threads ({@link #callSoonThreadsafe}) join the ready queue;</li>
 *   <li>cancelled timers at the top of the heap are dropped;</li>
 *   <li>if nothing is ready, the loop waits until the first timer's deadline (a virtual-time loop
 *   jumps to it instead of sleeping) or until another thread wakes it;</li>
 *   <li>timers whose deadline has come join the ready queue, in (deadline, registration) order;</li>
 *   <li>exactly the callbacks ready at this point run; callbacks they queue wait for the next
 *   iteration.</li>
 * </ol>
 * A callback that throws is reported to the {@linkplain #setExceptionHandler exception handler}
 * and the loop goes on. While the loop has no timer, no tracked failure and no I/O poller, steps
 * 2 and 4 have nothing to do and are skipped after one field read.
 *
 * <p>Everything but {@link #callSoonThreadsafe}, {@link #stop()} (from a callback),
 * {@link #isRunning()}, {@link #isClosed()}, {@link #time()} and promise completion runs on the
 * loop thread (asserted).
 *
 * <pre>{@code
 * try (EventLoop loop = EventLoop.virtualTime()) {
 *     String s = loop.runUntilComplete(main());   // an hour of sleeps takes microseconds
 * }
 * }</pre>
 */
public final class EventLoop extends ReadyQueue implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.coro");
    private static final ThreadLocal<EventLoop> RUNNING = new ThreadLocal<>();
    /** Fast path of {@link #running()}: valid only when its owner is the calling thread. */
    private static EventLoop lastRunning;
    private static final long SLOW_CALLBACK_NANOS = 100_000_000L;
    /**
     * New loops start in debug mode when {@code -Dcoro.debug=true} or the environment has
     * {@code CORO_DEBUG} set to anything but {@code 0} or empty (asyncio's {@code PYTHONASYNCIODEBUG}).
     */
    static final boolean DEFAULT_DEBUG = Debugging.debugFromOutside();

    private final boolean virtual;
    private long virtualNanos;

    // The parts, in the order runOnce uses them.
    // The ready queue is the superclass (ReadyQueue: its fields are this object's, one pointer
    // hop less per task switch). Entries (target, argument): a Task (step; argument null) or a
    // Task with Task.FIRE (its sleep timer fired), a Handle, an IoRegistration with READ or
    // WRITE, or a Consumer (a done callback; argument = the promise).
    // Timer items: Handles, and sleeping Tasks (their own timer entry).
    private final TimerHeap timers = new TimerHeap(new TimerLiveness());
    /** Made on first I/O (see {@link #poller()}); read by other threads to wake the loop. */
    private volatile IoPoller poller;
    private final FailureTracker failures = new FailureTracker();
    private final DefaultExecutor defaultExecutor = new DefaultExecutor();
    /** Queues the ready registrations of one select; reused. */
    private final Consumer<SelectionKey> ioSink = this::ioReady;

    /**
     * Loop thread: set while {@link #runOnce()} has more to do than run callbacks: a timer, a
     * tracked failure or a poller. Set where each begins, recomputed by {@link #prelude()}.
     */
    private boolean chores;

    private final ConcurrentLinkedQueue<Handle> incoming = new ConcurrentLinkedQueue<>();
    private volatile Waker waker;

    private volatile Thread owner;
    private volatile boolean running;
    private volatile boolean stopping;
    private volatile boolean closed;
    private boolean debug = DEFAULT_DEBUG;
    /** asyncio's {@code slow_callback_duration}: debug mode warns about callbacks that take longer. */
    private long slowCallbackNanos = SLOW_CALLBACK_NANOS;
    /** Debug mode only: when each task's last step started (loop clock), for task dumps. */
    private java.util.WeakHashMap<Task<?>, Long> lastSteps;
    /** The N of the JMX name {@code dev.coro:type=EventLoop,name=loop-N}, given at the first run; 0 before. */
    private int jmxNumber;
    /** This thread's JMX slot while a run goes on (see {@link dev.coro.internal.LoopMBean}). */
    private dev.coro.internal.LoopMBean.Slot jmxSlot;

    static {
        dev.coro.internal.LoopMBean.bind(loop -> ((EventLoop) loop).jmxSource(), loop -> ((EventLoop) loop).jmxNumber);
    }

    Task<?> currentTask;
    /** Inline {@code await coroutine} nesting of the running task step (see {@link Task}). */
    int inlineDepth;
    /** Set when an await pushed a frame for the task driver to start from a shallow stack. */
    boolean trampoline;
    ContextHolder contextHolder = new ContextHolder();
    /** The loop thread's own context while it runs (callbacks registered in it need no binding). */
    private Context baseContext = Context.EMPTY;
    private Task<?> liveHead;
    private int liveCount;
    private int taskCounter;

    private ExceptionHandler exceptionHandler;
    /** Jobs of other threads whose outcome the loop waits for (executor jobs, awaited Java futures). */
    private final java.util.concurrent.atomic.AtomicInteger outsideWork = new java.util.concurrent.atomic.AtomicInteger();

    /** Makes the loop thread's {@link Waker} when a run starts (an I/O selector can replace it). */
    private final Function<Thread, Waker> wakerFactory;

    private EventLoop(boolean virtual, Function<Thread, Waker> wakerFactory) {
        this.virtual = virtual;
        this.wakerFactory = wakerFactory;
    }

    /**
     * Runtime-internal: a loop that blocks and wakes through the given {@link Waker} (e.g. an I/O
     * selector's {@code select}/{@code wakeup}) instead of parking its thread.
     *
     * @param virtual true for a virtual clock
     * @param wakerFactory makes the waker for the loop thread at the start of each run
     * @return the loop
     */
    static EventLoop withWaker(boolean virtual, Function<Thread, Waker> wakerFactory) {
        return new EventLoop(virtual, wakerFactory);
    }

    /**
     * @return a new loop on the system's monotonic clock
     */
    public static EventLoop create() {
        return new EventLoop(false, ParkWaker::new);
    }

    /**
     * Returns a new loop on a virtual clock that starts at 0 and never sleeps: when nothing is
     * ready, time jumps to the next timer's deadline. Use it in tests: {@code sleep(1 hour)} takes
     * microseconds and times print exactly. It still blocks for real when it waits only for other
     * threads.
     *
     * <p><b>Virtual time with real I/O.</b> Channels registered with the loop still do real I/O.
     * Before the clock jumps to the next timer, the loop polls its channels without waiting; if
     * any channel is waiting to read, write or connect (bytes may be in flight), it then waits
     * for real up to 5 ms for an event. The clock moves only when both polls found nothing and no
     * other thread queued work. So an hour of virtual sleep while a server only listens ends at
     * once, and a timeout around a read does not fire while the peer's reply is arriving; but a
     * peer that takes longer than that grace to answer is treated as silent, and the timeout
     * fires. Use a real-time loop ({@link #create()}) for tests of slow peers.
     *
     * @return the loop
     */
    public static EventLoop virtualTime() {
        return new EventLoop(true, ParkWaker::new);
    }

    // ---------------------------------------------------------------- clock

    /**
     * @return the loop's clock in nanoseconds (virtual: starts at 0)
     */
    public long nanoTime() {
        return virtual ? virtualNanos : System.nanoTime();
    }

    /**
     * @return the loop's clock in seconds (asyncio's {@code loop.time()})
     */
    public double time() {
        return nanoTime() / 1e9;
    }

    /**
     * @return true if this loop runs on a virtual clock
     */
    public boolean isVirtualTime() {
        return virtual;
    }

    // ---------------------------------------------------------------- scheduling

    /**
     * Schedules {@code callback} to run in the next iteration, after the callbacks already queued.
     *
     * @param callback the callback
     * @return a handle to cancel it
     * @throws IllegalStateException if the loop is closed
     */
    public Handle callSoon(Runnable callback) {
        checkClosed("callSoon");
        checkThread("callSoon");
        Handle h = new Handle(this, callback, false, 0);
        h.context = currentContext();
        readyAdd(h, null);
        return h;
    }

    /**
     * Schedules {@code callback} to run after {@code delay} (at the earliest).
     *
     * @param delay the delay; zero or negative means "at the next iteration's timer pass"
     * @param callback the callback
     * @return a handle to cancel it
     * @throws IllegalStateException if the loop is closed
     */
    public Handle callLater(Duration delay, Runnable callback) {
        return callAtNanos(nanoTime() + saturatedNanos(delay), callback);
    }

    /**
     * Schedules {@code callback} at {@code when} seconds on the loop's clock ({@link #time()}),
     * like asyncio's {@code call_at}.
     *
     * @param when the deadline in seconds
     * @param callback the callback
     * @return a handle to cancel it
     * @throws IllegalStateException if the loop is closed
     */
    public Handle callAt(double when, Runnable callback) {
        return callAtNanos(secondsToNanos(when), callback);
    }

    static long secondsToNanos(double seconds) {
        return Math.round(seconds * 1e9);
    }

    /**
     * Schedules {@code callback} at {@code deadlineNanos} on the loop's clock ({@link #nanoTime()}).
     * Timers with the same deadline run in registration order.
     *
     * @param deadlineNanos the deadline
     * @param callback the callback
     * @return a handle to cancel it
     * @throws IllegalStateException if the loop is closed
     */
    public Handle callAtNanos(long deadlineNanos, Runnable callback) {
        checkClosed("callAt");
        checkThread("callAt");
        if (callback == null) {
            throw new NullPointerException("callAt(..., null): pass the callback to run");
        }
        Handle h = new Handle(this, callback, true, deadlineNanos);
        h.context = currentContext();
        h.inHeap = true;
        addTimer(deadlineNanos, h);
        return h;
    }

    /**
     * Schedules {@code callback} from any thread; wakes the loop if it is waiting.
     *
     * @param callback the callback
     * @return a handle to cancel it
     * @throws IllegalStateException if the loop is closed
     */
    public Handle callSoonThreadsafe(Runnable callback) {
        checkClosed("callSoonThreadsafe");
        if (callback == null) {
            throw new NullPointerException("callSoonThreadsafe(null): pass the callback to run");
        }
        Handle h = new Handle(this, callback, false, 0);
        incoming.add(h);
        wakeup();
        return h;
    }

    /**
     * Wakes the loop thread if it is blocked (parked, or in select). Order is important here: the
     * caller has queued its work before this reads {@code waker} and {@code poller}, and the loop
     * publishes both before it checks its queues and blocks (see {@link IoPoller}).
     */
    private void wakeup() {
        Waker w = waker;
        if (w != null) {
            w.wakeup();
        }
        IoPoller p = poller;
        if (p != null) {
            p.wakeup();
        }
    }

    /** Runs {@code action} now when on the loop thread, else through {@link #callSoonThreadsafe}. */
    void runOnLoop(Runnable action) {
        if (inLoop() && running) {
            action.run();
        } else if (!closed) {
            callSoonThreadsafe(action);
        }
    }

    // ---------------------------------------------------------------- running

    /**
     * Runs the loop until {@code awaitable} is done and returns its result (a coroutine is spawned
     * as a task first).
     *
     * @param awaitable a coroutine, promise or task
     * @param <T> the result type
     * @return the result (or throws the awaitable's exception, unchanged)
     * @throws IllegalStateException if the loop is closed or running, if another loop runs on this
     *     thread, or if the loop was stopped before the awaitable completed
     */
    public <T> T runUntilComplete(Awaitable<T> awaitable) {
        checkClosed("runUntilComplete");
        checkCanRun();
        Promise<T> promise = toPromise(awaitable);
        Consumer<Promise<T>> stopper = p -> stop();
        promise.addDoneCallback(stopper);
        try {
            runForever();
        } finally {
            promise.removeDoneCallback(stopper);
        }
        if (!promise.isDone()) {
            throw new IllegalStateException("The event loop stopped before " + promise + " completed");
        }
        return promise.result();
    }

    @SuppressWarnings("unchecked")
    private <T> Promise<T> toPromise(Awaitable<T> awaitable) {
        if (awaitable instanceof Promise) {
            Promise<T> p = (Promise<T>) awaitable;
            if (p.loop != this) {
                throw new IllegalArgumentException(p + " belongs to another event loop");
            }
            return p;
        }
        if (awaitable instanceof Coroutine) {
            return spawn((Coroutine<T>) awaitable);
        }
        throw new IllegalArgumentException("Cannot run " + awaitable + ": pass a coroutine, promise or task");
    }

    /**
     * Runs the loop until {@link #stop()} is called.
     *
     * @throws IllegalStateException if the loop is closed or running, or if another loop runs on
     *     this thread
     */
    public void runForever() {
        checkClosed("runForever");
        checkCanRun();
        Thread me = Thread.currentThread();
        owner = me;
        waker = wakerFactory.apply(me);
        contextHolder = ContextHolder.current();
        baseContext = contextHolder.context;
        running = true;
        RUNNING.set(this);
        lastRunning = this;
        jmxRunStarted(me);
        try {
            for (;;) {
                runOnce();
                if (stopping) {
                    break;
                }
            }
        } finally {
            jmxRunEnded();
            stopping = false;
            running = false;
            waker = null;
            RUNNING.remove();
            if (lastRunning == this) {
                lastRunning = null;
            }
            owner = null;
        }
    }

    private void checkCanRun() {
        if (running) {
            throw new IllegalStateException("This event loop is already running: runForever/runUntilComplete"
                    + " cannot be called from inside it; await instead");
        }
        if (RUNNING.get() != null) {
            throw new IllegalStateException("Cannot run an event loop while another loop is running on this"
                    + " thread: await the work from the running loop instead");
        }
    }

    /**
     * Stops the loop after the current iteration (if called before the loop runs, the next run
     * does one iteration).
     */
    public void stop() {
        stopping = true;
        wakeup();
    }

    /**
     * @return true while {@link #runForever()} runs
     */
    public boolean isRunning() {
        return running;
    }

    /**
     * @return true once {@link #close()} was called
     */
    public boolean isClosed() {
        return closed;
    }

    /** @return the thread running the loop, or null (for task dumps) */
    Thread ownerThread() {
        return owner;
    }

    /**
     * @return true when called on the loop's thread (or when the loop is not running)
     */
    public boolean inLoop() {
        Thread t = owner;
        return t == null || t == Thread.currentThread();
    }

    /**
     * Tells whether the loop could make progress without anything new happening: ready callbacks,
     * live timers, channels waiting for I/O, callbacks queued by other threads, and outside work
     * it waits for ({@link #runInExecutor} jobs and awaited Java futures). Test harnesses use it
     * to detect a deadlock: a loop that {@code isIdle()} while a task is still pending will never
     * finish it.
     *
     * @return true if none of these exists
     */
    public boolean isIdle() {
        IoPoller p = poller;
        return readyCount() == 0 && incoming.isEmpty() && timers.liveCount() == 0
                && (p == null || !p.hasInterest()) && outsideWork.get() == 0;
    }

    /** Outside work starts: the loop will get its outcome through {@link #callSoonThreadsafe}. */
    void outsideWorkStarted() {
        outsideWork.incrementAndGet();
    }

    /** Outside work delivered its outcome (or was abandoned). */
    void outsideWorkEnded() {
        outsideWork.decrementAndGet();
    }

    /**
     * Closes the loop: drops pending callbacks and timers, shuts the default executor down
     * (without waiting), and reports failed promises whose exception was never retrieved.
     * Idempotent.
     *
     * @throws IllegalStateException if the loop is running
     */
    @Override
    public void close() {
        if (running) {
            throw new IllegalStateException("Cannot close a running event loop: stop() it first");
        }
        if (closed) {
            return;
        }
        closed = true;
        removeSignalHandlers();
        clearReady();
        timers.clear();
        incoming.clear();
        defaultExecutor.shutdown();
        IoPoller p = poller;
        if (p != null) {
            p.close();
        }
        failures.reportAll(this::report);
    }

    /** One iteration; see the class comment. */
    void runOnce() {
        if (chores) {
            prelude();
        } else {
            // Nothing but callbacks: no timer, no tracked failure, no poller (a loop that only
            // switches tasks pays one field read for all three).
            drainIncoming();
            if (readyCount() == 0 && !stopping) {
                if (incoming.isEmpty()) {
                    waker.block(-1);
                }
                drainIncoming();
            }
        }
        runReady();
    }

    /** The start of {@link #runOnce()} when {@link #chores} is set: steps 1-4 of the class comment. */
    private void prelude() {
        if (failures.isTracking()) {
            // Nothing can be reported while no failure is tracked (retired reports are cleared).
            failures.pollCollected(this::report);
        }
        drainIncoming();
        timers.purgeCancelled();
        IoPoller io = poller;
        if (io != null) {
            pollIo(io);
        } else if (readyCount() == 0 && !stopping) {
            if (timers.size() > 0) {
                long wait = timers.firstDeadline() - nanoTime();
                if (wait > 0) {
                    if (virtual && incoming.isEmpty()) {
                        virtualNanos = timers.firstDeadline();
                    } else if (!virtual) {
                        waker.block(wait);
                    }
                }
            } else if (incoming.isEmpty()) {
                waker.block(-1);
            }
            drainIncoming();
        }
        // The clock is read only when a timer may be due (a System.nanoTime() call per iteration
        // is a large part of a switch when only ready steps run).
        if (timers.size() > 0) {
            long now = nanoTime();
            Object item;
            while ((item = timers.pollDue(now)) != null) {
                if (item instanceof Handle) {
                    ((Handle) item).inHeap = false;
                    enqueue(item, null);
                } else {
                    ((Task<?>) item).timerState = Task.TIMER_IN_READY;
                    enqueue(item, Task.FIRE);
                }
            }
        }
        // Set again by addTimer, trackFailure or poller() when a callback makes one.
        chores = timers.size() > 0 || failures.isTracking() || io != null;
    }

    /** Step 5 of the class comment: exactly the callbacks ready now. */
    private void runReady() {
        // Only the callbacks ready now: anything they schedule waits for the next iteration.
        int n = readyCount();
        // Debug mode is read once per iteration (a setDebug() by a callback takes effect from the
        // next iteration; asyncio reads it per callback, see setDebug): the hot loop below has no
        // debug hooks.
        if (debug) {
            runReadyDebug(n);
            return;
        }
        for (; n > 0; n--) {
            Object argument = firstArgument();
            Object target = dequeue();
            try {
                dispatch(target, argument);
            } catch (Throwable e) {
                callbackFailed(target, e);
            }
        }
    }

    private void runReadyDebug(int n) {
        for (; n > 0; n--) {
            Object argument = firstArgument();
            Object target = dequeue();
            long started = System.nanoTime();
            beforeDebugCallback(target, argument);
            try {
                dispatch(target, argument);
            } catch (Throwable e) {
                callbackFailed(target, e);
            }
            afterDebugCallback(target, argument, started);
        }
    }

    private void callbackFailed(Object target, Throwable e) {
        callExceptionHandler(errorContext("Exception in callback " + describe(target), e,
                target instanceof Handle ? "handle" : target instanceof Task ? "task" : "source",
                target instanceof Handle || target instanceof Task ? target : describe(target)));
    }

    private void dispatch(Object target, Object argument) {
        if (target instanceof Task) {
            if (argument == null) {
                ((Task<?>) target).step();
            } else {
                ((Task<?>) target).fire();
            }
        } else if (target instanceof Handle) {
            Handle handle = (Handle) target;
            Runnable callback = handle.callback;
            if (!handle.cancelled && callback != null) {
                runInContext(callback, handle.context);
            }
        } else if (target instanceof IoRegistration) {
            ((IoRegistration) target).dispatch(argument);
        } else {
            @SuppressWarnings("unchecked")
            Consumer<Object> consumer = (Consumer<Object>) target;
            Context saved = contextHolder.context;
            try {
                consumer.accept(argument);
            } finally {
                contextHolder.context = saved;
            }
        }
    }

    /**
     * How long a virtual-time loop with channels waiting to read, write or connect polls for real
     * before it jumps its clock: bytes a peer is about to send are not mistaken for silence.
     */
    static final long VIRTUAL_IO_GRACE_NANOS = 5_000_000L;

    /**
     * The select step of {@link #runOnce()} once the loop has a poller: wait for I/O (timeout 0
     * when callbacks are ready, else until the first timer, else until an event or a wake-up),
     * and queue the ready channels' callbacks after the callbacks already queued.
     */
    private void pollIo(IoPoller io) {
        long timeout;
        if (readyCount() != 0 || stopping || !incoming.isEmpty()) {
            timeout = 0;
        } else if (timers.size() > 0) {
            timeout = Math.max(0, timers.firstDeadline() - nanoTime());
            if (virtual && timeout > 0) {
                pollIoVirtual(io);
                return;
            }
        } else {
            timeout = -1;
        }
        try {
            io.poll(timeout, this::mayBlock, ioSink);
        } catch (RuntimeException | LinkageError e) {
            // The loop survives a failing select (e.g. out of descriptors): report, back off, go on.
            callExceptionHandler(errorContext("Error while polling for I/O", e, "source", String.valueOf(io)));
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
        }
        drainIncoming();
    }

    /**
     * Virtual time with I/O. Order is important here: the clock jumps to the next timer only when
     * no I/O event is pending: first a non-blocking poll; then, if some channel waits to read,
     * write or connect, a real wait of {@link #VIRTUAL_IO_GRACE_NANOS}; only if both find nothing
     * (and no other thread queued work) does the clock move.
     */
    private void pollIoVirtual(IoPoller io) {
        if (io.poll(0, this::mayBlock, ioSink) > 0 || readyCount() != 0) {
            drainIncoming();
            return;
        }
        if (io.hasStreamInterest() && io.poll(VIRTUAL_IO_GRACE_NANOS, this::mayBlock, ioSink) > 0) {
            drainIncoming();
            return;
        }
        drainIncoming();
        if (readyCount() == 0 && !stopping) {
            virtualNanos = timers.firstDeadline();
        }
    }

    /** Checked by the poller after it published that the loop blocks. */
    private boolean mayBlock() {
        return incoming.isEmpty() && !stopping;
    }

    /** A channel is ready: its read side, then its write side, join the ready queue. */
    private void ioReady(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        Object attachment = key.attachment();
        if (!(attachment instanceof IoRegistration)) {
            return;
        }
        IoRegistration registration = (IoRegistration) attachment;
        int ops = key.readyOps();
        if (registration.wantsRead(ops)) {
            enqueue(registration, IoRegistration.READ);
        }
        if (registration.wantsWrite(ops)) {
            enqueue(registration, IoRegistration.WRITE);
        }
    }

    /**
     * Runtime-internal: the loop's poller, opened on first use (a loop that never does I/O never
     * opens a selector).
     *
     * @return the poller
     * @throws IllegalStateException if the loop is closed
     */
    IoPoller poller() {
        IoPoller p = poller;
        if (p == null) {
            checkClosed("I/O");
            checkThread("I/O");
            p = IoPoller.open();
            poller = p;
            chores = true;
        }
        return p;
    }

    /**
     * A done callback as registered: the consumer itself when the registering code runs in the
     * loop's own context (no allocation), else the consumer bound to the registering context.
     */
    Object inContext(Consumer<?> callback) {
        Context context = currentContext();
        return context == baseContext ? callback : new ContextualCallback(callback, context);
    }

    /** @return the consumer a registered done-callback entry stands for */
    static Object callbackOf(Object entry) {
        return entry instanceof ContextualCallback ? ((ContextualCallback) entry).callback : entry;
    }

    /** A done callback with the context it was registered in. */
    static final class ContextualCallback implements Consumer<Object> {
        final Consumer<?> callback;
        final Context context;

        ContextualCallback(Consumer<?> callback, Context context) {
            this.callback = callback;
            this.context = context;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void accept(Object promise) {
            ContextHolder holder = ContextHolder.current();
            Context saved = holder.context;
            holder.context = context;
            try {
                ((Consumer<Object>) callback).accept(promise);
            } finally {
                holder.context = saved;
            }
        }

        @Override
        public String toString() {
            return String.valueOf(callback);
        }
    }

    /** The context of the code running now (a task's, or the thread's), captured by callbacks. */
    private Context currentContext() {
        return running && owner == Thread.currentThread() ? contextHolder.context : ContextHolder.current().context;
    }

    /** Runs a callback in the context captured when it was scheduled (asyncio's {@code Handle._context}). */
    private void runInContext(Runnable callback, Context context) {
        ContextHolder holder = contextHolder;
        Context saved = holder.context;
        if (context != null) {
            holder.context = context;
        }
        try {
            callback.run();
        } finally {
            // A ContextVar.set() in the callback changes its own copy only.
            holder.context = saved;
        }
    }

    private static String describe(Object target) {
        if (target instanceof Handle) {
            return String.valueOf(((Handle) target).callback);
        }
        return String.valueOf(target);
    }

    private void drainIncoming() {
        Handle h;
        while ((h = incoming.poll()) != null) {
            readyAdd(h, null);
        }
    }

    // ---------------------------------------------------------------- ready queue

    void readyAdd(Object target, Object argument) {
        if (closed) {
            throw new IllegalStateException("Event loop is closed: cannot schedule " + describe(target));
        }
        enqueue(target, argument);
    }

    void readyAddTask(Task<?> task) {
        readyAdd(task, null);
    }

    // ---------------------------------------------------------------- timer heap

    /** Adds a timer (a Handle, or a sleeping Task); returns its sequence number. */
    long addTimer(long when, Object item) {
        chores = true;
        return timers.add(when, item);
    }

    void timerCancelled() {
        timers.cancelled();
    }

    /** Which timer items are cancelled: a cancelled Handle, or a Task whose sleep ended otherwise. */
    private static final class TimerLiveness implements TimerHeap.Liveness {
        @Override
        public boolean isCancelled(Object item, long sequence) {
            return item instanceof Handle ? ((Handle) item).cancelled : !((Task<?>) item).isLiveTimer(sequence);
        }

        @Override
        public void dropped(Object item) {
            if (item instanceof Handle) {
                ((Handle) item).inHeap = false;
            }
        }
    }

    // ---------------------------------------------------------------- promises and tasks

    /**
     * Creates a pending promise on this loop (asyncio's {@code loop.create_future()}).
     *
     * @param <T> the value type
     * @return the promise
     */
    public <T> Promise<T> createPromise() {
        return new Promise<>(this);
    }

    /**
     * Spawns {@code coroutine} as a task; its first step runs in the next iteration.
     *
     * @param coroutine the coroutine (one-shot)
     * @param <T> the result type
     * @return the task
     * @throws IllegalStateException if the loop is closed, or the coroutine was already awaited
     *     or spawned
     */
    public <T> Task<T> spawn(Coroutine<T> coroutine) {
        return spawn(coroutine, null);
    }

    /**
     * Spawns {@code coroutine} as a task named {@code name}.
     *
     * @param coroutine the coroutine (one-shot)
     * @param name the name, or null for {@code Task-N}
     * @param <T> the result type
     * @return the task
     * @throws IllegalStateException if the loop is closed, or the coroutine was already awaited
     *     or spawned
     */
    @SuppressWarnings("unchecked")
    public <T> Task<T> spawn(Coroutine<T> coroutine, String name) {
        checkClosed("spawn");
        checkThread("spawn");
        Frame<T> root;
        if (coroutine instanceof Frame) {
            root = (Frame<T>) coroutine;
            if (Task.FRAMES.owner(root) != null) {
                throw new IllegalStateException(root + " was already awaited or spawned: a coroutine object"
                        + " runs once; call the @Async method again to get a new one");
            }
        } else if (coroutine == null) {
            throw new NullPointerException("spawn(null): pass the coroutine of an @Async method");
        } else {
            root = (Frame<T>) awaitOne(coroutine);
        }
        ContextHolder holder = running && owner == Thread.currentThread() ? contextHolder : ContextHolder.current();
        Task<T> task = new Task<>(this, root, name, holder.context, ++taskCounter);
        Task<?> head = liveHead;
        task.nextLive = head;
        if (head != null) {
            head.previousLive = task;
        }
        liveHead = task;
        liveCount++;
        task.start();
        return task;
    }

    private static final CoroutineBody AWAIT_ONE = frame -> {
        if (frame.state == 0) {
            Object r = Frame.await((Awaitable<?>) Frame.getRef(frame, 0), frame);
            if (r == Frame.SUSPENDED) {
                frame.state = 1;
                return Frame.SUSPENDED;
            }
            return r;
        }
        return frame.resumeValue();
    };

    /** A frame whose body awaits {@code awaitable} and returns its value. */
    static Frame<?> awaitOne(Awaitable<?> awaitable) {
        Frame<Object> f = new Frame<>(AWAIT_ONE, 1, 0);
        Frame.putRef(awaitable, f, 0);
        return f;
    }

    void taskDone(Task<?> task) {
        Task<?> p = task.previousLive;
        Task<?> n = task.nextLive;
        if (p != null) {
            p.nextLive = n;
        } else if (liveHead == task) {
            liveHead = n;
        }
        if (n != null) {
            n.previousLive = p;
        }
        task.previousLive = null;
        task.nextLive = null;
        liveCount--;
    }

    /**
     * @return the task whose step is running, or null
     */
    Task<?> currentTask() {
        return currentTask;
    }

    /**
     * @return the tasks of this loop that are not done, in spawn order
     */
    Set<Task<?>> allTasks() {
        List<Task<?>> list = new ArrayList<>(liveCount);
        for (Task<?> t = liveHead; t != null; t = t.nextLive) {
            list.add(t);
        }
        Set<Task<?>> result = new LinkedHashSet<>();
        for (int i = list.size() - 1; i >= 0; i--) {
            result.add(list.get(i));
        }
        return result;
    }

    /**
     * @return the loop running on the calling thread, or null
     */
    static EventLoop running() {
        EventLoop l = lastRunning;
        if (l != null && l.owner == Thread.currentThread()) {
            return l;
        }
        return RUNNING.get();
    }

    // ---------------------------------------------------------------- I/O

    /**
     * Calls {@code callback} on the loop thread whenever {@code channel} is readable (or, for a
     * listening channel, has a connection to accept), until {@link #removeReader}. Replaces an
     * earlier reader of the channel.
     *
     * @param channel a non-blocking channel
     * @param callback the callback
     * @throws IllegalStateException if a transport or server owns the channel
     * @throws IllegalArgumentException if the channel is in blocking mode
     */
    public void addReader(SelectableChannel channel, Runnable callback) {
        dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "loop().addReader");
        checkClosed("addReader");
        IoRegistration.plain(poller(), channel).reader(Objects.requireNonNull(callback, "callback"));
    }

    /**
     * @param channel a channel
     * @return true if a reader was removed
     */
    public boolean removeReader(SelectableChannel channel) {
        IoPoller p = poller;
        IoRegistration r = p == null ? null : p.registration(channel);
        return r != null && r.isPlain() && r.reader(null);
    }

    /**
     * Calls {@code callback} whenever {@code channel} is writable (or its connection attempt ended).
     *
     * @param channel a non-blocking channel
     * @param callback the callback
     * @throws IllegalStateException if a transport owns the channel
     * @throws IllegalArgumentException if the channel is in blocking mode
     */
    public void addWriter(SelectableChannel channel, Runnable callback) {
        dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "loop().addWriter");
        checkClosed("addWriter");
        IoRegistration.plain(poller(), channel).writer(Objects.requireNonNull(callback, "callback"));
    }

    /**
     * @param channel a channel
     * @return true if a writer was removed
     */
    public boolean removeWriter(SelectableChannel channel) {
        IoPoller p = poller;
        IoRegistration r = p == null ? null : p.registration(channel);
        return r != null && r.isPlain() && r.writer(null);
    }

    /**
     * Receives up to {@code max} bytes (asyncio's {@code sock_recv}); an empty array at EOF. Starts
     * when awaited; a cancelled receive consumes nothing.
     *
     * @param channel a connected non-blocking socket
     * @param max the most bytes
     * @return the coroutine of the bytes
     */
    public Coroutine<byte[]> sockRecv(SocketChannel channel, int max) {
        dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "loop().sockRecv");
        return SockOps.recv(this, poller(), channel, max);
    }

    /**
     * Receives into {@code buffer} (asyncio's {@code sock_recv_into}); 0 at EOF.
     *
     * @param channel a connected non-blocking socket
     * @param buffer the buffer, filled from its position
     * @return the coroutine of the count
     */
    public Coroutine<Integer> sockRecvInto(SocketChannel channel, ByteBuffer buffer) {
        dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "loop().sockRecvInto");
        return SockOps.recvInto(this, poller(), channel, buffer);
    }

    /**
     * Sends every byte (asyncio's {@code sock_sendall}).
     *
     * @param channel a connected non-blocking socket
     * @param data the bytes; not to be changed until the coroutine ends
     * @return the coroutine
     */
    public Coroutine<Void> sockSendAll(SocketChannel channel, ByteBuffer data) {
        dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "loop().sockSendAll");
        return SockOps.sendAll(this, poller(), channel, data);
    }

    /**
     * Sends every byte (asyncio's {@code sock_sendall}).
     *
     * @param channel a connected non-blocking socket
     * @param data the bytes
     * @return the coroutine
     */
    public Coroutine<Void> sockSendAll(SocketChannel channel, byte[] data) {
        dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "loop().sockSendAll");
        return sockSendAll(channel, ByteBuffer.wrap(data));
    }

    /**
     * Connects (asyncio's {@code sock_connect}); a refused connection throws
     * {@link java.net.ConnectException}.
     *
     * @param channel a non-blocking socket
     * @param address a resolved address
     * @return the coroutine
     */
    public Coroutine<Void> sockConnect(SocketChannel channel, SocketAddress address) {
        dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "loop().sockConnect");
        return SockOps.connect(this, poller(), channel, address);
    }

    /**
     * Accepts a connection (asyncio's {@code sock_accept}); the new channel is non-blocking.
     *
     * @param channel a listening non-blocking socket
     * @return the coroutine of the connection
     */
    public Coroutine<SocketChannel> sockAccept(ServerSocketChannel channel) {
        dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "loop().sockAccept");
        return SockOps.accept(this, poller(), channel);
    }

    /**
     * Receives one datagram of at most {@code max} bytes (asyncio's {@code sock_recvfrom}).
     *
     * @param channel a non-blocking datagram socket
     * @param max the largest datagram kept
     * @return the coroutine of the datagram and its sender
     */
    public Coroutine<Datagram> sockRecvFrom(DatagramChannel channel, int max) {
        dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "loop().sockRecvFrom");
        return SockOps.recvFrom(this, poller(), channel, max);
    }

    /**
     * Sends one datagram (asyncio's {@code sock_sendto}).
     *
     * @param channel a non-blocking datagram socket
     * @param data the datagram
     * @param address the receiver
     * @return the coroutine of the number of bytes sent
     */
    public Coroutine<Integer> sockSendTo(DatagramChannel channel, ByteBuffer data, SocketAddress address) {
        dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "loop().sockSendTo");
        return SockOps.sendTo(this, poller(), channel, data, address);
    }

    /**
     * Connects to {@code host:port} with a protocol (asyncio's {@code create_connection}); returns
     * the transport once the protocol's {@code connectionMade} ran.
     *
     * @param factory makes the protocol
     * @param host a host name or address literal (resolved on the loop thread for now)
     * @param port the port
     * @return the coroutine of the transport (its protocol: {@link Transport#getProtocol()})
     */
    public Coroutine<Transport> createConnection(Supplier<? extends Protocol> factory, String host, int port) {
        dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "loop().createConnection");
        return createConnection(factory, host, port, null, 0);
    }

    /**
     * Connects to {@code host:port} with Happy Eyeballs (RFC 8305; asyncio's
     * {@code happy_eyeballs_delay} and {@code interleave}): the name is resolved off the loop
     * ({@link #getaddrinfo}); the next address is tried when the previous attempt fails or after
     * {@code happyEyeballsDelay}, and the first connection made wins (the others are closed).
     *
     * @param factory makes the protocol
     * @param host a host name or address literal
     * @param port the port
     * @param happyEyeballsDelay the delay between attempts (asyncio suggests 250 ms), or null to
     *     try the addresses one after the other
     * @param interleave 0 to keep the resolver's order; n to take n addresses of the first
     *     family, then alternate families (asyncio's default with a delay is 1)
     * @return the coroutine of the transport; if every attempt fails, the exception (or a
     *     {@link java.net.ConnectException} "Multiple exceptions" with each as suppressed)
     */
    public Coroutine<Transport> createConnection(Supplier<? extends Protocol> factory, String host, int port,
            Duration happyEyeballsDelay, int interleave) {
        dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "loop().createConnection");
        return Lazy.of(() -> ConnectToHost.connect(this, poller(), factory, host, port, happyEyeballsDelay,
                happyEyeballsDelay != null && interleave == 0 ? 1 : interleave));
    }

    /**
     * Resolves {@code host} (asyncio's {@code getaddrinfo}) in the default executor, because
     * {@link java.net.InetAddress} blocks; an address literal is returned without a thread.
     *
     * @param host a host name or address literal (null: the loopback address)
     * @param port the port to put in each address
     * @return the coroutine of the addresses, in the resolver's order
     */
    public Coroutine<List<InetSocketAddress>> getaddrinfo(String host, int port) {
        return Lazy.of(() -> ConnectToHost.getaddrinfo(this, host, port));
    }

    /**
     * Connects to {@code address} (an {@link InetSocketAddress} or a {@link UnixDomainSocketAddress}).
     *
     * @param factory makes the protocol
     * @param address where
     * @return the coroutine of the transport
     */
    public Coroutine<Transport> createConnection(Supplier<? extends Protocol> factory, SocketAddress address) {
        dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "loop().createConnection");
        return Connect.connect(this, poller(), factory, address, null);
    }

    /**
     * Connects with options (asyncio's {@code create_connection(ssl=...)}): with
     * {@link StreamOptions#ssl(javax.net.ssl.SSLContext)} set, a TLS handshake follows the TCP
     * connect, and the protocol's {@code connectionMade} runs once it is done.
     *
     * @param factory makes the protocol
     * @param host a host name or address literal (also the default TLS server name)
     * @param port the port
     * @param options the options (TLS settings)
     * @return the coroutine of the transport; a failed handshake throws an
     *     {@link javax.net.ssl.SSLException} saying why, a stalled one a
     *     {@link java.net.SocketTimeoutException}
     */
    public Coroutine<Transport> createConnection(Supplier<? extends Protocol> factory, String host, int port,
            StreamOptions options) {
        dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "loop().createConnection");
        if (options.ssl() == null) {
            return createConnection(factory, host, port, options.happyEyeballsDelay(), options.interleave());
        }
        return TlsConnect.connect(this, factory, options, host, port,
                tls -> createConnection(tls, host, port, options.happyEyeballsDelay(), options.interleave()));
    }

    /**
     * Upgrades a live connection to TLS (asyncio's {@code loop.start_tls}); the protocol keeps its
     * connection (no second {@code connectionMade}) and must use the returned transport from now on.
     *
     * @param transport the plain transport
     * @param protocol the protocol on it
     * @param options TLS settings: {@link StreamOptions#ssl(javax.net.ssl.SSLContext)}, server name, ALPN, timeouts
     * @param serverSide handshake as the server
     * @return the coroutine of the TLS transport, once the handshake is done
     */
    public Coroutine<Transport> startTls(Transport transport, Protocol protocol, StreamOptions options,
            boolean serverSide) {
        dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "loop().startTls");
        if (options.ssl() == null) {
            throw new IllegalArgumentException("startTls needs an SSLContext: StreamOptions.ssl(context)");
        }
        return TlsConnect.startTls(this, transport, protocol, options, serverSide);
    }

    /**
     * Connects to a Unix domain socket (asyncio's {@code create_unix_connection}).
     *
     * @param factory makes the protocol
     * @param path the socket file
     * @return the coroutine of the transport
     */
    public Coroutine<Transport> createUnixConnection(Supplier<? extends Protocol> factory, Path path) {
        return createConnection(factory, UnixDomainSocketAddress.of(path));
    }

    /**
     * Listens on {@code host:port} with a protocol per connection (asyncio's {@code create_server});
     * port 0 picks a free port ({@link Server#addresses()}).
     *
     * @param factory makes one protocol per connection
     * @param host the address to bind (e.g. "127.0.0.1"), or null for all
     * @param port the port
     * @return the coroutine of the server
     */
    public Coroutine<Server> createServer(Supplier<? extends Protocol> factory, String host, int port) {
        dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "loop().createServer");
        return createServer(factory, host, port, StreamOptions.defaults());
    }

    /**
     * Like {@link #createServer(Supplier, String, int)} with options (backlog, reuse, start serving).
     *
     * @param factory makes one protocol per connection
     * @param host the address to bind, or null for all
     * @param port the port
     * @param options the options
     * @return the coroutine of the server
     */
    public Coroutine<Server> createServer(Supplier<? extends Protocol> factory, String host, int port,
            StreamOptions options) {
        dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "loop().createServer");
        InetSocketAddress address = host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
        return createServer(factory, address, options);
    }

    /**
     * Listens on a Unix domain socket (asyncio's {@code create_unix_server}); a stale socket file
     * is replaced, and the file is removed when the server closes.
     *
     * @param factory makes one protocol per connection
     * @param path the socket file
     * @param options the options
     * @return the coroutine of the server
     */
    public Coroutine<Server> createUnixServer(Supplier<? extends Protocol> factory, Path path, StreamOptions options) {
        return createServer(factory, UnixDomainSocketAddress.of(path), options);
    }

    private Coroutine<Server> createServer(Supplier<? extends Protocol> factory, SocketAddress address,
            StreamOptions options) {
        Supplier<? extends Protocol> perConnection = options.ssl() == null ? factory
                : TlsConnect.serverFactory(this, factory, options);
        return Lazy.of(() -> Coro.done(ServerImpl.bind(this, poller(), perConnection, address, options.backlog(),
                options.reuseAddress(), options.startServing(), null)));
    }

    /**
     * Opens a datagram endpoint (asyncio's {@code create_datagram_endpoint}).
     *
     * @param factory makes the protocol
     * @param local the address to bind, or null for any
     * @param remote the address to connect to (then {@code sendTo(data, null)} sends there), or null
     * @return the coroutine of the transport, after the protocol's {@code connectionMade}
     */
    public Coroutine<DatagramTransport> createDatagramEndpoint(Supplier<? extends DatagramProtocol> factory,
            SocketAddress local, SocketAddress remote) {
        dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "loop().createDatagramEndpoint");
        return Lazy.of(() -> {
            DatagramChannel channel = DatagramChannel.open();
            try {
                channel.configureBlocking(false);
                channel.bind(local);
                if (remote != null) {
                    channel.connect(remote);
                }
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            Promise<Void> waiter = createPromise();
            DatagramTransport transport = new DatagramTransportImpl(this, poller(), channel, factory.get(), remote, waiter);
            return Lazy.then(waiter, transport);
        });
    }

    // ---------------------------------------------------------------- executors

    /**
     * Runs {@code callable} on {@code executor} (the loop's default executor when null) and
     * returns a promise of its outcome, completed on the loop thread. Cancelling the promise
     * cancels the job if it has not started (a running job is not interrupted). The worker does
     * not see the caller's {@link ContextVar}s (use {@link Coro#toThread} for that).
     *
     * @param executor the executor, or null for the default one (closed with the loop)
     * @param callable the job
     * @param <T> the result type
     * @return the promise
     */
    public <T> Promise<T> runInExecutor(Executor executor, Callable<T> callable) {
        dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "loop().runInExecutor");
        checkClosed("runInExecutor");
        Promise<T> promise = createPromise();
        FutureTask<T> job = new FutureTask<>(callable) {
            @Override
            protected void done() {
                if (isCancelled()) {
                    return;
                }
                T value;
                Throwable error = null;
                try {
                    value = get();
                } catch (ExecutionException e) {
                    value = null;
                    error = e.getCause();
                } catch (Throwable e) {
                    value = null;
                    error = e;
                }
                T v = value;
                Throwable err = error;
                if (!closed) {
                    callSoonThreadsafe(() -> {
                        outsideWorkEnded();
                        if (!promise.isDone()) {
                            if (err == null) {
                                promise.completeResult(v);
                            } else {
                                promise.completeException(err, "Promise");
                            }
                        }
                    });
                }
            }
        };
        promise.addDoneCallback(p -> {
            if (p.isCancelled() && job.cancel(false)) {
                outsideWorkEnded(); // done() of a cancelled job delivers nothing
            }
        });
        outsideWorkStarted();
        try {
            (executor != null ? executor : defaultExecutor.get()).execute(job);
        } catch (RejectedExecutionException e) {
            outsideWorkEnded();
            promise.completeException(e, "Promise");
        }
        return promise;
    }

    /**
     * Sets the executor that {@link Coro#toThread} and {@code runInExecutor(null, ...)} use
     * (asyncio's {@code set_default_executor}); for example, on Java 21 and later,
     * {@code loop.setDefaultExecutor(Executors.newVirtualThreadPerTaskExecutor())} runs each job on
     * a virtual thread. The loop owns it from now on: {@link #shutdownDefaultExecutor} (called
     * by {@link Coro#run}) and {@link #close()} shut it down. A default executor the loop made
     * before is shut down now (its running jobs finish).
     *
     * @param executor the executor
     * @throws NullPointerException if {@code executor} is null
     * @throws IllegalStateException if the loop is closed
     */
    public void setDefaultExecutor(ExecutorService executor) {
        if (executor == null) {
            throw new NullPointerException("setDefaultExecutor(null): pass the executor to use");
        }
        checkClosed("setDefaultExecutor");
        ExecutorService previous = defaultExecutor.ifMade();
        defaultExecutor.set(executor);
        if (previous != null && previous != executor) {
            previous.shutdown();
        }
    }

    /**
     * Shuts the default executor down and runs the loop until its running jobs have finished
     * (asyncio's {@code shutdown_default_executor}); called by {@link Coro#run}.
     *
     * @param timeout how long to wait at most
     */
    public void shutdownDefaultExecutor(Duration timeout) {
        ExecutorService e = defaultExecutor.ifMade();
        if (e == null || closed) {
            return;
        }
        e.shutdown();
        if (e.isTerminated()) {
            return;
        }
        Promise<Void> finished = createPromise();
        Thread joiner = new Thread(() -> {
            try {
                if (!e.awaitTermination(saturatedNanos(timeout), TimeUnit.NANOSECONDS)) {
                    LOG.log(System.Logger.Level.WARNING,
                            "The default executor did not finish joining its threads within {0}", timeout);
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            finished.setResult(null);
        }, "coro-executor-shutdown");
        joiner.setDaemon(true);
        joiner.start();
        runUntilComplete(finished);
    }

    // ---------------------------------------------------------------- signals

    /** Signal (short name) -> {previous handler, callback}; made on first use; guarded by itself. */
    private java.util.Map<String, Object[]> signalHandlers;

    /**
     * Runs {@code callback} on this loop's thread whenever {@code signal} arrives (asyncio's
     * {@code add_signal_handler}), replacing this loop's earlier handler for it. The JVM's own
     * handling of that signal (for SIGINT and SIGTERM: run the shutdown hooks and exit) is off
     * until {@link #removeSignalHandler} or {@link #close()}. Callable from any thread. Uses
     * {@code sun.misc.Signal} from the {@code jdk.unsupported} module.
     *
     * <pre>{@code
     * loop.addSignalHandler("SIGTERM", () -> server.close());   // stop accepting; let clients finish
     * }</pre>
     *
     * @param signal "SIGINT", "SIGTERM" or "SIGHUP" (or without the SIG prefix)
     * @param callback runs on the loop thread, in a callback of its own
     * @throws IllegalArgumentException for another signal
     * @throws UnsupportedOperationException where signals cannot be handled: no
     *     {@code jdk.unsupported} module, a JVM started with {@code -Xrs}
     * @throws IllegalStateException if the loop is closed
     */
    public void addSignalHandler(String signal, Runnable callback) {
        String name = dev.coro.internal.Signals.shortName(signal);
        if (callback == null) {
            throw new NullPointerException("addSignalHandler(" + signal + ", null): pass the callback to run");
        }
        checkClosed("addSignalHandler");
        synchronized (this) {
            if (signalHandlers == null) {
                signalHandlers = new java.util.HashMap<>();
            }
            Object[] entry = signalHandlers.get(name);
            Object previous = dev.coro.internal.Signals.install(name, () -> {
                if (!closed) {
                    try {
                        callSoonThreadsafe(callback);
                    } catch (IllegalStateException closedMeanwhile) {
                        // the loop closed as the signal arrived: nothing to run it on
                    }
                }
            });
            // Keep the handler that was there before this loop's first one, to put it back.
            signalHandlers.put(name, new Object[] {entry != null ? entry[0] : previous, callback});
        }
    }

    /**
     * Removes this loop's handler for {@code signal} (asyncio's {@code remove_signal_handler}) and
     * puts back the handler that was there before (for SIGINT and SIGTERM usually the JVM's:
     * shutdown hooks, then exit).
     *
     * @param signal "SIGINT", "SIGTERM" or "SIGHUP"
     * @return false if this loop had no handler for it
     * @throws IllegalArgumentException for another signal
     */
    public boolean removeSignalHandler(String signal) {
        String name = dev.coro.internal.Signals.shortName(signal);
        synchronized (this) {
            Object[] entry = signalHandlers == null ? null : signalHandlers.remove(name);
            if (entry == null) {
                return false;
            }
            dev.coro.internal.Signals.restore(name, entry[0]);
            return true;
        }
    }

    private void removeSignalHandlers() {
        synchronized (this) {
            if (signalHandlers != null) {
                for (String name : new java.util.ArrayList<>(signalHandlers.keySet())) {
                    removeSignalHandler(name);
                }
            }
        }
    }

    // ---------------------------------------------------------------- errors

    /**
     * Sets who receives errors nobody else can handle (throwing callbacks, unretrieved failures,
     * errors during shutdown).
     *
     * @param handler the handler, or null for the default (logs through {@code System.Logger}
     *     "dev.coro" at ERROR)
     */
    public void setExceptionHandler(ExceptionHandler handler) {
        this.exceptionHandler = handler;
    }

    /**
     * @return the handler set with {@link #setExceptionHandler}, or null for the default
     */
    public ExceptionHandler getExceptionHandler() {
        return exceptionHandler;
    }

    /**
     * Reports an error to the exception handler; a handler that throws is logged.
     *
     * @param context what happened
     */
    public void callExceptionHandler(Map<String, Object> context) {
        ExceptionHandler h = exceptionHandler;
        if (h == null) {
            defaultExceptionHandler(context);
            return;
        }
        try {
            h.handle(this, context);
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.ERROR, "Unhandled error in the exception handler while handling: "
                    + context.get("message"), e);
            defaultExceptionHandler(context);
        }
    }

    /**
     * Logs {@code context} through {@code System.Logger} "dev.coro" at ERROR.
     *
     * @param context what happened
     */
    public void defaultExceptionHandler(Map<String, Object> context) {
        StringBuilder text = new StringBuilder(String.valueOf(context.get("message")));
        for (Map.Entry<String, Object> e : context.entrySet()) {
            if (!e.getKey().equals("message") && !e.getKey().equals("exception")) {
                text.append("\n").append(e.getKey()).append(": ").append(e.getValue());
            }
        }
        Object exception = context.get("exception");
        if (exception instanceof Throwable) {
            LOG.log(System.Logger.Level.ERROR, text.toString(), (Throwable) exception);
        } else {
            LOG.log(System.Logger.Level.ERROR, text.toString());
        }
    }

    /**
     * Debug mode: logs callbacks that run longer than 100 ms, and refuses loop-confined calls
     * ({@code callSoon}, {@code callLater}, {@code spawn}, {@code addDoneCallback}) from other
     * threads even without {@code -ea}.
     *
     * <p>A callback that switches debug mode changes how callbacks are timed from the next loop
     * iteration on; asyncio's {@code _run_once} reads the flag for each callback, so there the
     * callbacks still ready in the same iteration are timed too. The loop reads it once per
     * iteration because a read per callback measured about 1 ns (6 %) on the switch workload.
     *
     * @param enabled on or off
     */
    public void setDebug(boolean enabled) {
        this.debug = enabled;
        if (enabled) {
            dev.coro.internal.CoroutineTracking.enabled = true;
        }
    }

    /**
     * Sets how long a callback or task step may run before debug mode logs a warning naming it
     * (asyncio's {@code slow_callback_duration}; 100 ms by default).
     *
     * @param duration the threshold
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public void setSlowCallbackDuration(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("setSlowCallbackDuration(" + duration + "): the duration must not be negative");
        }
        this.slowCallbackNanos = saturatedNanos(duration);
    }

    /**
     * @return the slow-callback threshold of debug mode
     */
    public Duration getSlowCallbackDuration() {
        return Duration.ofNanos(slowCallbackNanos);
    }

    /**
     * @return true in debug mode
     */
    public boolean isDebug() {
        return debug;
    }

    // ---------------------------------------------------------------- seeing inside (issue 11)

    /**
     * Writes every live task of this loop, for people: name, state, cancel requests, time since
     * its last step (debug mode), its suspended coroutines innermost first, what it waits on (a
     * timer and its deadline, a task, a promise, a queue, a lock, I/O, ...), who awaits it, and
     * the tree of tasks by task group. Costs nothing until called. From another thread the dump
     * is taken on the loop thread; if the loop does not answer within a second (a callback is
     * blocking it), a best-effort dump is taken from the calling thread and says so.
     *
     * @param out where to write
     */
    public void dumpTasks(Appendable out) {
        snapshot().writeText(out);
    }

    /**
     * Writes the same as {@link #dumpTasks} as one JSON object, schema
     * {@code "coro-task-dump/1"} (documented on {@code dev.coro.internal.TaskDump}).
     *
     * @param out where to write
     */
    public void dumpTasksJson(Appendable out) {
        snapshot().writeJson(out);
    }

    private dev.coro.internal.TaskDump snapshot() {
        if (inLoop()) {
            return Debugging.snapshot(this, liveTasksInOrder(), timers, readyCount(), currentTask, lastSteps, true);
        }
        java.util.concurrent.CompletableFuture<dev.coro.internal.TaskDump> answer = new java.util.concurrent.CompletableFuture<>();
        try {
            callSoonThreadsafe(() -> answer.complete(
                    Debugging.snapshot(this, liveTasksInOrder(), timers, readyCount(), currentTask, lastSteps, true)));
            return answer.get(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // closed, stuck or failing: look from here
        }
        return Debugging.snapshot(this, liveTasksInOrder(), timers, readyCount(), currentTask, lastSteps, false);
    }

    private List<Task<?>> liveTasksInOrder() {
        List<Task<?>> list = new ArrayList<>();
        for (Task<?> t = liveHead; t != null && list.size() <= liveCount + 1000; t = t.nextLive) {
            list.add(t);
        }
        java.util.Collections.reverse(list);
        return list;
    }

    /** Debug mode: the frame a task step resumes, and its state then, for the slow-step warning. */
    private dev.coro.spi.Frame<?> debugResumedFrame;
    private int debugResumedState;

    private void beforeDebugCallback(Object target, Object argument) {
        dev.coro.spi.Frame<?> f = target instanceof Task && argument == null ? ((Task<?>) target).innermostFrame() : null;
        debugResumedFrame = f;
        debugResumedState = f == null ? 0 : f.state;
    }

    private void afterDebugCallback(Object target, Object argument, long started) {
        long took = System.nanoTime() - started;
        if (target instanceof Task && argument == null) {
            Task<?> task = (Task<?>) target;
            if (lastSteps == null) {
                lastSteps = new java.util.WeakHashMap<>();
            }
            if (task.isDone()) {
                lastSteps.remove(task);
            } else {
                lastSteps.put(task, virtual ? virtualNanos : started);
            }
        }
        dev.coro.spi.Frame<?> resumed = debugResumedFrame;
        debugResumedFrame = null; // do not keep a finished task's frames
        if (took > slowCallbackNanos) {
            LOG.log(System.Logger.Level.WARNING, "Executing {0} took {1} seconds",
                    target instanceof Task ? Debugging.describeStep((Task<?>) target, resumed, debugResumedState)
                            : describe(target),
                    String.format(java.util.Locale.ROOT, "%.3f", took / 1e9));
        }
    }

    private void jmxRunStarted(Thread me) {
        if (!dev.coro.internal.LoopMBean.ENABLED) {
            return;
        }
        try {
            if (jmxNumber == 0) {
                jmxNumber = dev.coro.internal.LoopMBean.nextNumber();
            }
            jmxSlot = dev.coro.internal.LoopMBean.runStarted(this);
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.WARNING, "Coro: no JMX view of " + this, e);
        }
    }

    private void jmxRunEnded() {
        dev.coro.internal.LoopMBean.Slot slot = jmxSlot;
        if (slot != null) {
            jmxSlot = null;
            dev.coro.internal.LoopMBean.runEnded(slot);
        }
    }

    /** What this loop's MBean shows; made by the JMX registrar thread when it registers the loop. */
    private dev.coro.internal.LoopMBean.Source jmxSource() {
        return new dev.coro.internal.LoopMBean.Source(
                () -> liveCount, this::readyCount, timers::size, () -> debug, () -> running,
                () -> {
                    StringBuilder s = new StringBuilder();
                    dumpTasks(s);
                    return s.toString();
                },
                () -> {
                    StringBuilder s = new StringBuilder();
                    dumpTasksJson(s);
                    return s.toString();
                });
    }

    /**
     * The name under which this loop appears in JMX (the platform MBean server) while it runs:
     * a loop is registered once a run has lasted a second, and withdrawn when the run ends.
     *
     * @return the JMX name of this loop ({@code dev.coro:type=EventLoop,name=loop-N}), or null
     *     before its first run or when JMX is off ({@code -Dcoro.jmx=false})
     */
    public String jmxName() {
        int n = jmxNumber;
        return n == 0 ? null : dev.coro.internal.LoopMBean.nameOf(n);
    }

    FailureTracker.Report trackFailure(Promise<?> promise, Throwable exception, String kind) {
        // Not promise.toString(): that formats the exception, on the hot path of every failure.
        String source = promise instanceof Task ? "<Task name='" + ((Task<?>) promise).getName() + "'>" : "<Promise>";
        chores = true;
        return failures.track(promise, exception, kind, source);
    }

    void retire(FailureTracker.Report r) {
        failures.retire(r);
    }

    private void report(FailureTracker.Report r) {
        callExceptionHandler(errorContext(r.message(), r.exception, "source", r.source));
    }

    /**
     * Test hook: asks the JVM to collect garbage and reports every failed promise or task that was
     * collected with its exception unretrieved ("... exception was never retrieved"), as asyncio
     * does when the last reference to a future goes away. Waits up to about a second for the
     * collector. Call it on the loop thread (or while the loop is not running).
     */
    public void collectGarbageForTests() {
        if (failures.isTracking()) {
            failures.collectGarbage(this::report);
        }
    }

    static Throwable unwrapJavaFailure(Throwable error) {
        while ((error instanceof CompletionException || error instanceof ExecutionException)
                && error.getCause() != null) {
            error = error.getCause();
        }
        if (error instanceof CancellationException) {
            CancelledError cancelled = new CancelledError(error.getMessage());
            cancelled.initCause(error);
            return cancelled;
        }
        return error;
    }

    /**
     * Loop-thread confinement: asserted (with {@code -ea}); enforced in debug mode, like asyncio's
     * {@code _check_thread}.
     */
    void checkThread(String operation) {
        assert inLoop() : confinementMessage(operation);
        if (debug && !inLoop()) {
            throw new IllegalStateException(confinementMessage(operation));
        }
    }

    private String confinementMessage(String operation) {
        return operation + "() called on thread " + Thread.currentThread().getName() + " while " + this
                + " runs on thread " + owner + ": from another thread use callSoonThreadsafe()";
    }

    private void checkClosed(String operation) {
        if (closed) {
            throw new IllegalStateException("Event loop is closed: " + operation
                    + "() needs an open loop; create a new one with EventLoop.create()");
        }
    }

    static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE / 2 : Long.MAX_VALUE / 2;
        }
    }

    @Override
    public String toString() {
        return "EventLoop[" + (virtual ? "virtual" : "real") + (running ? " running" : "")
                + (closed ? " closed" : "") + ", ready=" + readyCount() + ", timers=" + timers.size()
                + ", tasks=" + liveCount + "]";
    }

    // ---------------------------------------------------------------- nested types

    /**
     * Receives errors nobody else can handle; see {@link #setExceptionHandler}. The context map
     * has asyncio's keys: {@code "message"} (always), {@code "exception"} (the Throwable, when
     * there is one), and one of {@code "task"}, {@code "future"} (a promise), {@code "handle"}
     * (a {@link Handle}) or {@code "source"} (a description, when the object is gone).
     */
    @FunctionalInterface
    public interface ExceptionHandler {
        /**
         * Handles one error.
         *
         * @param loop the loop
         * @param context what happened
         */
        void handle(EventLoop loop, Map<String, Object> context);
    }

    /**
     * Builds an exception-handler context.
     *
     * @param message what happened
     * @param exception the exception, or null
     * @param key {@code "task"}, {@code "future"}, {@code "handle"} or {@code "source"}, or null
     * @param value the object for {@code key}
     * @return the context (ordered, mutable)
     */
    public static Map<String, Object> errorContext(String message, Throwable exception, String key, Object value) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("message", message);
        if (exception != null) {
            context.put("exception", exception);
        }
        if (key != null) {
            context.put(key, value);
        }
        return context;
    }

    // ---------------------------------------------------------------- test support

    /*
     * Hooks for test harnesses (coro-junit's driver) that must look at the loop between two
     * iterations: to fail at once on a deadlock (isIdle()), and to hold a virtual clock
     * at a given time (TestClock.runCurrent, advanceTo).
     */

    /**
     * Test support: runs exactly one iteration on the calling thread, as {@link #runForever()}
     * would (waiting for I/O, a timer or another thread when nothing is ready; a virtual clock
     * jumps to the next timer), and returns. Between two calls the loop is not running. On a loop
     * that {@linkplain #isIdle() is idle} this waits until another thread calls in: check first.
     * A {@link #stop()} during the iteration is dropped (the caller decides when to go on).
     *
     * @throws IllegalStateException if the loop is closed or running, or if another loop runs on
     *     this thread
     */
    public void runOneIteration() {
        checkClosed("runOneIteration");
        checkCanRun();
        // The same set-up and tear-down as runForever(): keep the two in step.
        Thread me = Thread.currentThread();
        owner = me;
        waker = wakerFactory.apply(me);
        contextHolder = ContextHolder.current();
        baseContext = contextHolder.context;
        running = true;
        RUNNING.set(this);
        lastRunning = this;
        try {
            runOnce();
        } finally {
            stopping = false;
            running = false;
            waker = null;
            RUNNING.remove();
            if (lastRunning == this) {
                lastRunning = null;
            }
            owner = null;
        }
    }

    /**
     * Test support: tells whether the next iteration has something to run at the current time
     * without waiting: a ready callback or task step, a callback queued by another thread, or a
     * timer whose deadline has come. (I/O events not yet selected are not counted.) When it
     * returns false the next iteration waits or, on a virtual clock, moves the clock. Drops
     * cancelled timers at the top of the heap. Call it on the loop thread or while the loop is
     * not running.
     *
     * @return true if something is ready now
     */
    public boolean hasReadyWork() {
        checkThread("hasReadyWork");
        if (readyCount() != 0 || !incoming.isEmpty()) {
            return true;
        }
        timers.purgeCancelled();
        return timers.size() > 0 && timers.firstDeadline() - nanoTime() <= 0;
    }
}
