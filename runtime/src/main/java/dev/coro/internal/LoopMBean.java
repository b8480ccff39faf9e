package dev.coro.internal;

import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.ReflectionException;

/**
 * The JMX view of one event loop, {@code dev.coro:type=EventLoop,name=loop-N}: attributes
 * {@code Tasks}, {@code Ready}, {@code Timers}, {@code Debug}, {@code Running}, {@code Thread} and
 * operations {@code dumpTasks()} (text) and {@code dumpTasksJson()}, for {@code jconsole},
 * VisualVM or {@code jcmd <pid> ...} users looking inside a live process.
 *
 * <p>A {@link DynamicMBean}, so the JMX server needs no reflective access to this non-exported
 * package. Failures are logged, never thrown: JMX must not fail the loop. {@code -Dcoro.jmx=false}
 * turns it off.
 *
 * <p><b>Cost.</b> A loop is registered only once a run has lasted {@link #registerDelayMillis}
 * (a run shorter than that, such as most tests, {@code runUntilComplete} calls and
 * {@code Coro.run} of a short job, never pays for starting the platform MBean server, which takes
 * hundreds of milliseconds once per JVM). The loop thread does not allocate, wait or wake another
 * thread for JMX: each thread that runs loops has one {@link Slot}, and a run's start writes the
 * time and the loop into it (its end clears it). One daemon thread, {@code coro-jmx-registrar},
 * started by the first run, reads the slots every {@link #TICK_MILLIS} ms: it registers a loop whose
 * run has lasted the delay (making its MBean then), withdraws a registered loop no slot holds any
 * more, and ends after a second with no loop running; the next run starts it again. A loop that
 * is not running is not held by JMX.
 */
public final class LoopMBean implements DynamicMBean {
    private static final System.Logger LOG = System.getLogger("dev.coro");
    private static final AtomicInteger COUNTER = new AtomicInteger();
    /** How long a run must last before its loop is registered; settable for tests. */
    public static volatile long registerDelayMillis = 1000;
    /** How often the registrar reads the slots. */
    public static final long TICK_MILLIS = 100;
    /** Ticks with no loop running after which the registrar thread ends. */
    private static final int IDLE_TICKS = 10;
    /** Whether JMX views are made ({@code -Dcoro.jmx=false} turns them off). */
    public static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("coro.jmx"));

    /** The slot of every thread that has run a loop (pruned when its thread is gone). */
    private static final ConcurrentLinkedQueue<Slot> SLOTS = new ConcurrentLinkedQueue<>();
    private static final ThreadLocal<Slot> SLOT = ThreadLocal.withInitial(Slot::new);
    /** True while a registrar thread is alive (or about to be). */
    private static final AtomicBoolean REGISTRAR_ALIVE = new AtomicBoolean();
    /** How the registrar turns a running loop into what its MBean shows; set by the loop class. */
    private static volatile Function<Object, Source> sourceOf;
    /** The loop number of a loop, for its name; set by the loop class. */
    private static volatile Function<Object, Integer> numberOf;

    /** What one thread's loop is doing, for the registrar. */
    public static final class Slot {
        private final WeakReference<Thread> thread = new WeakReference<>(Thread.currentThread());
        /** The loop running on this thread, or null. */
        private volatile Object loop;
        /** When its run started ({@link System#nanoTime()}); written before {@link #loop}. */
        private long since;

        Slot() {
            SLOTS.add(this);
        }
    }

    /** What the MBean shows; implemented by the loop (the counts are read racily, as gauges). */
    public static final class Source {
        final IntSupplier tasks;
        final IntSupplier ready;
        final IntSupplier timers;
        final BooleanSupplier debug;
        final BooleanSupplier running;
        final Supplier<String> dumpText;
        final Supplier<String> dumpJson;

        /**
         * @param tasks live tasks
         * @param ready ready callbacks
         * @param timers timers in the heap
         * @param debug debug mode
         * @param running the loop is running
         * @param dumpText the text dump
         * @param dumpJson the JSON dump
         */
        public Source(IntSupplier tasks, IntSupplier ready, IntSupplier timers, BooleanSupplier debug,
                BooleanSupplier running, Supplier<String> dumpText, Supplier<String> dumpJson) {
            this.tasks = tasks;
            this.ready = ready;
            this.timers = timers;
            this.debug = debug;
            this.running = running;
            this.dumpText = dumpText;
            this.dumpJson = dumpJson;
        }
    }

    private final Source source;
    private final ObjectName name;
    private final Thread runner;

    private LoopMBean(Source source, ObjectName name, Thread runner) {
        this.source = source;
        this.name = name;
        this.runner = runner;
    }

    /**
     * @return a new loop's number, for {@link #nameOf}
     */
    public static int nextNumber() {
        return COUNTER.incrementAndGet();
    }

    /**
     * @param number a loop's number
     * @return {@code dev.coro:type=EventLoop,name=loop-N}
     */
    public static String nameOf(int number) {
        return "dev.coro:type=EventLoop,name=loop-" + number;
    }

    /**
     * Called once by the loop class.
     *
     * @param sources what a loop's MBean shows
     * @param numbers a loop's number
     */
    public static void bind(Function<Object, Source> sources, Function<Object, Integer> numbers) {
        sourceOf = sources;
        numberOf = numbers;
    }

    /**
     * A run of {@code loop} starts on this thread. No allocation after the thread's first run;
     * never blocks; may start the registrar thread.
     *
     * @param loop the loop
     * @return this thread's slot, to give to {@link #runEnded}
     */
    public static Slot runStarted(Object loop) {
        Slot slot = SLOT.get();
        slot.since = System.nanoTime();
        slot.loop = loop; // volatile: publishes since
        if (!REGISTRAR_ALIVE.get()) {
            startRegistrar();
        }
        return slot;
    }

    /**
     * The run ended; the registrar withdraws the loop's MBean at its next look.
     *
     * @param slot what {@link #runStarted} gave
     */
    public static void runEnded(Slot slot) {
        slot.loop = null;
    }

    private static void startRegistrar() {
        if (!REGISTRAR_ALIVE.compareAndSet(false, true)) {
            return;
        }
        try {
            Thread t = new Thread(LoopMBean::registrar, "coro-jmx-registrar");
            t.setDaemon(true);
            t.start();
        } catch (RuntimeException | Error e) {
            REGISTRAR_ALIVE.set(false);
            LOG.log(System.Logger.Level.WARNING, "Coro: no JMX registrar thread", e);
        }
    }

    private static void registrar() {
        Map<Object, LoopMBean> registered = new IdentityHashMap<>();
        int idle = 0;
        while (true) {
            long now = System.nanoTime();
            long delay = TimeUnit.MILLISECONDS.toNanos(registerDelayMillis);
            Map<Object, Thread> running = new IdentityHashMap<>();
            for (Iterator<Slot> it = SLOTS.iterator(); it.hasNext(); ) {
                Slot slot = it.next();
                Object loop = slot.loop;
                long since = slot.since; // read after loop: at worst a later start, so later registration
                Thread thread = slot.thread.get();
                if (loop == null) {
                    if (thread == null || !thread.isAlive()) {
                        it.remove();
                    }
                    continue;
                }
                running.put(loop, thread);
                if (!registered.containsKey(loop) && now - since >= delay) {
                    LoopMBean m = register(loop, thread);
                    registered.put(loop, m); // null when registering failed: not retried this run
                }
            }
            for (Iterator<Map.Entry<Object, LoopMBean>> it = registered.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Object, LoopMBean> e = it.next();
                if (!running.containsKey(e.getKey())) {
                    if (e.getValue() != null) {
                        e.getValue().unregister();
                    }
                    it.remove();
                }
            }
            idle = running.isEmpty() ? idle + 1 : 0;
            if (idle >= IDLE_TICKS && registered.isEmpty()) {
                REGISTRAR_ALIVE.set(false);
                // A run that started just now and saw this thread alive is taken over here.
                if (!anyRunning() || !REGISTRAR_ALIVE.compareAndSet(false, true)) {
                    return;
                }
                idle = 0;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS));
        }
    }

    private static boolean anyRunning() {
        for (Slot slot : SLOTS) {
            if (slot.loop != null) {
                return true;
            }
        }
        return false;
    }

    private static LoopMBean register(Object loop, Thread thread) {
        ObjectName name = null;
        try {
            name = new ObjectName(nameOf(numberOf.apply(loop)));
            LoopMBean m = new LoopMBean(sourceOf.apply(loop), name, thread);
            ManagementFactory.getPlatformMBeanServer().registerMBean(m, name);
            return m;
        } catch (Exception | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "Coro: cannot register " + (name != null ? name : loop) + " with JMX", e);
            return null;
        }
    }

    private void unregister() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } catch (Exception | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "Coro: cannot unregister " + name + " from JMX", e);
        }
    }

    /**
     * @return {@code dev.coro:type=EventLoop,name=loop-N}
     */
    public ObjectName objectName() {
        return name;
    }

    // ---------------------------------------------------------------- DynamicMBean

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException {
        switch (attribute) {
            case "Tasks":
                return source.tasks.getAsInt();
            case "Ready":
                return source.ready.getAsInt();
            case "Timers":
                return source.timers.getAsInt();
            case "Debug":
                return source.debug.getAsBoolean();
            case "Running":
                return source.running.getAsBoolean();
            case "Thread":
                return runner == null ? "" : runner.getName();
            default:
                throw new AttributeNotFoundException("No attribute " + attribute + " on " + name
                        + ": Tasks, Ready, Timers, Debug, Running, Thread");
        }
    }

    @Override
    public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
        throw new AttributeNotFoundException("Attributes of " + name + " are read-only");
    }

    @Override
    public AttributeList getAttributes(String[] attributes) {
        AttributeList list = new AttributeList();
        for (String a : attributes) {
            try {
                list.add(new Attribute(a, getAttribute(a)));
            } catch (AttributeNotFoundException e) {
                // skipped, as the contract says
            }
        }
        return list;
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList();
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) throws ReflectionException {
        switch (actionName) {
            case "dumpTasks":
                return source.dumpText.get();
            case "dumpTasksJson":
                return source.dumpJson.get();
            default:
                throw new ReflectionException(new NoSuchMethodException(actionName),
                        "No operation " + actionName + " on " + name + ": dumpTasks(), dumpTasksJson()");
        }
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        MBeanAttributeInfo[] attributes = {
            new MBeanAttributeInfo("Tasks", "int", "tasks not done", true, false, false),
            new MBeanAttributeInfo("Ready", "int", "callbacks ready to run", true, false, false),
            new MBeanAttributeInfo("Timers", "int", "timers in the heap (some may be cancelled)", true, false, false),
            new MBeanAttributeInfo("Debug", "boolean", "debug mode", true, false, true),
            new MBeanAttributeInfo("Running", "boolean", "the loop is running", true, false, true),
            new MBeanAttributeInfo("Thread", "java.lang.String", "the loop thread's name", true, false, false),
        };
        MBeanOperationInfo[] operations = {
            new MBeanOperationInfo("dumpTasks", "every live task: state, stack, what it waits on (text)",
                    new MBeanParameterInfo[0], "java.lang.String", MBeanOperationInfo.INFO),
            new MBeanOperationInfo("dumpTasksJson", "the same as JSON, schema " + TaskDump.SCHEMA,
                    new MBeanParameterInfo[0], "java.lang.String", MBeanOperationInfo.INFO),
        };
        return new MBeanInfo(LoopMBean.class.getName(), "A Coro event loop", attributes, null, operations, null);
    }
}
