package dev.coro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.internal.LoopMBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JMX view of a loop: registered while a run lasts, readable from another thread (as jconsole
 * reads it), withdrawn when the run ends; a short run is never registered. Real time (the
 * registration is about real time), with bounded waits.
 */
class LoopMBeanTest {
    private long savedDelay;

    @BeforeEach
    void shortDelay() {
        savedDelay = LoopMBean.registerDelayMillis;
    }

    @AfterEach
    void restoreDelay() {
        LoopMBean.registerDelayMillis = savedDelay;
    }

    private static void waitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aRunningLoopIsRegistered_showsItsTasks_andIsWithdrawnWhenTheRunEnds() throws Exception {
        LoopMBean.registerDelayMillis = 0;
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        EventLoop loop = EventLoop.create();
        Promise<String> release = loop.createPromise();
        loop.spawn(Coro.sleep(java.time.Duration.ofHours(1)), "waits-for-the-test");
        Thread runner = new Thread(() -> loop.runUntilComplete(release), "loop-under-jmx");
        runner.start();
        waitUntil("the loop has a JMX name", () -> loop.jmxName() != null);
        ObjectName name = new ObjectName(loop.jmxName());
        waitUntil(name + " registered", () -> server.isRegistered(name));

        assertEquals(Boolean.TRUE, server.getAttribute(name, "Running"));
        assertEquals("loop-under-jmx", server.getAttribute(name, "Thread"));
        assertEquals(1, server.getAttribute(name, "Tasks"));
        String dump = (String) server.invoke(name, "dumpTasks", new Object[0], new String[0]);
        assertTrue(dump.contains("waits-for-the-test"), dump);
        String json = (String) server.invoke(name, "dumpTasksJson", new Object[0], new String[0]);
        assertTrue(json.contains("\"waits-for-the-test\""), json);

        loop.callSoonThreadsafe(() -> release.setResult("done"));
        runner.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(runner.isAlive());
        waitUntil(name + " withdrawn", () -> !server.isRegistered(name));
        for (Task<?> t : loop.allTasks()) {
            t.cancel();
        }
        loop.runUntilComplete(Coro.sleep(java.time.Duration.ZERO));
        loop.close();
    }

    @Test
    void aShortRunIsNeverRegistered() throws Exception {
        LoopMBean.registerDelayMillis = 60_000;
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        EventLoop loop = EventLoop.create();
        Promise<String> p = loop.createPromise();
        loop.callSoon(() -> p.setResult("x"));
        assertEquals("x", loop.runUntilComplete(p));
        String name = loop.jmxName();
        assertNotNull(name, "named at its first run");
        // Two registrar ticks later it is still not there (the run is over, and it was short).
        Thread.sleep(2 * LoopMBean.TICK_MILLIS + 50);
        assertFalse(server.isRegistered(new ObjectName(name)));
        loop.close();
    }
}
