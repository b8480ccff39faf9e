package dev.coro;

import dev.coro.spi.CoroutineBody;
import dev.coro.spi.Frame;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The implementations behind {@link Coro}'s combinators, written as hand-made coroutines in the
 * generated shape (see {@link Frame}), each following its asyncio counterpart line by line.
 */
final class Combinators {
    private Combinators() {
    }

    /** asyncio's {@code ensure_future}: a promise as is, a coroutine spawned as a task. */
    static Promise<?> ensurePromise(Awaitable<?> awaitable, EventLoop loop) {
        if (awaitable instanceof Promise) {
            Promise<?> p = (Promise<?>) awaitable;
            if (p.loop != loop) {
                throw new IllegalArgumentException(p + " belongs to another event loop");
            }
            return p;
        }
        if (awaitable instanceof Coroutine) {
            return loop.spawn((Coroutine<?>) awaitable);
        }
        if (awaitable == null) {
            throw new NullPointerException("null awaitable: pass a coroutine, promise or task");
        }
        throw new IllegalArgumentException("Cannot wrap " + awaitable.getClass().getName()
                + ": pass a coroutine, promise or task");
    }

    private static EventLoop loopOf(Collection<? extends Awaitable<?>> awaitables) {
        for (Awaitable<?> a : awaitables) {
            if (a instanceof Promise) {
                return ((Promise<?>) a).loop;
            }
        }
        return Coro.loop();
    }

    // ---------------------------------------------------------------- gather

    /** asyncio's {@code _GatheringFuture}: cancel() cancels the children instead of itself. */
    static final class Gathering extends Promise<List<Object>> {
        final List<Promise<?>> children;
        boolean cancelRequested;

        Gathering(EventLoop loop, List<Promise<?>> children) {
            super(loop);
            this.children = children;
        }

        @Override
        public boolean cancel(String message) {
            if (!loop.inLoop()) {
                // A request, as for a Task: the children are cancelled on the loop thread.
                if (isDone()) {
                    return false;
                }
                return hop(() -> cancel(message));
            }
            if (isDone()) {
                return false;
            }
            boolean any = false;
            for (Promise<?> child : children) {
                if (child.cancel(message)) {
                    any = true;
                }
            }
            if (any) {
                // Propagate the cancellation even with returnExceptions (bpo-32684).
                cancelRequested = true;
            }
            return any;
        }
    }

    static Promise<List<Object>> gather(List<? extends Awaitable<?>> awaitables, boolean returnExceptions) {
        if (awaitables.isEmpty()) {
            Promise<List<Object>> outer = Coro.loop().createPromise();
            outer.completeResult(new ArrayList<>());
            return outer;
        }
        EventLoop loop = loopOf(awaitables);
        // Sized up front: a gather of thousands of children would otherwise rehash the map ~10 times.
        Map<Awaitable<?>, Promise<?>> seen = new IdentityHashMap<>(awaitables.size());
        List<Promise<?>> children = new ArrayList<>(awaitables.size());
        List<Promise<?>> doneChildren = new ArrayList<>();
        List<Promise<?>> pendingChildren = new ArrayList<>();
        for (Awaitable<?> a : awaitables) {
            Promise<?> child = seen.get(a);
            if (child == null) {
                child = ensurePromise(a, loop);
                seen.put(a, child);
                (child.isDone() ? doneChildren : pendingChildren).add(child);
            }
            children.add(child);
        }
        Gathering outer = new Gathering(loop, children);
        int distinct = seen.size();
        int[] finished = {0};
        Consumer<Promise<?>> onDone = child -> {
            finished[0]++;
            if (outer.isDone()) {
                if (!child.isCancelled()) {
                    child.exception(); // mark the exception as retrieved
                }
                return;
            }
            if (!returnExceptions) {
                if (child.isCancelled()) {
                    outer.completeException(child.makeCancelledError(), "Promise");
                    return;
                }
                Throwable e = child.exception();
                if (e != null) {
                    outer.completeException(e, "Promise");
                    return;
                }
            }
            if (finished[0] == distinct) {
                List<Object> results = new ArrayList<>(children.size());
                for (Promise<?> c : children) {
                    if (c.isCancelled()) {
                        String m = c.cancelMessage();
                        results.add(new CancelledError(m == null ? "" : m));
                    } else {
                        Throwable e = c.exception();
                        results.add(e != null ? e : c.result);
                    }
                }
                if (outer.cancelRequested) {
                    // asyncio uses the loop variable of the results loop: the last child.
                    Promise<?> last = children.get(children.size() - 1);
                    outer.completeException(last.makeCancelledError(), "Promise");
                } else {
                    outer.completeResult(results);
                }
            }
        };
        for (Promise<?> child : pendingChildren) {
            addCallback(child, onDone);
        }
        for (Promise<?> child : doneChildren) {
            onDone.accept(child);
        }
        return outer;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void addCallback(Promise<?> promise, Consumer<? extends Promise<?>> callback) {
        ((Promise) promise).addDoneCallback((Consumer) callback);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void removeCallback(Promise<?> promise, Consumer<? extends Promise<?>> callback) {
        ((Promise) promise).removeDoneCallback((Consumer) callback);
    }

    // ---------------------------------------------------------------- shield

    @SuppressWarnings("unchecked")
    static <T> Promise<T> shield(Awaitable<T> awaitable) {
        EventLoop loop = awaitable instanceof Promise ? ((Promise<?>) awaitable).loop : Coro.loop();
        Promise<T> inner = (Promise<T>) ensurePromise(awaitable, loop);
        if (inner.isDone()) {
            return inner;
        }
        Promise<T> outer = loop.createPromise();
        Consumer<Promise<T>> innerDone = p -> {
            if (outer.isCancelled()) {
                if (!p.isCancelled()) {
                    p.exception(); // mark retrieved
                }
                return;
            }
            if (p.isCancelled()) {
                outer.cancel();
            } else {
                Throwable e = p.exception();
                if (e != null) {
                    outer.completeException(e, "Promise");
                } else {
                    outer.completeResult(p.result);
                }
            }
        };
        inner.addDoneCallback(innerDone);
        outer.addDoneCallback(o -> {
            if (!inner.isDone()) {
                inner.removeDoneCallback(innerDone);
            }
        });
        return outer;
    }

    // ---------------------------------------------------------------- timeout

    static <T> Coroutine<T> timeout(Double when, Duration delay, Function<? super Timeout, ? extends Coroutine<T>> body) {
        if (body == null) {
            throw new NullPointerException("timeout(..., null): pass the block as a lambda returning a Coroutine");
        }
        return new Frame<>(new TimeoutBody<>(when, delay, body), 0, 0);
    }

    private static final class TimeoutBody<T> implements CoroutineBody {
        private final Double when;
        private final Duration delay;
        private final Function<? super Timeout, ? extends Coroutine<T>> body;
        private Timeout timeout;

        TimeoutBody(Double when, Duration delay, Function<? super Timeout, ? extends Coroutine<T>> body) {
            this.when = when;
            this.delay = delay;
            this.body = body;
        }

        @Override
        public Object resume(Frame<?> frame) throws Throwable {
            Object value = null;
            Throwable error = null;
            if (frame.state == 0) {
                Task<?> task = Coro.currentTask();
                Long deadline = when == null ? null : EventLoop.secondsToNanos(when);
                if (delay != null && task != null) {
                    // Exact nanoseconds: a timeout and a sleep of the same length end at the same instant.
                    deadline = task.loop.nanoTime() + EventLoop.saturatedNanos(delay);
                }
                timeout = new Timeout(deadline);
                timeout.enter(task);
                try {
                    Object r = Frame.await(body.apply(timeout), frame);
                    if (r == Frame.SUSPENDED) {
                        frame.state = 1;
                        return Frame.SUSPENDED;
                    }
                    value = r;
                } catch (Throwable e) {
                    error = e;
                }
            } else {
                try {
                    value = frame.resumeValue();
                } catch (Throwable e) {
                    error = e;
                }
            }
            return timeout.exit(value, error);
        }
    }

    // ---------------------------------------------------------------- waitFor

    static <T> Coroutine<T> waitFor(Awaitable<T> awaitable, Duration timeout) {
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            return new Frame<>(new WaitForNowBody<>(awaitable), 0, 0);
        }
        return timeout(null, timeout, t -> asCoroutine(awaitable));
    }

    @SuppressWarnings("unchecked")
    static <T> Coroutine<T> asCoroutine(Awaitable<T> awaitable) {
        return awaitable instanceof Coroutine ? (Coroutine<T>) awaitable : (Coroutine<T>) EventLoop.awaitOne(awaitable);
    }

    /** {@code wait_for(aw, timeout <= 0)}: never starts a coroutine; cancels and waits. */
    private static final class WaitForNowBody<T> implements CoroutineBody {
        private final Awaitable<T> awaitable;
        private Promise<?> future;
        private Consumer<Promise<?>> release;

        WaitForNowBody(Awaitable<T> awaitable) {
            this.awaitable = awaitable;
        }

        @Override
        public Object resume(Frame<?> frame) throws Throwable {
            if (frame.state == 0) {
                EventLoop loop = Coro.loop();
                future = ensurePromise(awaitable, loop);
                if (future.isDone()) {
                    return future.result();
                }
                Promise<Object> waiter = loop.createPromise();
                release = f -> {
                    if (!waiter.isDone()) {
                        waiter.completeResult(null);
                    }
                };
                addCallback(future, release);
                future.cancel();
                try {
                    Object r = Frame.await(waiter, frame);
                    if (r == Frame.SUSPENDED) {
                        frame.state = 1;
                        return Frame.SUSPENDED;
                    }
                } finally {
                    if (frame.state == 0) {
                        removeCallback(future, release);
                    }
                }
            } else {
                try {
                    frame.resumeValue();
                } finally {
                    removeCallback(future, release);
                }
            }
            try {
                return future.result();
            } catch (CancelledError e) {
                throw new TimeoutException(null, e);
            }
        }
    }

    // ---------------------------------------------------------------- taskGroup

    static <T> Coroutine<T> taskGroup(Function<? super TaskGroup, ? extends Coroutine<T>> body) {
        if (body == null) {
            throw new NullPointerException("taskGroup(null): pass the block as a lambda returning a Coroutine");
        }
        return new Frame<>(new TaskGroupBody<>(body), 0, 0);
    }

    private static final class TaskGroupBody<T> implements CoroutineBody {
        private final Function<? super TaskGroup, ? extends Coroutine<T>> body;
        private TaskGroup group;
        private Object bodyValue;

        TaskGroupBody(Function<? super TaskGroup, ? extends Coroutine<T>> body) {
            this.body = body;
        }

        @Override
        public Object resume(Frame<?> frame) throws Throwable {
            switch (frame.state) {
                case 0: {
                    Task<?> parent = Coro.currentTask();
                    group = new TaskGroup(Coro.loop(), parent);
                    try {
                        Object r = Frame.await(body.apply(group), frame);
                        if (r == Frame.SUSPENDED) {
                            frame.state = 1;
                            return Frame.SUSPENDED;
                        }
                        bodyValue = r;
                        group.startExit(null);
                    } catch (Throwable e) {
                        group.startExit(e);
                    }
                    break;
                }
                case 1:
                    try {
                        bodyValue = frame.resumeValue();
                        group.startExit(null);
                    } catch (Throwable e) {
                        group.startExit(e);
                    }
                    break;
                case 2:
                    Throwable error = null;
                    try {
                        frame.resumeValue();
                    } catch (Throwable e) {
                        error = e;
                    }
                    group.completionAwaited(error);
                    break;
                default:
                    throw new IllegalStateException("taskGroup: bad state " + frame.state);
            }
            // Wait until every child is done (asyncio's __aexit__ loop).
            for (Promise<Boolean> next = group.nextCompletion(); next != null; next = group.nextCompletion()) {
                Throwable error = null;
                try {
                    Object r = Frame.await(next, frame);
                    if (r == Frame.SUSPENDED) {
                        frame.state = 2;
                        return Frame.SUSPENDED;
                    }
                } catch (Throwable e) {
                    error = e;
                }
                group.completionAwaited(error);
            }
            return group.finishExit(bodyValue);
        }
    }

    // ---------------------------------------------------------------- waitUntil

    static <P extends Awaitable<?>> Coroutine<WaitResult<P>> waitUntil(
            ReturnWhen returnWhen, Collection<P> awaitables, Duration timeout) {
        if (returnWhen == null) {
            throw new NullPointerException("waitUntil(null, ...): pass a ReturnWhen");
        }
        if (awaitables.isEmpty()) {
            throw new IllegalArgumentException("waitUntil() of an empty collection: nothing to wait for");
        }
        for (P a : awaitables) {
            if (!(a instanceof Promise)) {
                throw new IllegalArgumentException("waitUntil() takes promises and tasks, not coroutines ("
                        + a + "): spawn them first and pass the tasks");
            }
        }
        return new Frame<>(new WaitBody<>(returnWhen, awaitables, timeout), 0, 0);
    }

    private static final class WaitBody<P extends Awaitable<?>> implements CoroutineBody {
        private final ReturnWhen returnWhen;
        private final Set<P> all;
        private final Duration timeout;
        private Handle timeoutHandle;
        private Consumer<Promise<?>> onCompletion;

        WaitBody(ReturnWhen returnWhen, Collection<P> awaitables, Duration timeout) {
            this.returnWhen = returnWhen;
            Set<P> unique = Collections.newSetFromMap(new IdentityHashMap<>());
            Set<P> ordered = new LinkedHashSet<>();
            for (P a : awaitables) {
                if (unique.add(a)) {
                    ordered.add(a);
                }
            }
            this.all = ordered;
            this.timeout = timeout;
        }

        @Override
        public Object resume(Frame<?> frame) throws Throwable {
            if (frame.state == 0) {
                EventLoop loop = Coro.loop();
                Promise<Object> waiter = loop.createPromise();
                if (timeout != null) {
                    timeoutHandle = loop.callLater(timeout, () -> {
                        if (!waiter.isDone()) {
                            waiter.completeResult(null);
                        }
                    });
                }
                int[] counter = {all.size()};
                onCompletion = f -> {
                    counter[0]--;
                    if (counter[0] <= 0 || returnWhen == ReturnWhen.FIRST_COMPLETED
                            || (returnWhen == ReturnWhen.FIRST_EXCEPTION && !f.isCancelled() && f.exception() != null)) {
                        if (timeoutHandle != null) {
                            timeoutHandle.cancel();
                        }
                        if (!waiter.isDone()) {
                            waiter.completeResult(null);
                        }
                    }
                };
                for (P a : all) {
                    addCallback((Promise<?>) a, onCompletion);
                }
                boolean suspended = false;
                try {
                    Object r = Frame.await(waiter, frame);
                    if (r == Frame.SUSPENDED) {
                        suspended = true;
                        frame.state = 1;
                        return Frame.SUSPENDED;
                    }
                } finally {
                    if (!suspended) {
                        cleanUp();
                    }
                }
            } else {
                try {
                    frame.resumeValue();
                } finally {
                    cleanUp();
                }
            }
            Set<P> done = new LinkedHashSet<>();
            Set<P> pending = new LinkedHashSet<>();
            for (P a : all) {
                (((Promise<?>) a).isDone() ? done : pending).add(a);
            }
            return new WaitResult<>(done, pending);
        }

        private void cleanUp() {
            if (timeoutHandle != null) {
                timeoutHandle.cancel();
            }
            for (P a : all) {
                removeCallback((Promise<?>) a, onCompletion);
            }
        }
    }

    // ---------------------------------------------------------------- asCompleted

    static <T> List<Coroutine<T>> asCompleted(Collection<? extends Awaitable<? extends T>> awaitables, Duration timeout) {
        EventLoop loop = loopOf(awaitables);
        Set<Promise<?>> todo = new LinkedHashSet<>();
        Map<Awaitable<?>, Boolean> seen = new IdentityHashMap<>();
        for (Awaitable<? extends T> a : awaitables) {
            if (seen.put(a, Boolean.TRUE) == null) {
                todo.add(ensurePromise(a, loop));
            }
        }
        AsCompleted<T> state = new AsCompleted<>(loop, todo, timeout);
        List<Coroutine<T>> result = new ArrayList<>(todo.size());
        for (int i = 0; i < todo.size(); i++) {
            result.add(new Frame<>(state.new NextBody(), 0, 0));
        }
        return result;
    }

    /** asyncio's {@code _AsCompletedIterator}: a queue of finished promises and waiting getters. */
    private static final class AsCompleted<T> {
        private static final Object TIMED_OUT = new Object();
        private final EventLoop loop;
        private final Set<Promise<?>> todo;
        private final ArrayDeque<Object> finished = new ArrayDeque<>();
        private final ArrayDeque<Promise<Object>> getters = new ArrayDeque<>();
        private Handle timeoutHandle;
        private final Consumer<Promise<?>> onCompletion = this::handleCompletion;

        AsCompleted(EventLoop loop, Set<Promise<?>> todo, Duration timeout) {
            this.loop = loop;
            this.todo = todo;
            for (Promise<?> f : todo) {
                addCallback(f, onCompletion);
            }
            if (!todo.isEmpty() && timeout != null) {
                timeoutHandle = loop.callLater(timeout, this::handleTimeout);
            }
        }

        private void handleTimeout() {
            for (Promise<?> f : todo) {
                removeCallback(f, onCompletion);
                put(TIMED_OUT);
            }
            todo.clear();
        }

        private void handleCompletion(Promise<?> f) {
            if (todo.isEmpty()) {
                return; // the timeout came first
            }
            todo.remove(f);
            put(f);
            if (todo.isEmpty() && timeoutHandle != null) {
                timeoutHandle.cancel();
            }
        }

        private void put(Object item) {
            finished.add(item);
            while (!getters.isEmpty()) {
                Promise<Object> getter = getters.poll();
                if (!getter.isDone()) {
                    getter.completeResult(null);
                    break;
                }
            }
        }

        /** One "next finished" coroutine: waits until the queue has an item, then takes it. */
        final class NextBody implements CoroutineBody {
            @Override
            public Object resume(Frame<?> frame) throws Throwable {
                if (frame.state != 0) {
                    frame.resumeValue();
                }
                while (finished.isEmpty()) {
                    Promise<Object> getter = loop.createPromise();
                    getters.add(getter);
                    Object r = Frame.await(getter, frame);
                    if (r == Frame.SUSPENDED) {
                        frame.state = 1;
                        return Frame.SUSPENDED;
                    }
                }
                Object item = finished.poll();
                if (item == TIMED_OUT) {
                    throw new TimeoutException("asCompleted() timed out", null);
                }
                return ((Promise<?>) item).result();
            }
        }
    }
}
