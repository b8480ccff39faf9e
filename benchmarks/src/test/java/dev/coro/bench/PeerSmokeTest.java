package dev.coro.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.coro.bench.coro.CoroPeer;
import dev.coro.bench.ea.EaAsyncPeer;
import dev.coro.bench.kt.KotlinPeer;
import dev.coro.bench.peers.CompletableFuturePeer;
import dev.coro.bench.peers.ThreadPeer;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;

/**
 * One small pass of every peer's workloads, checking that each does the work it claims (the
 * checksums); nothing is timed. Virtual-thread checks run only on JDK 21+.
 */
class PeerSmokeTest {
    private static final int N = 200;

    @Test
    void coroPeerDoesEveryWorkload() {
        assertEquals(N, CoroPeer.awaitCompleted(N));
        assertEquals(30L * 7, CoroPeer.switches(30, 7));
        assertEquals(20L * 10, CoroPeer.chain(10, 20));
        assertEquals(N, CoroPeer.spawnAwait(N));
        assertEquals(N, CoroPeer.gather(N));
        assertEquals(N, CoroPeer.sleepers(N, 5, () -> { }));
        assertEquals((long) N * (N - 1) / 2, CoroPeer.queue(1, N));
        assertEquals((long) N * (N - 1) / 2, CoroPeer.queue(64, N));
    }

    @Test
    void kotlinPeerDoesEveryWorkload() {
        assertEquals(N, KotlinPeer.awaitCompleted(N));
        assertEquals(30L * 7, KotlinPeer.switches(30, 7));
        assertEquals(20L * 10, KotlinPeer.chain(10, 20));
        assertEquals(N, KotlinPeer.spawnAwait(N));
        assertEquals(N, KotlinPeer.gather(N));
        assertEquals(N, KotlinPeer.sleepers(N, 5, () -> { }));
        assertEquals((long) N * (N - 1) / 2, KotlinPeer.queue(1, N));
        assertEquals((long) N * (N - 1) / 2, KotlinPeer.queue(64, N));
    }

    @Test
    void eaAsyncPeerDoesEveryWorkload() {
        assertEquals(N, EaAsyncPeer.awaitCompleted(N));
        assertEquals(30L * 7, EaAsyncPeer.switches(30, 7));
        assertEquals(20L * 10, EaAsyncPeer.chain(10, 20));
        assertEquals(N, EaAsyncPeer.spawnAwait(N));
        assertEquals(N, EaAsyncPeer.gather(N));
        assertEquals(N, EaAsyncPeer.sleepers(N, 5, () -> { }));
    }

    @Test
    void eaAsyncClassesWereInstrumented() throws Exception {
        // not instrumented, Async.await would throw or block instead of suspending; ea-async marks
        // instrumented methods by adding a synthetic "async$" continuation method
        boolean hasContinuation = false;
        for (java.lang.reflect.Method m : EaAsyncPeer.class.getDeclaredMethods()) {
            hasContinuation |= m.getName().startsWith("async$");
        }
        assertEquals(true, hasContinuation, "EaAsyncPeer was not rewritten by ea-async-maven-plugin");
    }

    @Test
    void completableFuturePeerDoesEveryWorkload() {
        assertEquals(N, CompletableFuturePeer.awaitCompleted(N));
        assertEquals(30L * 7, CompletableFuturePeer.switches(30, 7));
        assertEquals(20L * 10, CompletableFuturePeer.chain(10, 20));
        assertEquals(N, CompletableFuturePeer.spawnAwait(N));
        assertEquals(N, CompletableFuturePeer.gather(N));
        assertEquals(N, CompletableFuturePeer.sleepers(N, 5, () -> { }));
    }

    @Test
    void virtualThreadPeerDoesEveryWorkload() {
        assumeTrue(ThreadPeer.virtualThreadsAvailable(), "virtual threads need JDK 21+");
        threadPeer(ThreadPeer.VIRTUAL);
    }

    @Test
    void platformThreadPeerDoesEveryWorkload() {
        threadPeer(ThreadPeer.PLATFORM);
    }

    private static void threadPeer(ThreadFactory threads) {
        ThreadPeer peer = new ThreadPeer(threads);
        assertEquals(N, peer.awaitCompleted(N));
        assertEquals(30L * 7, peer.switches(30, 7));
        assertEquals(20L * 10, peer.chain(10, 20));
        assertEquals(N, peer.spawnAwait(N));
        assertEquals(N, peer.gather(N));
        assertEquals(N, peer.sleepers(N, 5, () -> { }));
        assertEquals((long) N * (N - 1) / 2, peer.queue(1, N));
        assertEquals((long) N * (N - 1) / 2, peer.queue(64, N));
    }

    @Test
    void virtualThreadsAreRefusedClearlyBeforeJdk21() {
        assumeTrue(!ThreadPeer.virtualThreadsAvailable());
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalStateException.class, () -> new ThreadPeer(ThreadPeer.VIRTUAL));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("JDK 21"), e.getMessage());
    }
}
