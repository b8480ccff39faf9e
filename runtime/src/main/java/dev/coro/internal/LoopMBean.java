package dev.coro.internal;

import java.lang.management.ManagementFactory;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
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
 * package. Registration never touches the loop thread: the loop asks for it when a run starts and
 * withdraws it when the run ends, and one daemon thread does both, in order,
 * {@link #registerDelayMillis} after the start (a run shorter than that, such as most tests and
 * {@code runUntilComplete} calls, never pays for starting the platform MBean server, which takes
 * hundreds of milliseconds once per JVM). Failures are logged, never thrown: JMX must not fail
 * the loop. {@code -Dcoro.jmx=false} turns it off.
 */
public final class LoopMBean implements DynamicMBean {
    private static final System.Logger LOG = System.getLogger("dev.coro");
    private static final AtomicInteger COUNTER = new AtomicInteger();
    /** How long a run must last before its loop is registered; settable for tests. */
    public static volatile long registerDelayMillis = 1000;
    private static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("coro.jmx"));

    private static final class Registrar {
        static final ScheduledExecutorService EXECUTOR = newExecutor();

        private static ScheduledExecutorService newExecutor() {
            ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread t = new Thread(runnable, "coro-jmx-registrar");
                t.setDaemon(true);
                return t;
            });
            e.setRemoveOnCancelPolicy(true);
            return e;
        }
    }

    /** What the MBean shows; implemented by the loop (the counts are read racily, as gauges). */
    public static final class Source {
        final IntSupplier tasks;
        final IntSupplier ready;
        final IntSupplier timers;
        final BooleanSupplier debug;
        final Supplier<String> dumpText;
        final Supplier<String> dumpJson;

        /**
         * @param tasks live tasks
         * @param ready ready callbacks
         * @param timers timers in the heap
         * @param debug debug mode
         * @param dumpText the text dump
         * @param dumpJson the JSON dump
         */
        public Source(IntSupplier tasks, IntSupplier ready, IntSupplier timers, BooleanSupplier debug,
                Supplier<String> dumpText, Supplier<String> dumpJson) {
            this.tasks = tasks;
            this.ready = ready;
            this.timers = timers;
            this.debug = debug;
            this.dumpText = dumpText;
            this.dumpJson = dumpJson;
        }
    }

    private final Source source;
    private final ObjectName name;
    private volatile Thread thread;
    // Threads. runStarted/runEnded run on the loop thread, one after the other, and never wait;
    // register/unregister run on the registrar thread only, in the order they were asked for
    // (a registration still running when the run ends is followed by the unregistration).
    /** The pending registration of the current run, or null. */
    private volatile ScheduledFuture<?> scheduled;
    /** Registrar thread only. */
    private boolean registered;

    /**
     * @param source what to show
     * @return the MBean of a new loop (not registered), or null when JMX is off
     */
    public static LoopMBean create(Source source) {
        if (!ENABLED) {
            return null;
        }
        try {
            return new LoopMBean(source, new ObjectName("dev.coro:type=EventLoop,name=loop-" + COUNTER.incrementAndGet()));
        } catch (Exception | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "Coro: no JMX view of the event loop", e);
            return null;
        }
    }

    private LoopMBean(Source source, ObjectName name) {
        this.source = source;
        this.name = name;
    }

    /**
     * @return {@code dev.coro:type=EventLoop,name=loop-N}
     */
    public ObjectName objectName() {
        return name;
    }

    /**
     * A run of the loop started on {@code runner}: register after {@link #registerDelayMillis}.
     * Never throws.
     *
     * @param runner the loop thread
     */
    public void runStarted(Thread runner) {
        thread = runner;
        try {
            scheduled = Registrar.EXECUTOR.schedule(this::register, registerDelayMillis, TimeUnit.MILLISECONDS);
        } catch (RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "Coro: cannot register " + name + " with JMX", e);
        }
    }

    /** The run ended: withdraw the MBean (or its pending registration). Never throws. */
    public void runEnded() {
        thread = null;
        ScheduledFuture<?> s = scheduled;
        scheduled = null;
        if (s != null && s.cancel(false)) {
            return; // never registered
        }
        try {
            Registrar.EXECUTOR.execute(this::unregister);
        } catch (RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "Coro: cannot unregister " + name + " from JMX", e);
        }
    }

    private void register() {
        if (registered) {
            return;
        }
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            server.registerMBean(this, name);
            registered = true;
        } catch (Exception | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "Coro: cannot register " + name + " with JMX", e);
        }
    }

    private void unregister() {
        if (!registered) {
            return;
        }
        registered = false;
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        } catch (Exception | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "Coro: cannot unregister " + name + " from JMX", e);
        }
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
                return thread != null;
            case "Thread":
                Thread t = thread;
                return t == null ? "" : t.getName();
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
